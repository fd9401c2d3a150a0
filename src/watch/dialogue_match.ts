/**
 * Finds words or a phrase in dialogue the way people remember it: accents
 * and case do not matter, punctuation is ignored, and each word may be a
 * little off (a typo, a plural): a word of 4 to 7 letters may differ by one
 * edit, a longer one by two; shorter words must match exactly. A phrase
 * matches the same number of consecutive words; when it runs over two
 * cues, it is found at the first.
 *
 * @module
 */

/** `text` folded for matching: no accents, lower case, words only. */
export function normalize(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
    .replace(/[’']/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** Words of `text`, folded (see {@link normalize}). */
export function words(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(" ") : [];
}

/** Edits a word of this length may differ by and still match. */
export function allowedEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/**
 * Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it is
 * known to be over `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/** How well one word of the query matches one word of the dialogue. */
function wordEdits(query: string, word: string): number | undefined {
  const limit = allowedEdits(query.length);
  const d = editDistance(query, word, limit);
  return d <= limit ? d : undefined;
}

/** What to look for (see {@link compileQuery}). */
export interface DialogueQuery {
  /** The folded words. */
  words: string[];
  /** `phrase`: consecutive words; `words`: all of them, in any order. */
  mode: "phrase" | "words";
  /** Letters in all, for the score. */
  letters: number;
}

/** Prepares a query; undefined when it holds no word at all. */
export function compileQuery(
  text: string,
  mode: "phrase" | "words",
): DialogueQuery | undefined {
  const w = words(text);
  if (w.length === 0) return undefined;
  return { words: w, mode, letters: w.reduce((n, x) => n + x.length, 0) };
}

/**
 * How well `query` matches `target` (the words of a cue, possibly followed
 * by the next cue's): 1 for an exact match, less for each edit, undefined
 * for none. `within` is how many of the target's words are the cue's own:
 * a phrase must start there.
 */
export function matchScore(
  query: DialogueQuery,
  target: readonly string[],
  within: number = target.length,
): number | undefined {
  const q = query.words;
  let best: number | undefined;
  if (query.mode === "phrase") {
    for (let start = 0; start < within; start++) {
      if (start + q.length > target.length) break;
      let edits = 0;
      let ok = true;
      for (let k = 0; k < q.length; k++) {
        const e = wordEdits(q[k]!, target[start + k]!);
        if (e === undefined) {
          ok = false;
          break;
        }
        edits += e;
      }
      if (!ok) continue;
      const score = 1 - edits / Math.max(1, query.letters);
      if (best === undefined || score > best) best = score;
      if (best === 1) break;
    }
    return best;
  }
  let edits = 0;
  for (const w of q) {
    let least: number | undefined;
    for (let i = 0; i < within; i++) {
      const e = wordEdits(w, target[i]!);
      if (e !== undefined && (least === undefined || e < least)) least = e;
      if (least === 0) break;
    }
    if (least === undefined) return undefined;
    edits += least;
  }
  return 1 - edits / Math.max(1, query.letters);
}
