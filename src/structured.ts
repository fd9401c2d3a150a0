/**
 * Bounds on a tool's structured content, in one walk: every string is cut
 * to {@link MAX_STRUCTURED_STRING} (and made readable), and every array,
 * at any depth, keeps at most {@link MAX_STRUCTURED_ITEMS} entries and
 * about {@link MAX_ARRAY_CHARS} characters of JSON, so that no answer
 * grows with what a server holds (a log archive of 40,000 files with long
 * names made an 11 MB answer). What was left out is counted, for the
 * answer's text and its `_meta`. Cut arrays are still arrays of the same
 * entries, so the content keeps matching the tool's output schema.
 *
 * @module
 */
import { MAX_STRUCTURED_STRING, readable } from "./log.ts";

/** Most entries an array of structured content keeps. */
export const MAX_STRUCTURED_ITEMS = 1_000;

/**
 * About the most characters of JSON an array of structured content keeps
 * (its entries, nested arrays included); the first entry is always kept.
 */
export const MAX_ARRAY_CHARS = 256_000;

/** One array that was cut. */
export interface Cut {
  /** Where it is: `files`, `items[3].genres`. */
  at: string;
  /** Entries kept. */
  kept: number;
  /** Entries it had. */
  total: number;
}

/** Cuts named in an answer; the rest are counted. */
const MAX_CUTS_NAMED = 5;

/**
 * `value` with its strings and arrays bounded, and the arrays that were
 * cut. Copy on write: a value with nothing to change is returned as it is.
 * `redact` is applied to a string before it is cut: a secret the cut went
 * through would otherwise leave its first characters, which no later
 * redaction can recognise (strings that are not cut are redacted whole at
 * the boundary).
 */
export function boundStructured<T>(
  value: T,
  redact?: (text: string) => string,
): { value: T; cuts: Cut[] } {
  const cuts: Cut[] = [];
  const [out] = bound(value, [], cuts, redact);
  return { value: out as T, cuts };
}

/**
 * Strings this short stay within {@link MAX_STRUCTURED_STRING} even with
 * every character made visible (`\u{…}`: at most eight for one), so they
 * are not scanned here: the boundary makes every string readable anyway.
 */
const SHORT_STRING = Math.floor(MAX_STRUCTURED_STRING / 8);

/**
 * Where a cut array is, from the keys and indices that lead to it (built
 * only for a cut: `items[3].genres`).
 */
function pathText(path: readonly (string | number)[]): string {
  let at = "";
  for (const step of path) {
    at += typeof step === "number" ? `[${step}]` : at ? `.${step}` : step;
  }
  return at || "(answer)";
}

/**
 * The value bounded, and about how many characters of JSON it takes.
 * `path` leads to it (a stack: steps are pushed and popped on the way).
 */
function bound(
  value: unknown,
  path: (string | number)[],
  cuts: Cut[],
  redact?: (text: string) => string,
): [unknown, number] {
  if (typeof value === "string") {
    if (value.length <= SHORT_STRING) return [value, value.length + 2];
    let shown = readable(value);
    if (shown.length > MAX_STRUCTURED_STRING) {
      if (redact) shown = readable(redact(value));
      if (shown.length > MAX_STRUCTURED_STRING) {
        shown = shown.slice(0, MAX_STRUCTURED_STRING) + "…";
      }
    }
    return [shown === value ? value : shown, shown.length + 2];
  }
  if (value === null || typeof value !== "object") {
    return [value, String(value).length];
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    let size = 2;
    let kept = 0;
    for (; kept < value.length; kept++) {
      if (kept === MAX_STRUCTURED_ITEMS) break;
      const entry = value[kept];
      // Cuts inside an entry count only if the entry is kept: those it
      // added are dropped again when it is not.
      const before = cuts.length;
      const [v, n] = boundAt(entry, kept, path, cuts, redact);
      if (kept > 0 && size + n + 1 > MAX_ARRAY_CHARS) {
        cuts.length = before;
        break;
      }
      size += n + 1;
      if (v !== entry) (copy ??= [...value])[kept] = v;
    }
    if (kept < value.length) {
      cuts.push({ at: pathText(path), kept, total: value.length });
      return [(copy ?? value).slice(0, kept), size];
    }
    return [copy ?? value, size];
  }
  let copy: Record<string, unknown> | undefined;
  let size = 2;
  for (const key of Object.keys(value)) {
    const before = (value as Record<string, unknown>)[key];
    const [after, n] = boundAt(before, key, path, cuts, redact);
    size += key.length + 4 + n;
    if (after !== before) {
      (copy ??= { ...(value as Record<string, unknown>) })[key] = after;
    }
  }
  return [copy ?? value, size];
}

/**
 * {@link bound} of `value`, found at `step` below `path`: a path is only
 * named by a cut array, so only containers step into it.
 */
function boundAt(
  value: unknown,
  step: string | number,
  path: (string | number)[],
  cuts: Cut[],
  redact?: (text: string) => string,
): [unknown, number] {
  if (!isObject(value)) return bound(value, path, cuts, redact);
  path.push(step);
  const out = bound(value, path, cuts, redact);
  path.pop();
  return out;
}

/** An object or array: the only values whose path a cut can name. */
function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/**
 * A line for the answer's text saying what was left out and how to get
 * it: with `paged`, by paging (a smaller limit, then offset); otherwise by
 * asking for less.
 */
export function cutNote(cuts: readonly Cut[], paged: boolean): string {
  const named = cuts.slice(0, MAX_CUTS_NAMED).map((c) =>
    `${c.at} lists ${c.kept.toLocaleString("en-US")} of ${
      c.total.toLocaleString("en-US")
    } (${(c.total - c.kept).toLocaleString("en-US")} left out)`
  );
  const more = cuts.length > MAX_CUTS_NAMED
    ? ` and ${cuts.length - MAX_CUTS_NAMED} more lists`
    : "";
  return `The structured answer was cut to stay small: ${
    named.join(", ")
  }${more}. To see the rest, ${
    paged
      ? "ask for a smaller page (limit) and page on with offset"
      : "narrow the request (a filter, a smaller count, one item)"
  }.`;
}
