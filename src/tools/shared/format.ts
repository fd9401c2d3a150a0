/**
 * Small formatters for compact tool text.
 *
 * @module
 */

/** Last second of 9999-12-31: beyond it ISO years take six digits. */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799;

const two = (n: number) => n < 10 ? `0${n}` : String(n);

/**
 * Epoch seconds → ISO 8601, or undefined. Whole seconds (what Plex sends)
 * by calendar arithmetic (days to civil date, H. Hinnant's algorithm):
 * a list formats one per item, and a Date per value showed in profiles.
 * Anything else as `Date` writes it.
 */
export function isoTime(epochSeconds: number | undefined): string | undefined {
  if (epochSeconds === undefined || epochSeconds <= 0) return undefined;
  if (
    !Number.isSafeInteger(epochSeconds) || epochSeconds > LAST_FOUR_DIGIT_YEAR
  ) {
    return new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z");
  }
  const days = Math.floor(epochSeconds / 86_400);
  const secs = epochSeconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(secs / 3_600);
  const m = Math.floor((secs - h * 3_600) / 60);
  return `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}T${
    two(h)
  }:${two(m)}:${two(secs - h * 3_600 - m * 60)}Z`;
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
