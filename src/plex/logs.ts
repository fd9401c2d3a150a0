/**
 * Reading a Plex Media Server log file: its lines are
 * `Mon DD, YYYY HH:MM:SS.mmm [thread] LEVEL - message`, e.g.
 * `Dec 15, 2024 03:45:14.374 [140307690093368] ERROR - [Req#105/Transcode]
 * [FFMPEG] - Cannot load libcuda.so.1` (quoted from a real log in public
 * write-ups; older servers print the thread in hex, `[0x7f…]`), with the
 * levels PMS's own `/log` endpoint names: 0 error, 1 warning, 2 info,
 * 3 debug, 4 verbose (API.md §22), written `ERROR`, `WARN`, `INFO`,
 * `DEBUG`, `VERBOSE`. A line without that header (a stack trace, a
 * multi-line message) belongs to the entry before it.
 *
 * {@link tailLog} streams a file and keeps only the last N entries that
 * pass the filters, each redacted before it is matched or kept, so memory
 * stays bounded whatever the file's size.
 *
 * @module
 */

/** Plex's log levels, most severe first. */
export type LogLevel = "error" | "warning" | "info" | "debug" | "verbose";

/** Every level, most severe first. */
export const LOG_LEVELS: readonly LogLevel[] = [
  "error",
  "warning",
  "info",
  "debug",
  "verbose",
];

const LEVEL_WORDS: Readonly<Record<string, LogLevel>> = {
  ERROR: "error",
  WARN: "warning",
  WARNING: "warning",
  INFO: "info",
  DEBUG: "debug",
  VERBOSE: "verbose",
};

const HEADER =
  /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}:\d{2}\.\d{3} \[(?:0x)?[0-9a-fA-F]+\] ([A-Z]+) - /;

/** The level of a line that starts an entry; undefined for any other. */
export function lineLevel(line: string): LogLevel | null | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  return LEVEL_WORDS[m[1]!] ?? null;
}

/** One log entry: its first line and any lines that continue it. */
export interface LogEntry {
  /** Its level; null for a level word Plex does not use. */
  level: LogLevel | null;
  /** The entry, redacted, its lines joined with `\n`. */
  text: string;
}

/** What {@link tailLog} keeps. */
export interface TailOptions {
  /** How many of the last matching entries to keep. */
  lines: number;
  /** Only entries of this level or more severe. */
  minLevel?: LogLevel;
  /** Only entries holding this text (case-insensitive, after redaction). */
  contains?: string;
  /** Applied to every entry before it is matched or kept. */
  redact: (text: string) => string;
  /** Stops reading. */
  signal?: AbortSignal;
}

/** What {@link tailLog} found. */
export interface TailResult {
  /** The last matching entries, oldest first. */
  entries: LogEntry[];
  /** Entries that matched, in the whole file. */
  matched: number;
  /** Entries in the whole file. */
  scanned: number;
}

/** Longest line kept, in characters (the rest is cut). */
export const MAX_LOG_LINE = 2_000;
/** Continuation lines kept per entry. */
const MAX_CONTINUATION = 40;
/** Longest entry kept, in characters. */
const MAX_ENTRY = 4_000;
/** Characters read into one line before the rest of it is skipped. */
const MAX_PENDING = 64 * 1024;

function cut(line: string, max: number): string {
  return line.length <= max
    ? line
    : `${line.slice(0, max)}… (${line.length - max} more characters)`;
}

/**
 * Reads a log file and returns its last `options.lines` entries that pass
 * the filters. An entry passes `minLevel` only with a known level at least
 * that severe; `contains` is matched against the redacted text, so that
 * a filter can never tell whether a secret is in the log.
 */
export async function tailLog(
  stream: ReadableStream<Uint8Array>,
  options: TailOptions,
): Promise<TailResult> {
  const keep = Math.max(1, options.lines);
  const ring: LogEntry[] = new Array(keep);
  let next = 0;
  let matched = 0;
  let scanned = 0;
  const rank = options.minLevel === undefined
    ? undefined
    : LOG_LEVELS.indexOf(options.minLevel);
  const needle = options.contains?.toLowerCase();

  let current: { level: LogLevel | null; lines: string[] } | undefined;
  let dropped = 0;
  const finish = () => {
    if (!current) return;
    scanned++;
    const entry = current;
    current = undefined;
    if (
      rank !== undefined &&
      (entry.level === null || LOG_LEVELS.indexOf(entry.level) > rank)
    ) {
      dropped = 0;
      return;
    }
    if (dropped) entry.lines.push(`… (${dropped} more lines)`);
    dropped = 0;
    const text = cut(options.redact(entry.lines.join("\n")), MAX_ENTRY);
    if (needle !== undefined && !text.toLowerCase().includes(needle)) return;
    matched++;
    ring[next] = { level: entry.level, text };
    next = (next + 1) % keep;
  };
  const line = (raw: string) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const level = lineLevel(text);
    if (level !== undefined || !current) {
      finish();
      // A file that starts mid-entry: its first lines stand alone.
      current = { level: level ?? null, lines: [cut(text, MAX_LOG_LINE)] };
    } else if (current.lines.length <= MAX_CONTINUATION) {
      current.lines.push(cut(text, MAX_LOG_LINE));
    } else {
      dropped++;
    }
  };

  const decoder = new TextDecoder("utf-8");
  const reader = stream.getReader();
  let pending = "";
  let skipping = false;
  try {
    while (true) {
      if (options.signal?.aborted) throw options.signal.reason;
      const { done, value } = await reader.read();
      const chunk = done ? decoder.decode() : decoder.decode(value, {
        stream: true,
      });
      let from = 0;
      while (true) {
        const nl = chunk.indexOf("\n", from);
        if (nl < 0) break;
        const piece = chunk.slice(from, nl);
        if (!skipping) line(pending + piece);
        pending = "";
        skipping = false;
        from = nl + 1;
      }
      if (!skipping) {
        pending += chunk.slice(from);
        // A line with no end in sight: keep its start, skip the rest.
        if (pending.length > MAX_PENDING) {
          line(pending);
          pending = "";
          skipping = true;
        }
      }
      if (done) break;
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (pending) line(pending);
  finish();
  const count = Math.min(matched, keep);
  const entries: LogEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push(ring[(next - count + i + keep) % keep]!);
  }
  return { entries, matched, scanned };
}
