/**
 * Writes subtitle files as the demo's sidecars hold them: SubRip (SRT),
 * WebVTT and ASS, each with a little of its format's own styling (SRT
 * `<i>` and `{\an8}`, VTT voices, ASS override blocks and `\N`) so that
 * readers must strip it.
 *
 * @module
 */

/** A cue to write. */
export interface DemoCue {
  /** Start, ms. */
  startMs: number;
  /** End, ms. */
  endMs: number;
  /** Text; `[…]` is a sound. */
  text: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function hms(ms: number, sep: string, fracDigits = 3): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const frac = fracDigits === 3
    ? pad(ms % 1000, 3)
    : pad(Math.floor(ms % 1000 / 10));
  return `${fracDigits === 3 ? pad(h) : h}:${pad(m)}:${pad(s)}${sep}${frac}`;
}

/** Lines spread over `durationMs`, a sound between every two. */
export function timeLines(
  lines: readonly string[],
  sounds: readonly string[],
  durationMs: number,
): DemoCue[] {
  const texts: string[] = [];
  lines.forEach((line, i) => {
    texts.push(line);
    if (i < lines.length - 1) texts.push(sounds[i % sounds.length]!);
  });
  const step = Math.floor((durationMs - 60_000) / texts.length);
  return texts.map((text, i) => {
    const startMs = 20_000 + i * step;
    return { startMs, endMs: startMs + Math.min(3_500, step - 200), text };
  });
}

/** An SRT file. */
export function toSrt(cues: readonly DemoCue[]): string {
  return cues.map((c, i) => {
    const text = c.text.startsWith("[")
      ? `{\\an8}<i>${c.text}</i>`
      : c.text.length > 40
      ? c.text.replace(/^(.{20,}?[,.?!]) /, "$1\n")
      : c.text;
    return `${i + 1}\n${hms(c.startMs, ",")} --> ${
      hms(c.endMs, ",")
    }\n${text}\n`;
  }).join("\n");
}

/** A WebVTT file. */
export function toVtt(cues: readonly DemoCue[]): string {
  return "WEBVTT\n\nNOTE Written for the plexmcp demo.\n\n" +
    cues.map((c) =>
      `${hms(c.startMs, ".")} --> ${hms(c.endMs, ".")}\n${
        c.text.startsWith("[") ? `<i>${c.text}</i>` : `<v Speaker>${c.text}`
      }\n`
    ).join("\n");
}

/** An ASS file. */
export function toAss(cues: readonly DemoCue[]): string {
  return [
    "[Script Info]",
    "Title: The Lantern Coast",
    "ScriptType: v4.00+",
    "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, Bold, Italic, Alignment",
    "Style: Default,Arial,20,&H00FFFFFF,0,0,2",
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ...cues.map((c) =>
      `Dialogue: 0,${hms(c.startMs, ".", 2)},${
        hms(c.endMs, ".", 2)
      },Default,,0,0,0,,${
        c.text.startsWith("[")
          ? `{\\i1}${c.text}{\\i0}`
          : c.text.replace(/^(.{20,}?[,.?!]) /, "$1\\N")
      }`
    ),
    "",
  ].join("\n");
}
