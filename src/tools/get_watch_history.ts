import { z } from "zod";
import { accountsSchema, historySchema } from "../plex/schemas.ts";
import { defineTool, READ_ONLY, ToolInputError } from "./define_tool.ts";
import { isoTime, parts } from "./format.ts";
import { displayName, itemSummary, summarize } from "./items.ts";
import { pageFields, pageHeader, pageInput, pageOutput } from "./paging.ts";
import {
  libraryInput,
  ratingKeyInput,
  resolveAccount,
  resolveLibrary,
} from "./resolve.ts";

const entry = z.object({
  item: itemSummary,
  viewedAt: z.string().optional().describe("ISO 8601"),
  account: z.string().optional(),
  accountId: z.string().optional(),
});

/** Parses `2025-01-31`, an ISO time, or `7d`/`12h`/`30m` ago into epoch seconds. */
export function parseSince(value: string, now: number = Date.now()): number {
  const rel = /^(\d+)\s*(m|h|d|w)$/i.exec(value.trim());
  if (rel) {
    const unit = {
      m: 60,
      h: 3600,
      d: 86_400,
      w: 604_800,
    }[rel[2]!.toLowerCase() as "m"]!;
    return Math.floor(now / 1000) - Number(rel[1]) * unit;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new ToolInputError(
      `since "${value}" is not a date: use YYYY-MM-DD, an ISO time, or a span such as 7d, 12h`,
    );
  }
  return Math.floor(t / 1000);
}

/** `get_watch_history`: what was played, newest first. */
export const getWatchHistory = defineTool({
  name: "get_watch_history",
  title: "Watch history",
  description:
    "Lists what was played, newest first, one page at a time (default 20): item, when, and by which account. Filter by account (name or id, see list_users), library, a since date (YYYY-MM-DD or a span like 7d) or one item's ratingKey. Needs the server owner's token for other accounts.",
  toolset: "activity",
  annotations: READ_ONLY,
  input: {
    account: z.string().min(1).optional().describe("Account name or id"),
    library: libraryInput.optional(),
    since: z.string().min(1).optional().describe(
      "YYYY-MM-DD, ISO time, or 7d / 12h",
    ),
    ratingKey: ratingKeyInput.optional(),
    ...pageInput,
  },
  output: pageOutput(entry),
  handler: async (args, { plex, signal }) => {
    const since = args.since === undefined ? undefined : parseSince(args.since);
    const [account, section, accounts] = await Promise.all([
      args.account ? resolveAccount(plex, args.account, signal) : undefined,
      args.library ? resolveLibrary(plex, args.library, signal) : undefined,
      plex.getJson("/accounts", accountsSchema, { signal }).catch(() => []),
    ]);
    const names = new Map(accounts.map((a) => [a.id, a.name]));
    const c = await plex.getJson(
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
    const items = c.entries.map((e) => ({
      item: summarize(e.item),
      viewedAt: isoTime(e.viewedAt),
      account: e.accountID ? names.get(e.accountID) : undefined,
      accountId: e.accountID,
    }));
    const fields = pageFields(
      c.totalSize ?? args.offset + items.length,
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
  },
});
