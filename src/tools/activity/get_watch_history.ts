import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { accountsSchema, historySchema } from "../../plex/schemas.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { isoTime, parts } from "../shared/format.ts";
import { shown } from "../shared/ids.ts";
import { displayName, itemSummary, summarize } from "../shared/items.ts";
import {
  pageFields,
  pageHeader,
  pageInput,
  pageOutput,
} from "../shared/paging.ts";
import { readPlays } from "../shared/plays.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";
import { PlexAuthError } from "../../transport/errors.ts";
import {
  libraryInput,
  nameOrIdInput,
  ratingKeyInput,
  resolveAccount,
  resolveLibrary,
} from "../shared/resolve.ts";

const entry = z.object({
  item: itemSummary,
  viewedAt: z.string().optional().describe("ISO 8601"),
  account: z.string().optional(),
  accountId: z.string().optional(),
});

/** The longest relative span `since` accepts: 50 years. */
const MAX_SPAN_SECONDS = 50 * 365.25 * 86_400;

const SINCE_FORMS =
  "use a date (2025-01-31), an ISO time (2025-01-31T20:00:00Z) or a span back from now such as 30m, 12h, 7d, 2w (at most 50 years)";

/**
 * Parses `2025-01-31`, an ISO 8601 time, or a span such as `30m`, `12h`,
 * `7d`, `2w` (ago, at most 50 years) into epoch seconds. Anything else is
 * refused, naming the accepted forms.
 */
export function parseSince(value: string, now: number = Date.now()): number {
  const v = value.trim();
  const rel = /^(\d{1,9})\s*(m|h|d|w)$/i.exec(v);
  if (rel) {
    const unit = {
      m: 60,
      h: 3600,
      d: 86_400,
      w: 604_800,
    }[rel[2]!.toLowerCase() as "m"]!;
    const seconds = Number(rel[1]) * unit;
    if (seconds > MAX_SPAN_SECONDS) {
      throw new ToolInputError(
        `since ${shown(v)} reaches back too far: ${SINCE_FORMS}`,
      );
    }
    return Math.floor(now / 1000) - seconds;
  }
  // Only ISO 8601 dates and times: Date.parse alone also takes forms such
  // as "March 7" or "0", whose meaning depends on the runtime.
  const iso =
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
  const t = iso.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) {
    throw new ToolInputError(
      `since ${shown(v)} is not a date or span: ${SINCE_FORMS}`,
    );
  }
  if (t > now) {
    throw new ToolInputError(
      `since ${shown(v)} is in the future: ${SINCE_FORMS}`,
    );
  }
  if ((now - t) / 1000 > MAX_SPAN_SECONDS) {
    throw new ToolInputError(
      `since ${shown(v)} reaches back too far: ${SINCE_FORMS}`,
    );
  }
  return Math.floor(t / 1000);
}

/** `get_watch_history`: what was played, newest first. */
export const getWatchHistory = defineTool({
  name: "get_watch_history",
  title: "Watch history",
  description:
    "What was played, newest first, paged: item, when, account. Filters: account (list_users), library, since, ratingKey.",
  toolset: "activity",
  annotations: READ_ONLY,
  input: {
    account: nameOrIdInput().optional(),
    library: libraryInput.optional(),
    since: z.string().min(1).optional().describe(
      "YYYY-MM-DD, ISO time, or 7d / 12h",
    ),
    ratingKey: ratingKeyInput.optional(),
    ...pageInput,
    ...viewerInput,
  },
  output: pageOutput(entry),
  handler: forViewer(async (args, { plex, signal }) => {
    const since = args.since === undefined ? undefined : parseSince(args.since);
    try {
      return await fromHistory(plex, args, since, signal);
    } catch (error) {
      if (!(error instanceof PlexAuthError)) throw error;
      // A Home member's or friend's token may not read the history (401,
      // API.md pitfalls); a token that works elsewhere gets its own last
      // plays from the libraries instead.
      await plex.sections({ signal }).catch(() => {
        throw error;
      });
      if (args.account) {
        throw new ToolInputError(
          "This token may not read the play history (Plex answered 401), so no account can be chosen: leave account out for this token's own last plays",
        );
      }
      const section = args.library
        ? await resolveLibrary(plex, args.library, signal)
        : undefined;
      const { plays } = await readPlays(plex, {
        since: since ?? 0,
        section,
        signal,
      });
      const matching = args.ratingKey === undefined ? plays : plays.filter(
        (p) =>
          p.item.ratingKey === args.ratingKey ||
          p.item.parentRatingKey === args.ratingKey ||
          p.item.grandparentRatingKey === args.ratingKey,
      );
      const page = matching.slice(args.offset, args.offset + args.limit);
      const items = page.map((p) => ({
        item: summarize(p.item),
        viewedAt: isoTime(p.viewedAt),
      }));
      const fields = pageFields(
        matching.length,
        args.offset,
        args.limit,
        items.length,
      );
      return {
        structured: { items, ...fields },
        text: [
          "This token may not read the play history (Plex answered 401): these are its last plays, one per item.",
          pageHeader("last plays", fields, items.length),
          ...items.map((e) =>
            parts([
              e.viewedAt?.replace("T", " ").replace(/:\d\dZ$/, "Z"),
              `[${e.item.ratingKey}] ${displayName(e.item)}`,
            ])
          ),
        ].join("\n"),
      };
    }
  }),
});

/** The history page itself (the owner's token). */
async function fromHistory(
  plex: PlexClient,
  args: {
    account?: string;
    library?: string;
    ratingKey?: string;
    offset: number;
    limit: number;
  },
  since: number | undefined,
  signal: AbortSignal,
) {
  {
    // The account names are only for display: asked for alongside the
    // page (and any names to resolve), not before it.
    const accounts = plex.getJson("/accounts", accountsSchema, { signal })
      .catch(() => []);
    const [account, section] = await Promise.all([
      args.account ? resolveAccount(plex, args.account, signal) : undefined,
      args.library ? resolveLibrary(plex, args.library, signal) : undefined,
    ]);
    const page = plex.getJsonPaged(
      "/status/sessions/history/all",
      historySchema,
      {
        query: {
          sort: "viewedAt:desc",
          accountID: account?.id,
          librarySectionID: section?.key,
          metadataItemID: args.ratingKey,
          "viewedAt>": since,
          "X-Plex-Container-Start": args.offset,
          "X-Plex-Container-Size": args.limit,
        },
        signal,
      },
    );
    const [{ data: c, headerTotal }, names] = await Promise.all([
      page,
      accounts.then((list) => new Map(list.map((a) => [a.id, a.name]))),
    ]);
    // An older server may ignore viewedAt> and list every play: newest
    // first, the first entry before the range ends the list.
    const end = since === undefined
      ? -1
      : c.entries.findIndex((e) =>
        e.viewedAt !== undefined && e.viewedAt < since
      );
    const inRange = end < 0 ? c.entries : c.entries.slice(0, end);
    const items = inRange.map((e) => ({
      item: summarize(e.item),
      viewedAt: isoTime(e.viewedAt),
      account: e.accountID ? names.get(e.accountID) : undefined,
      accountId: e.accountID,
    }));
    const fields = pageFields(
      end >= 0
        ? args.offset + items.length
        : c.totalSize ?? headerTotal ?? args.offset + items.length,
      args.offset,
      args.limit,
      items.length,
    );
    const text = [
      pageHeader("history entries", fields, items.length),
      ...items.map((e) =>
        parts([
          e.viewedAt?.replace("T", " ").replace(/:\d\dZ$/, "Z"),
          e.account ?? (e.accountId && `account ${e.accountId}`),
          `[${e.item.ratingKey}] ${displayName(e.item)}`,
        ])
      ),
    ].join("\n");
    return { structured: { items, ...fields }, text };
  }
}
