/**
 * Reads the text of a subtitle file: SubRip (SRT), WebVTT and Advanced
 * SubStation Alpha (ASS/SSA), into timed cues of plain text. Styling is
 * dropped (SRT/VTT `<i>` and `<c.x>` tags, VTT timestamps and voices, ASS
 * `{\…}` override blocks and drawing commands), control characters are
 * removed, and the answer is bounded: at most `maxCues` cues of at most
 * {@link MAX_CUE_CHARS} characters each.
 *
 * @module
 */

/** One timed line (or a few lines) of dialogue. */
export interface Cue {
  /** Start, in milliseconds from the beginning of the item. */
  startMs: number;
  /** End, in milliseconds. */
  endMs: number;
  /** Plain text; several lines joined with a space. */
  text: string;
}

/** Subtitle formats this module reads. */
export type TextSubtitleFormat = "srt" | "vtt" | "ass";

/** What {@link parseSubtitles} returns. */
export interface ParsedSubtitles {
  /** Cues in start order. */
  cues: Cue[];
  /** Cues left out because there were more than `maxCues`. */
  droppedCues: number;
}

/** Longest text kept of one cue, in characters. */
export const MAX_CUE_CHARS = 400;
/** Most cues read from one file by default. */
export const DEFAULT_MAX_CUES = 20_000;

/**
 * The format a Plex stream's codec or format names (`srt`, `subrip`,
 * `ass`, `ssa`, `vtt`, `webvtt`), or undefined for one this module cannot
 * read (image subtitles, SAMI, TTML, mov_text…).
 */
export function textFormat(
  codec: string | undefined,
): TextSubtitleFormat | undefined {
  switch ((codec ?? "").toLowerCase()) {
    case "srt":
    case "subrip":
      return "srt";
    case "vtt":
    case "webvtt":
      return "vtt";
    case "ass":
    case "ssa":
      return "ass";
    default:
      return undefined;
  }
}

// Every control character but tab and newline, the bidi controls and the
// line separators: what a subtitle line never needs and a terminal obeys.
const CONTROL_CLASS =
  "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]";
const CONTROL = new RegExp(CONTROL_CLASS, "g");

/** `text` without control characters, its whitespace collapsed. */
export function cleanText(text: string): string {
  const out = text.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  return out.length > MAX_CUE_CHARS
    ? out.slice(0, MAX_CUE_CHARS - 1) + "…"
    : out;
}

/** Milliseconds of `h:mm:ss,mmm`, `mm:ss.mmm` or ASS `h:mm:ss.cc`. */
export function parseTime(text: string): number | undefined {
  const m = /^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$/
    .exec(text);
  if (!m) return undefined;
  const [, h, min, s, frac] = m;
  const ms = frac ? Number(frac.padEnd(3, "0")) : 0;
  return ((Number(h ?? 0) * 60 + Number(min)) * 60 + Number(s)) * 1000 + ms;
}

/** SRT/VTT markup: `<i>`, `<c.yellow>`, `<v Bob>`, `<00:01.000>`, `{\an8}`. */
function stripMarkup(text: string): string {
  return text
    .replace(/<[^>\n]{0,200}>/g, "")
    .replace(/\{\\[^}\n]{0,200}\}/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** ASS dialogue text: override blocks, `\N` line breaks, `\h` spaces. */
function stripAss(text: string): string {
  // A `\p1` drawing draws shapes until `\p0`: its "text" is coordinates.
  const noDrawing = text.replace(
    /\{[^}]*\\p[1-9][^}]*\}[^{]*(\{[^}]*\\p0[^}]*\})?/g,
    " ",
  );
  return noDrawing
    .replace(/\{[^}]{0,500}\}/g, "")
    .replace(/\\[Nn]/g, " ")
    .replace(/\\h/g, " ");
}

class CueList {
  readonly cues: Cue[] = [];
  dropped = 0;
  constructor(readonly max: number) {}
  add(startMs: number, endMs: number, raw: string): void {
    const text = cleanText(raw);
    if (!text) return;
    if (this.cues.length >= this.max) {
      this.dropped++;
      return;
    }
    this.cues.push({ startMs, endMs: Math.max(endMs, startMs), text });
  }
  done(): ParsedSubtitles {
    // Files are in time order nearly always; ASS files need not be.
    this.cues.sort((a, b) => a.startMs - b.startMs);
    return { cues: this.cues, droppedCues: this.dropped };
  }
}

const ARROW =
  /^\s*((?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)\s*-->\s*((?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)/;

/** SRT and WebVTT: blocks of an optional id, a time line, then text. */
function parseBlocks(text: string, max: number): ParsedSubtitles {
  const out = new CueList(max);
  const lines = text.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < lines.length) {
    const m = ARROW.exec(lines[i]!);
    if (!m) {
      // A VTT NOTE or STYLE block: skip to its blank line.
      if (/^(NOTE|STYLE|REGION)\b/.test(lines[i]!)) {
        while (i < lines.length && lines[i]!.trim() !== "") i++;
      }
      i++;
      continue;
    }
    const start = parseTime(m[1]!);
    const end = parseTime(m[2]!);
    i++;
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "") {
      // A cue without its blank line: the next time line starts a new one.
      if (ARROW.test(lines[i]!)) break;
      body.push(lines[i]!);
      i++;
    }
    if (start !== undefined && end !== undefined) {
      out.add(start, end, stripMarkup(body.join(" ")));
    }
  }
  return out.done();
}

/** ASS/SSA: `Dialogue:` lines laid out by the `[Events]` `Format:` line. */
function parseAss(text: string, max: number): ParsedSubtitles {
  const out = new CueList(max);
  let fields = [
    "layer",
    "start",
    "end",
    "style",
    "name",
    "marginl",
    "marginr",
    "marginv",
    "effect",
    "text",
  ];
  let inEvents = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("[")) {
      inEvents = /^\[events\]$/i.test(trimmed);
      continue;
    }
    if (!inEvents) continue;
    const colon = trimmed.indexOf(":");
    if (colon < 0) continue;
    const kind = trimmed.slice(0, colon).toLowerCase();
    const rest = trimmed.slice(colon + 1);
    if (kind === "format") {
      fields = rest.split(",").map((f) => f.trim().toLowerCase());
      continue;
    }
    if (kind !== "dialogue") continue;
    // The text is the last field and may hold commas.
    const parts = rest.split(",");
    const head = parts.slice(0, fields.length - 1);
    const body = parts.slice(fields.length - 1).join(",");
    const at = (name: string) => head[fields.indexOf(name)];
    const start = parseTime(at("start") ?? "");
    const end = parseTime(at("end") ?? "");
    if (start === undefined || end === undefined) continue;
    out.add(start, end, stripAss(body));
  }
  return out.done();
}

/**
 * Parses a subtitle file. `format` is what Plex says the stream is; a file
 * whose content says otherwise (a WebVTT header, an `[Events]` section) is
 * read as what it is.
 */
export function parseSubtitles(
  text: string,
  format: TextSubtitleFormat,
  maxCues: number = DEFAULT_MAX_CUES,
): ParsedSubtitles {
  const head = text.slice(0, 4096).replace(/^\ufeff/, "");
  if (/^\s*\[script info\]/i.test(head) || /^\s*\[events\]/im.test(head)) {
    return parseAss(text, maxCues);
  }
  if (format === "ass" && !/^\s*WEBVTT/.test(head) && !head.includes("-->")) {
    return parseAss(text, maxCues);
  }
  return parseBlocks(text, maxCues);
}
