/**
 * Shared by the housekeeping tools: send one maintenance request and say
 * what the server did, from its activity list before and after.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { type Activity, activityListSchema } from "../../plex/care.ts";
import type { QueryValue } from "../../transport/request.ts";
import { confirmInput, requireConfirmation } from "./confirm.ts";
import { defineTool, type ToolDefinition, writes } from "./define_tool.ts";

/** What a maintenance request led to. */
export interface MaintenanceOutcome {
  /** Activities that appeared with the request (still running). */
  started: { uuid: string; title: string; progress: number | null }[];
}

async function activities(
  plex: PlexClient,
  signal: AbortSignal,
): Promise<Activity[]> {
  return await plex.getJson("/activities", activityListSchema, {
    signal,
    cache: false,
  });
}

/**
 * Sends `PUT path` and reports the activities it started: Plex answers
 * async maintenance at once and works on in an activity (API.md §13, §22).
 */
export async function runMaintenance(
  plex: PlexClient,
  path: string,
  query: Record<string, QueryValue>,
  signal: AbortSignal,
): Promise<MaintenanceOutcome> {
  const before = new Set((await activities(plex, signal)).map((a) => a.uuid));
  await plex.send(path, { method: "PUT", query, signal });
  const after = await activities(plex, signal);
  return {
    started: after.filter((a) => !before.has(a.uuid)).map((a) => ({
      uuid: a.uuid,
      title: a.title,
      progress: a.progress === undefined || a.progress < 0 ? null : a.progress,
    })),
  };
}

/** What a request's activities did within a short wait. */
export interface SettledWork {
  /** Activities that appeared with the request. */
  started: Activity[];
  /** Those still running when the wait ended. */
  running: Activity[];
  /** Milliseconds waited. */
  waitedMs: number;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Sends a write Plex does later (refresh, match, empty trash: answered at
 * once, the work done in an activity, API.md §13, §22) and waits up to
 * `waitMs` for the activities it started (those `mine` accepts, new since
 * the request) to end, polling `/activities`. No activity seen: nothing to
 * wait for (the work was quick, or Plex lists none for it).
 */
export async function sendAndSettle(
  plex: PlexClient,
  send: () => Promise<void>,
  signal: AbortSignal,
  options: { waitMs: number; mine?: (a: Activity) => boolean },
): Promise<SettledWork> {
  const before = new Set((await activities(plex, signal)).map((a) => a.uuid));
  await send();
  // The wait comes out of the call's time budget (PLEX_TIMEOUT): it keeps
  // a quarter of a request's budget for the reads that follow it.
  const left = plex.budgetLeft(signal);
  const waitMs = Math.max(
    0,
    Math.min(
      options.waitMs,
      left === undefined ? options.waitMs : left - plex.timeoutMs / 4,
    ),
  );
  const started = new Map<string, Activity>();
  const t0 = Date.now();
  for (let poll = 0;; poll++) {
    const mine = (await activities(plex, signal)).filter((a) =>
      !before.has(a.uuid) && (options.mine?.(a) ?? true)
    );
    for (const a of mine) started.set(a.uuid, a);
    const waitedMs = Date.now() - t0;
    if (mine.length === 0 || waitedMs >= waitMs) {
      return { started: [...started.values()], running: mine, waitedMs };
    }
    await pause(Math.min(poll < 4 ? 250 : 500, waitMs - waitedMs), signal);
  }
}

/** How long an item's refresh (or match) is waited for. */
export const REFRESH_WAIT_MS = 5_000;

/**
 * Whether an activity is the refresh of item `ratingKey`: Plex lists it as
 * `library.refresh.items` with `Context.key` `/library/metadata/{rk}`, as
 * recorded notification frames show (work.ts of the fake cites them).
 */
export function refreshOf(ratingKey: string): (a: Activity) => boolean {
  const key = `/library/metadata/${ratingKey}`;
  return (a) =>
    a.key === key ||
    (a.key === undefined && a.type === "library.refresh.items");
}

/** `; Plex is working on it: "Optimizing" (40%)` or a note that it is done. */
export function outcomeText(outcome: MaintenanceOutcome): string {
  return outcome.started.length
    ? `; Plex is working on it: ${
      outcome.started.map((a) =>
        `"${a.title}"${
          a.progress === null ? "" : ` (${Math.round(a.progress)}%)`
        }`
      ).join(", ")
    } (list_activities shows progress)`
    : "; no activity is listed for it, so Plex has finished (or runs it unlisted)";
}

/** One server-wide maintenance tool: what it is called and sends. */
export interface MaintenanceToolSpec {
  /** Tool name. */
  name: string;
  /** Tool title. */
  title: string;
  /** Model-facing description. */
  description: string;
  /** What the user is asked to confirm. */
  question: string;
  /** The `PUT` path, sent with `async=1`. */
  path: string;
  /** What Plex accepted, for the answer's text ("the bundle clean-up"). */
  accepted: string;
}

/**
 * A destructive, confirmed maintenance tool of the `server_care` toolset:
 * `PUT path?async=1`, answered with the activities it started.
 */
export function maintenanceTool(spec: MaintenanceToolSpec): ToolDefinition {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: "server_care",
    annotations: writes({ idempotent: true, destructive: true }),
    input: { confirm: confirmInput },
    output: {
      status: z.literal("accepted"),
      activities: z.array(z.object({ uuid: z.string(), title: z.string() })),
    },
    handler: async (args, ctx) => {
      await requireConfirmation(ctx, spec.question, args.confirm);
      const outcome = await runMaintenance(
        ctx.plex,
        spec.path,
        { async: 1 },
        ctx.signal,
      );
      return {
        structured: {
          status: "accepted" as const,
          activities: outcome.started.map(({ uuid, title }) => ({
            uuid,
            title,
          })),
        },
        text: `Plex accepted ${spec.accepted}${outcomeText(outcome)}.`,
      };
    },
  });
}
