/**
 * Where the dialogue tools get their text: the items a ratingKey stands
 * for (a film or episode itself, a season's episodes, a show's), the
 * subtitle stream to read of each, and its cues, fetched within a byte
 * budget and kept in a {@link SubtitleCache}.
 *
 * @module
 */
import type { PlexClient } from "../plex/client.ts";
import { PlexNotFoundError } from "../transport/errors.ts";
import {
  fetchSubtitleText,
  readability,
  type SubtitledItem,
  subtitledItemsSchema,
  type SubtitleStreamInfo,
  SubtitleUnavailableError,
} from "../plex/subtitle_text.ts";
import { ToolInputError } from "../tools/shared/define_tool.ts";
import { safeId } from "../tools/shared/ids.ts";
import { indexCues } from "./dialogue_search.ts";
import { normalize } from "./dialogue_match.ts";
import { parseSubtitles, type TextSubtitleFormat } from "./subtitle_parse.ts";
import {
  type CachedSubtitles,
  cueBytes,
  SubtitleCache,
} from "./subtitle_cache.ts";

/** Most bytes read of one subtitle file. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const caches = new WeakMap<PlexClient, SubtitleCache>();

/** The subtitle cache of `plex` (made on first use, with its cache time). */
export function subtitleCache(plex: PlexClient): SubtitleCache {
  let cache = caches.get(plex);
  if (!cache || cache.ttlMs !== plex.cacheTtlMs) {
    cache = new SubtitleCache(plex.cacheTtlMs);
    caches.set(plex, cache);
  }
  return cache;
}

/** Reads items by ratingKey (one request for a comma list). */
export async function fetchSubtitledItem(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<SubtitledItem> {
  const [item] = await plex.getJson(
    `/library/metadata/${ratingKey}`,
    subtitledItemsSchema,
    { signal },
  );
  if (!item) {
    throw new PlexNotFoundError(
      `Plex has no item with ratingKey ${ratingKey}`,
      `GET /library/metadata/${ratingKey}`,
    );
  }
  return item;
}

/**
 * Reads several items in one request (Plex takes a comma list of
 * ratingKeys, API.md §5, and leaves out those it does not have); ids that
 * came from Plex are checked before they go into the path.
 */
export async function fetchSubtitledItems(
  plex: PlexClient,
  ratingKeys: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, SubtitledItem>> {
  if (ratingKeys.length === 0) return new Map();
  const keys = ratingKeys.map((k) => safeId(k, "ratingKey"));
  const items = await plex.getJson(
    `/library/metadata/${keys.join(",")}`,
    subtitledItemsSchema,
    { signal },
  );
  return new Map(items.map((i) => [i.ratingKey, i]));
}

/** The episodes below a season or show, in order (without streams). */
export async function episodesOf(
  plex: PlexClient,
  ratingKey: string,
  kind: "season" | "show",
  signal: AbortSignal,
): Promise<SubtitledItem[]> {
  // A season's children are its episodes; a show's leaves are all of its
  // episodes in season order (API.md; python-plexapi video.py Show.episodes
  // reads /allLeaves).
  const key = safeId(ratingKey, "ratingKey");
  const path = kind === "season"
    ? `/library/metadata/${key}/children`
    : `/library/metadata/${key}/allLeaves`;
  const items = await plex.getJson(path, subtitledItemsSchema, { signal });
  return items.filter((i) => i.type === "episode");
}

/** A short name of an item: `Show S1E3 · Title` or the title. */
export function itemLabel(item: SubtitledItem): string {
  if (item.type === "episode") {
    const s = item.parentIndex !== undefined ? `S${item.parentIndex}` : "";
    const e = item.index !== undefined ? `E${item.index}` : "";
    return `${item.grandparentTitle ?? ""} ${s}${e} · ${item.title}`.trim();
  }
  return item.title;
}

/** Checks that `item` has dialogue (a film or an episode). */
export function requirePlayable(item: SubtitledItem, what: string): void {
  if (item.type !== "movie" && item.type !== "episode") {
    throw new ToolInputError(
      `ratingKey ${item.ratingKey} is a ${
        item.type || "item"
      } ("${item.title}"); ${what} takes a film or an episode`,
    );
  }
}

/** A stream that cannot be read, and why. */
export interface Unreadable {
  /** Stream id. */
  streamId: string;
  /** Plex's title of it. */
  stream: string;
  /** Why. */
  reason: string;
}

/** The stream chosen for an item, and those passed over as unreadable. */
export interface StreamChoice {
  /** The stream to read, when one can be. */
  chosen:
    | { stream: SubtitleStreamInfo; format: TextSubtitleFormat; ext: string }
    | undefined;
  /** Streams of the language asked for that cannot be read. */
  unreadable: Unreadable[];
}

function speaks(stream: SubtitleStreamInfo, language: string): boolean {
  const want = normalize(language);
  return [stream.languageCode, stream.languageTag, stream.language].some((l) =>
    l !== undefined && (normalize(l) === want ||
      (want.length === 2 && normalize(l).startsWith(want)))
  );
}

/**
 * Picks the subtitle stream to read: of `language` when given, the one
 * the user selected first, then full (not forced) ones, then English.
 */
export function chooseStream(
  item: SubtitledItem,
  language: string | undefined,
): StreamChoice {
  const candidates = language
    ? item.subtitles.filter((s) => speaks(s, language))
    : item.subtitles;
  const rank = (s: SubtitleStreamInfo) =>
    (s.selected ? 0 : 4) + (s.forced ? 2 : 0) +
    (speaks(s, "eng") || speaks(s, "english") ? 0 : 1);
  const sorted = [...candidates].sort((a, b) => rank(a) - rank(b));
  const unreadable: Unreadable[] = [];
  let chosen: StreamChoice["chosen"];
  for (const stream of sorted) {
    const r = readability(stream);
    if (r.readable) {
      chosen ??= { stream, format: r.format, ext: r.ext };
    } else {
      unreadable.push({
        streamId: stream.id,
        stream: stream.title ?? stream.codec ?? "subtitles",
        reason: r.reason,
      });
    }
  }
  return { chosen, unreadable };
}

/** What one call may still fetch. */
export interface FetchBudget {
  /** Bytes left. */
  bytesLeft: number;
  /** Bytes fetched so far. */
  fetched: number;
  /** Files served from the cache. */
  cached: number;
}

/** Cues of a chosen stream: from the cache, or fetched and parsed. */
export async function loadCues(
  plex: PlexClient,
  chosen: NonNullable<StreamChoice["chosen"]>,
  budget: FetchBudget,
  signal: AbortSignal,
): Promise<CachedSubtitles> {
  const cache = subtitleCache(plex);
  const key = `${chosen.stream.id}.${chosen.ext}`;
  const hit = cache.get(key);
  if (hit) {
    budget.cached++;
    return hit;
  }
  const maxBytes = Math.min(MAX_FILE_BYTES, budget.bytesLeft);
  if (maxBytes <= 0) {
    throw new SubtitleUnavailableError(
      "not fetched: this call's byte budget is spent",
    );
  }
  const { text, bytes } = await fetchSubtitleText(
    plex,
    chosen.stream,
    chosen.ext,
    { maxBytes, signal },
  );
  budget.bytesLeft -= bytes;
  budget.fetched += bytes;
  const parsed = parseSubtitles(text, chosen.format);
  const indexed = indexCues(parsed.cues);
  const value: CachedSubtitles = {
    indexed,
    droppedCues: parsed.droppedCues,
    bytes: cueBytes(indexed),
  };
  cache.set(key, value);
  return value;
}
