/**
 * Searches the cues of one subtitle file for a query (see
 * `dialogue_match.ts`), best matches first within the file's order.
 *
 * @module
 */
import type { Cue } from "./subtitle_parse.ts";
import { type DialogueQuery, matchScore, words } from "./dialogue_match.ts";

/** Cues with their folded words, computed once per file. */
export interface IndexedCues {
  /** The cues. */
  cues: Cue[];
  /** The folded words of each cue. */
  words: string[][];
}

/** Folds the words of every cue once, for repeated searches. */
export function indexCues(cues: Cue[]): IndexedCues {
  return { cues, words: cues.map((c) => words(c.text)) };
}

/** A cue that matched. */
export interface CueHit {
  /** Index of the cue. */
  index: number;
  /** 1 for an exact match, less for a near one. */
  score: number;
}

/**
 * Every cue that matches `query`, in time order, with scores at or above
 * `minScore`. A phrase may run on into the next cue (a line broken across
 * two subtitles); the hit is the cue it starts in.
 */
export function searchCues(
  indexed: IndexedCues,
  query: DialogueQuery,
  minScore = 0,
): CueHit[] {
  const hits: CueHit[] = [];
  const all = indexed.words;
  for (let i = 0; i < all.length; i++) {
    const own = all[i]!;
    if (own.length === 0) continue;
    const next = query.mode === "phrase" && i + 1 < all.length
      ? all[i + 1]!
      : [];
    const target = next.length ? [...own, ...next] : own;
    const score = matchScore(query, target, own.length);
    if (score !== undefined && score >= minScore) {
      hits.push({ index: i, score: Math.round(score * 100) / 100 });
    }
  }
  return hits;
}
