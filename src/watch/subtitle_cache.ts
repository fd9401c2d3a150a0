/**
 * Subtitle text already read, kept in memory for the server's cache time
 * (`PLEX_CACHE_TTL`) within a byte budget, so that a second search of the
 * same season, or a recap after a search, does not fetch it again.
 * Oldest entries go first when the budget is full; with a cache time of 0
 * nothing is kept.
 *
 * @module
 */
import type { IndexedCues } from "./dialogue_search.ts";

/** One file's cues and what it cost. */
export interface CachedSubtitles {
  /** The cues, indexed for search. */
  indexed: IndexedCues;
  /** Cues the parser left out (over its limit). */
  droppedCues: number;
  /** Approximate bytes held (UTF-16 text of the cues and their words). */
  bytes: number;
}

/** Default byte budget of one cache. */
export const SUBTITLE_CACHE_BYTES = 16 * 1024 * 1024;

/** Approximate memory of indexed cues, in bytes. */
export function cueBytes(indexed: IndexedCues): number {
  let n = 0;
  for (let i = 0; i < indexed.cues.length; i++) {
    n += 2 * indexed.cues[i]!.text.length + 48;
    for (const w of indexed.words[i]!) n += 2 * w.length + 16;
  }
  return n;
}

/** The cache (one per Plex client). */
export class SubtitleCache {
  readonly #entries = new Map<string, { at: number; value: CachedSubtitles }>();
  #bytes = 0;

  /** Creates a cache; `ttlMs` 0 keeps nothing. */
  constructor(
    readonly ttlMs: number,
    readonly maxBytes: number = SUBTITLE_CACHE_BYTES,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** A fresh entry, or undefined. */
  get(key: string): CachedSubtitles | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.ttlMs) {
      this.#drop(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` (not when it alone is over the budget). */
  set(key: string, value: CachedSubtitles): void {
    if (this.ttlMs <= 0 || value.bytes > this.maxBytes) return;
    this.#drop(key);
    this.#entries.set(key, { at: this.now(), value });
    this.#bytes += value.bytes;
    for (const k of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#drop(k);
    }
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.value.bytes;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Files held now. */
  get size(): number {
    return this.#entries.size;
  }
}
