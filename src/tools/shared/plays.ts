/**
 * Plays in a time range, for statistics and the history fallback, read
 * without loading more than needed: Plex's history newest first, page by
 * page, stopping at the range's start (API.md §7, §25), under a documented
 * cap. Where the token may not read `/status/sessions/history/all` (a Plex
 * Home member's or a friend's token gets 401 there, API.md pitfalls), the
 * plays come from what it may read: each item's last play
 * (`lastViewedAt`) in the libraries' own lists, newest first, one entry per
 * item. Both say which they are.
 *
 * @module
 */
import type { PlexClient } from "../../plex/client.ts";
import { PlexAuthError, PlexNotFoundError } from "../../transport/errors.ts";
import type { PlexItem, Section } from "../../plex/models.ts";
import { historySchema, itemsContainerSchema } from "../../plex/schemas.ts";

/** One play. */
export interface Play {
  /** What was played (history's fields, or the library item). */
  item: PlexItem;
  /** When (epoch seconds). */
  viewedAt: number;
  /** Server account id (history only). */
  accountID: string | undefined;
  /** Library section id. */
  sectionID: string | undefined;
}

/** Where plays came from. */
export type PlaySource = "history" | "last_viewed";

/** Plays of a range. */
export interface Plays {
  /** Newest first. */
  plays: Play[];
  /** `history` (every play) or `last_viewed` (each item's last play). */
  source: PlaySource;
  /** More plays fell in the range than the cap allowed. */
  capped: boolean;
}

/** Most plays read for one answer. */
export const MAX_PLAYS = 5_000;

const PAGE = 100;

/** Options for {@link readPlays}. */
export interface PlayQuery {
  /** Range start, epoch seconds (inclusive). */
  since: number;
  /** Range end, epoch seconds (inclusive); default now. */
  until?: number;
  /** Only this server account (history only). */
  accountID?: string;
  /** Only this library. */
  section?: Section;
  /** Cap; default {@link MAX_PLAYS}. */
  max?: number;
  /** Caller's signal. */
  signal: AbortSignal;
}

/** Plays of a range, from the history or, when refused, the libraries. */
export async function readPlays(
  plex: PlexClient,
  q: PlayQuery,
): Promise<Plays> {
  try {
    return await historyPlays(plex, q);
  } catch (error) {
    if (!(error instanceof PlexAuthError)) throw error;
    // 401 for a token that works elsewhere: not an admin's. A token that
    // does not work at all keeps its own error.
    await plex.sections({ signal: q.signal }).catch(() => {
      throw error;
    });
    return await lastViewedPlays(plex, q);
  }
}

async function historyPlays(plex: PlexClient, q: PlayQuery): Promise<Plays> {
  const max = q.max ?? MAX_PLAYS;
  const until = q.until ?? Infinity;
  const plays: Play[] = [];
  for (let offset = 0;; offset += PAGE) {
    const { data: c, headerTotal } = await plex.getJsonPaged(
      "/status/sessions/history/all",
      historySchema,
      {
        query: {
          sort: "viewedAt:desc",
          accountID: q.accountID,
          librarySectionID: q.section?.key,
          "viewedAt>": q.since,
          "X-Plex-Container-Start": offset,
          "X-Plex-Container-Size": PAGE,
        },
        signal: q.signal,
      },
    );
    for (const e of c.entries) {
      const at = e.viewedAt;
      if (at === undefined || at > until) continue;
      // Newest first: the first entry before the range ends the walk.
      if (at < q.since) return { plays, source: "history", capped: false };
      if (plays.length >= max) {
        return { plays, source: "history", capped: true };
      }
      plays.push({
        item: e.item,
        viewedAt: at,
        accountID: e.accountID,
        sectionID: e.item.librarySectionID,
      });
    }
    const total = c.totalSize ?? headerTotal;
    if (
      c.entries.length < PAGE ||
      (total !== undefined && offset + c.entries.length >= total)
    ) {
      return { plays, source: "history", capped: false };
    }
  }
}

/** The leaf type a library's plays are, and its level prefix. */
const LEAVES: Record<string, { type: number; prefix: string }> = {
  movie: { type: 1, prefix: "" },
  show: { type: 4, prefix: "episode." },
  artist: { type: 10, prefix: "track." },
};

async function lastViewedPlays(
  plex: PlexClient,
  q: PlayQuery,
): Promise<Plays> {
  const max = q.max ?? MAX_PLAYS;
  const until = q.until ?? Infinity;
  const sections = q.section
    ? [q.section]
    : await plex.sections({ signal: q.signal });
  const plays: Play[] = [];
  let capped = false;
  for (const s of sections) {
    const leaf = LEAVES[s.type];
    if (!leaf) continue;
    const path = `/library/sections/${encodeURIComponent(s.key)}/all`;
    let kept = 0;
    for await (
      const item of plex.iterate(path, {
        limit: PAGE,
        query: {
          type: leaf.type,
          // Plex's media query operators: `>>=` after (API.md §26.2).
          [`${leaf.prefix}lastViewedAt>>`]: q.since - 1,
          sort: `${leaf.prefix}lastViewedAt:desc`,
        },
        signal: q.signal,
      })
    ) {
      const at = item.lastViewedAt;
      if (at === undefined || at > until) continue;
      if (at < q.since) break;
      if (kept >= max) {
        capped = true;
        break;
      }
      kept++;
      plays.push({
        item,
        viewedAt: at,
        accountID: undefined,
        sectionID: item.librarySectionID ?? s.key,
      });
    }
  }
  plays.sort((a, b) =>
    b.viewedAt - a.viewedAt || a.item.ratingKey.localeCompare(b.item.ratingKey)
  );
  if (plays.length > max) {
    plays.length = max;
    capped = true;
  }
  return { plays, source: "last_viewed", capped };
}

/** Items by ratingKey, fetched in comma lists of 40 (API.md §5). */
export async function fetchItems(
  plex: PlexClient,
  keys: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, PlexItem>> {
  const unique = [...new Set(keys.filter((k) => /^\d+$/.test(k)))];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += 40) {
    chunks.push(unique.slice(i, i + 40));
  }
  const out = new Map<string, PlexItem>();
  const pages = await Promise.all(chunks.map(async (chunk) => {
    try {
      return (await plex.getJson(
        `/library/metadata/${chunk.join(",")}`,
        itemsContainerSchema,
        { signal },
      )).Metadata;
    } catch (error) {
      // None of these exists any more (history can name deleted items).
      if (error instanceof PlexNotFoundError) return [];
      throw error;
    }
  }));
  for (const page of pages) for (const i of page) out.set(i.ratingKey, i);
  return out;
}
