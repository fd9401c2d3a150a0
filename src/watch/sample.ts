/**
 * Picks cues spread evenly over a stretch of dialogue so that their text
 * fits a budget: a recap's material from the start to the position, not
 * just its first minutes.
 *
 * @module
 */
import type { Cue } from "./subtitle_parse.ts";

/** What {@link sampleEvenly} picked. */
export interface Sample {
  /** The cues picked, in time order. */
  cues: Cue[];
  /** Cues there were to pick from. */
  of: number;
}

/**
 * Cues of `cues` (in time order) spread evenly from first to last whose
 * text together stays within `budgetChars`; all of them when they fit.
 */
export function sampleEvenly(
  cues: readonly Cue[],
  budgetChars: number,
): Sample {
  const total = cues.reduce((n, c) => n + c.text.length + 1, 0);
  if (total <= budgetChars) return { cues: [...cues], of: cues.length };
  const average = total / Math.max(1, cues.length);
  let want = Math.max(1, Math.floor(budgetChars / average));
  for (;;) {
    const picked: Cue[] = [];
    const step = cues.length / want;
    let used = 0;
    for (let k = 0; k < want; k++) {
      const cue = cues[Math.min(cues.length - 1, Math.floor(k * step))]!;
      used += cue.text.length + 1;
      picked.push(cue);
    }
    if (used <= budgetChars || want === 1) {
      return {
        cues: used <= budgetChars ? picked : [],
        of: cues.length,
      };
    }
    want = Math.max(1, Math.floor(want * budgetChars / used));
  }
}
