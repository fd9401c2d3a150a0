/**
 * The plain, tolerant readers of JSON values that Plex and plex.tv answers
 * share: a string that may arrive as a number, a number that may arrive as
 * a string, Plex's several spellings of a boolean, and lists Plex omits when
 * empty or sends as one object. None throws; anything unreadable is
 * undefined (or dropped from a list).
 *
 * @module
 */

/** A plain object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A string, or a number as a string (ids). */
export function str(v: unknown): string | undefined {
  return typeof v === "string"
    ? v
    : typeof v === "number"
    ? String(v)
    : undefined;
}

/** A finite number, or a numeric string as a number. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** `true/false`, `0/1`, `"0"/"1"`, `"true"/"false"`; undefined when absent. */
export function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  return v === 1 || v === "1" || v === "true";
}

/** The objects of a list (omitted → [], a lone object → [it]). */
export function objects(v: unknown): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter(isObject);
}
