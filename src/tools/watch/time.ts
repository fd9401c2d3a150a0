/**
 * Positions in a film or episode as people write them: `1:02:03`, `12:30`,
 * `90s`, `45m`, `1h2m30s`, and back (`clock`).
 *
 * @module
 */

/** Longest position accepted: a day. */
const MAX_MS = 86_400_000;

/**
 * Milliseconds of a position (`h:mm:ss`, `m:ss`, or `1h2m3s` with any of
 * the parts, seconds may have decimals); undefined when it is none of
 * these or longer than a day.
 */
export function parsePosition(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  let seconds: number | undefined;
  const clock = /^(?:(\d{1,2}):)?(\d{1,3}):(\d{2}(?:\.\d+)?)$/.exec(t);
  if (clock) {
    const [h, m, s] = [
      Number(clock[1] ?? 0),
      Number(clock[2]),
      Number(clock[3]),
    ];
    if (s >= 60 || (clock[1] !== undefined && m >= 60)) return undefined;
    seconds = h * 3600 + m * 60 + s;
  } else {
    const units =
      /^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec)?)?$/
        .exec(t);
    if (!units || !(units[1] || units[2] || units[3])) return undefined;
    seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 +
      Number(units[3] ?? 0);
  }
  const ms = Math.round(seconds * 1000);
  return Number.isFinite(ms) && ms <= MAX_MS ? ms : undefined;
}

/** `1:02:03` or `2:03` (whole seconds). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
