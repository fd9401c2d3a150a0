/**
 * Small formatters for compact tool text.
 *
 * @module
 */

/** Epoch seconds → ISO 8601, or undefined. */
export function isoTime(epochSeconds: number | undefined): string | undefined {
  if (epochSeconds === undefined || epochSeconds <= 0) return undefined;
  return new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z");
}

/** Epoch seconds → `YYYY-MM-DD`. */
export function isoDate(epochSeconds: number | undefined): string | undefined {
  return isoTime(epochSeconds)?.slice(0, 10);
}

/** Milliseconds → `1h 32m`, `41m`, `3:12` (under 10 min). */
export function duration(ms: number | undefined): string | undefined {
  if (ms === undefined || ms <= 0) return undefined;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 600) {
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return `${m}:${String(s).padStart(2, "0")}`;
  }
  const minutes = Math.round(totalSeconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h ${m}m` : `${m}m`;
}

/** Bytes → `1.2 GB`. */
export function bytes(n: number | undefined): string | undefined {
  if (n === undefined) return undefined;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v >= 10 || u === 0 ? 0 : 1)} ${units[u]}`;
}

/** Joins the defined parts with a separator. */
export function parts(
  values: (string | number | undefined | false | null)[],
  sep = " · ",
): string {
  return values.filter((v) =>
    v !== undefined && v !== false && v !== null && v !== ""
  )
    .join(sep);
}

/** `1 item`, `3 items`; `many` for words that do not just add an s. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
