import { z } from "../../zod.ts";
import { activitiesSchema } from "../../plex/schemas.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { isoTime, plural } from "../shared/format.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";

/**
 * How long a scan that was never seen running may take to show up before
 * an idle library counts as scanned: Plex lists a new scan's activity
 * within a moment, and a small library can finish between two polls.
 */
export const SCAN_GRACE_MS = 5_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** `scan_library`: scans a library for new, changed and removed files. */
export const scanLibrary = defineTool({
  name: "scan_library",
  title: "Scan a library",
  description:
    "Scans a library for new, changed and removed files (force: also metadata, asking first). Unless wait is false, waits up to timeout_seconds with progress, then reports counts or a queued scan.",
  toolset: "admin",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    library: libraryInput,
    force: z.boolean().default(false).describe(
      "Also refresh all metadata (asks first)",
    ),
    confirm: confirmInput,
    wait: z.boolean().default(true),
    timeout_seconds: z.number().int().min(1).max(600).default(60),
  },
  output: {
    library: z.string(),
    status: z.enum(["started", "queued", "finished", "still running"]),
    itemsBefore: z.number().int().nullable(),
    itemsAfter: z.number().int().nullable(),
    scannedAt: z.string().optional(),
  },
  handler: async (args, ctx) => {
    const { plex, signal, progress } = ctx;
    const section = await resolveLibrary(plex, args.library, signal, {
      exact: true,
    });
    if (args.force) {
      await requireConfirmation(
        ctx,
        `Refresh all metadata of library "${section.title}", overwriting what Plex has`,
        args.confirm,
      );
    }
    // Polling must see Plex as it is now, never a cached answer.
    const count = () =>
      plex.sectionItemCount(section.key, { signal, cache: false }).catch(() =>
        undefined
      );
    const itemsBefore = await count();
    // The scan time before the request: a small library can be scanned
    // before a read after it, and then nothing would look newer.
    const scannedBefore = args.wait
      ? (await plex.sections({ signal, cache: false }))
        .find((s) => s.key === section.key)?.scannedAt
      : undefined;
    await plex.send(`/library/sections/${section.key}/refresh`, {
      query: { force: args.force ? 1 : undefined },
      idempotent: false,
      signal,
    });
    await progress(0, 100, `Scan of ${section.title} started`);
    const base = { library: section.title, itemsBefore: itemsBefore ?? null };
    if (!args.wait) {
      return {
        structured: { ...base, status: "started" as const, itemsAfter: null },
        text:
          `Asked Plex to scan [${section.key}] ${section.title} (not waited for; list_activities shows scans).`,
      };
    }
    const deadline = Date.now() + args.timeout_seconds * 1000;
    // The grace period runs from when Plex was last seen busy with another
    // library: a scan queued behind it starts only then.
    let idleSince = Date.now();
    let seen = false;
    let queued = false;
    let polls = 0;
    while (Date.now() < deadline) {
      await sleep(polls < 5 ? 200 : 1000, signal);
      polls++;
      const activities = await plex.getJson("/activities", activitiesSchema, {
        signal,
        cache: false,
      });
      const scans = activities.filter((a) => a.type.startsWith("library."));
      const mine = scans.find((a) => a.librarySectionID === section.key);
      if (mine) {
        seen = true;
        queued = false;
        const pct = Math.max(0, Math.min(100, mine.progress ?? 0));
        await progress(pct, 100, mine.subtitle ?? mine.title);
        continue;
      }
      const now = (await plex.sections({ signal, cache: false })).find((s) =>
        s.key === section.key
      );
      // Finished: the scan we started was seen and is gone, or Plex records
      // a newer scan time.
      const rescanned = (now?.scannedAt ?? 0) > (scannedBefore ?? 0);
      // Plex scans one library at a time: ours waits, listed nowhere and
      // not marked refreshing, while another's runs (python-plexlibrary#22).
      queued = !seen && !rescanned && scans.length > 0;
      if (queued || now?.refreshing) {
        idleSince = Date.now();
        continue;
      }
      // Or (a scan too quick to catch) the grace period passed with Plex
      // idle.
      const done = now !== undefined && (
        seen || rescanned || Date.now() - idleSince >= SCAN_GRACE_MS
      );
      if (done) {
        const itemsAfter = await count();
        // No final notification here: the result itself says the scan is
        // done, and a notification racing the result confuses some clients.
        return {
          structured: {
            ...base,
            status: "finished" as const,
            itemsAfter: itemsAfter ?? null,
            scannedAt: isoTime(now.scannedAt),
          },
          text: `${
            seen || rescanned
              ? `Scanned [${section.key}] ${section.title}`
              : `Plex listed no scan of [${section.key}] ${section.title} and kept its last scan time: it scanned too quickly to see, or not at all`
          }: ${
            itemsBefore == null ? "? items" : plural(itemsBefore, "item")
          } before, ${itemsAfter ?? "?"} after.`,
        };
      }
    }
    if (queued) {
      return {
        structured: { ...base, status: "queued" as const, itemsAfter: null },
        text:
          `The scan of [${section.key}] ${section.title} is queued behind another library's scan after ${args.timeout_seconds} s; Plex will run it next.`,
      };
    }
    return {
      structured: {
        ...base,
        status: "still running" as const,
        itemsAfter: null,
      },
      text:
        `The scan of [${section.key}] ${section.title} is still running after ${args.timeout_seconds} s; check again later.`,
    };
  },
});
