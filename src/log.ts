/**
 * A small levelled logger. It writes to stderr only (stdout is the JSON-RPC
 * channel of the stdio transport) and can mirror records to MCP logging
 * notifications. Every line is redacted before it leaves, and cut to
 * {@link MAX_RECORD_CHARS}.
 *
 * Writing to stderr never blocks the server: lines are queued and written
 * in the background, and when a client does not read stderr (the pipe is
 * full) and the queue reaches {@link MAX_STDERR_QUEUE_BYTES}, further lines
 * are dropped and counted; the count is reported once stderr moves again.
 *
 * Also the limits on text that leaves the server: lines and strings from
 * Plex are cut ({@link clipLines}, {@link clipStrings}), and text a client
 * supplied is quoted back short ({@link quoted}).
 *
 * @module
 */
import { hasUnsafe, printable } from "./printable.ts";
import { redact } from "./redact.ts";

/** Log levels, in increasing severity (a subset of the MCP/syslog levels). */
export type LogLevel = "debug" | "info" | "warning" | "error";

/** All levels, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = [
  "debug",
  "info",
  "warning",
  "error",
];

/** A receiver of log records in addition to stderr (e.g. MCP notifications). */
export type LogSink = (level: LogLevel, message: string) => void;

/** Options for {@link Logger}. */
export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  level?: LogLevel;
  /**
   * Secrets to redact from every record: a list, or a function asked at
   * every record (`() => plex.secrets()`, so that tokens learnt later, such
   * as transient playback tokens, are redacted too).
   */
  secrets?: readonly string[] | (() => readonly string[]);
  /** Where lines go; default writes to `Deno.stderr`. Tests inject a buffer. */
  write?: (line: string) => void;
  /** Name printed in front of every line. Default `plexmcp`. */
  name?: string;
}

const encoder = new TextEncoder();

/** Longest log record, in characters; longer ones are cut. */
export const MAX_RECORD_CHARS = 2_000;

/** Bytes of log lines waiting for stderr before lines are dropped. */
export const MAX_STDERR_QUEUE_BYTES = 64 * 1024;

/** Most characters of client-supplied text quoted back in errors and logs. */
export const MAX_ECHO_CHARS = 60;

/**
 * `value` as a JSON string of at most {@link MAX_ECHO_CHARS} characters (and
 * an ellipsis): how client-supplied text (a tool name, an argument key, a
 * URI) is quoted back, however long it is.
 */
export function quoted(value: string, max: number = MAX_ECHO_CHARS): string {
  return JSON.stringify(cut(value, max));
}

/** `text` cut to `max` characters with an ellipsis (no quotes). */
export function cut(text: string, max: number = MAX_ECHO_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Longest line of text the server sends: tool text, tool errors and
 * JSON-RPC error messages. Longer lines (a huge title) are cut.
 */
export const MAX_TEXT_LINE = 2_000;
/**
 * Longest string in structured output: tool `structuredContent`, the values
 * inside resource contents, resource lists and completion values. Longer
 * ones are cut.
 */
export const MAX_STRUCTURED_STRING = 4_000;

/**
 * Cuts every line of `text` to {@link MAX_TEXT_LINE} characters. `redact`
 * is applied first when a line is cut, so that a cut through a secret
 * leaves none of it (the boundary redacts whole text, not its pieces).
 */
export function clipLines(
  text: string,
  redact?: (text: string) => string,
): string {
  if (text.length <= MAX_TEXT_LINE) return text;
  if (redact) text = redact(text);
  return text.split("\n").map((line) =>
    line.length <= MAX_TEXT_LINE
      ? line
      : `${line.slice(0, MAX_TEXT_LINE)}… (${
        line.length - MAX_TEXT_LINE
      } more characters)`
  ).join("\n");
}

/**
 * Text from outside as the server sends it: control characters made
 * visible ({@link printable}), a Windows line end (CR LF) kept as the
 * newline it stands for.
 */
export function readable(text: string): string {
  // One scan for the common case: without a control character there is
  // no CR either.
  if (!hasUnsafe(text)) return text;
  return printable(
    text.includes("\r\n") ? text.replaceAll("\r\n", "\n") : text,
  );
}

/**
 * Cuts every string in `value` to {@link MAX_STRUCTURED_STRING}, at any
 * depth, in one pass, with its control characters made visible
 * ({@link readable}): the value is about to be written as JSON text (a
 * resource's contents), where the server's boundary could not show them
 * without breaking the JSON. Copy on write: a value with nothing to change
 * is returned as it is, without a copy.
 */
export function clipStrings<T>(value: T): T {
  return clipValue(value) as T;
}

function clipValue(value: unknown): unknown {
  if (typeof value === "string") {
    const shown = readable(value);
    return shown.length <= MAX_STRUCTURED_STRING
      ? shown
      : shown.slice(0, MAX_STRUCTURED_STRING) + "…";
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = clipValue(value[i]);
      if (v !== value[i]) (copy ??= [...value])[i] = v;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const before = (value as Record<string, unknown>)[key];
    const after = clipValue(before);
    if (after !== before) {
      (copy ??= { ...(value as Record<string, unknown>) })[key] = after;
    }
  }
  return copy ?? value;
}

/** Cuts `text` to `max` characters, saying how much was left out. */
export function clip(text: string, max: number = MAX_RECORD_CHARS): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * Writes lines to stderr in the background, so a full pipe never blocks
 * the caller: past {@link MAX_STDERR_QUEUE_BYTES} queued, lines are dropped
 * and counted.
 */
class StderrQueue {
  readonly #lines: Uint8Array[] = [];
  #bytes = 0;
  #dropped = 0;
  #pumping: Promise<void> | undefined;

  write(line: string): void {
    const bytes = encoder.encode(line + "\n");
    if (this.#bytes + bytes.length > MAX_STDERR_QUEUE_BYTES) {
      this.#dropped++;
      return;
    }
    this.#lines.push(bytes);
    this.#bytes += bytes.length;
    this.#pumping ??= this.#pump().finally(() => this.#pumping = undefined);
  }

  async #pump(): Promise<void> {
    try {
      while (this.#lines.length) {
        const bytes = this.#lines[0]!;
        let at = 0;
        while (at < bytes.length) {
          at += await Deno.stderr.write(bytes.subarray(at));
        }
        this.#lines.shift();
        this.#bytes -= bytes.length;
        if (this.#dropped && this.#lines.length === 0) {
          const n = this.#dropped;
          this.#dropped = 0;
          this.#lines.push(encoder.encode(
            `plexmcp WARNING ${n} log line(s) dropped: stderr was not being read\n`,
          ));
          this.#bytes += this.#lines[0]!.length;
        }
      }
    } catch {
      // stderr closed: nothing sensible left to do.
      this.#lines.length = 0;
      this.#bytes = 0;
    }
  }

  /** Resolves once the queue is written, or after `ms`. */
  async flush(ms: number): Promise<void> {
    if (!this.#pumping) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#pumping,
      new Promise((resolve) => timer = setTimeout(resolve, ms)),
    ]);
    clearTimeout(timer);
  }
}

let stderrQueue: StderrQueue | undefined;

function writeStderr(line: string): void {
  (stderrQueue ??= new StderrQueue()).write(line);
}

/** Levelled, redacting logger writing to stderr and optional sinks. */
export class Logger {
  #level: number;
  #secrets: () => readonly string[];
  #write: (line: string) => void;
  #name: string;
  #sinks = new Set<LogSink>();

  /** Creates a logger; see {@link LoggerOptions}. */
  constructor(options: LoggerOptions = {}) {
    this.#level = LOG_LEVELS.indexOf(options.level ?? "info");
    const secrets = options.secrets ?? [];
    this.#secrets = typeof secrets === "function" ? secrets : () => secrets;
    this.#write = options.write ?? writeStderr;
    this.#name = options.name ?? "plexmcp";
  }

  /** Adds a sink and returns a function that removes it. */
  addSink(sink: LogSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  /** Whether records of `level` are written. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.#level;
  }

  /** Redacts the configured secrets from `text`. */
  redact(text: string): string {
    return redact(text, this.#secrets());
  }

  /** Logs at debug level. */
  debug(message: string): void {
    this.log("debug", message);
  }
  /** Logs at info level. */
  info(message: string): void {
    this.log("info", message);
  }
  /** Logs at warning level. */
  warn(message: string): void {
    this.log("warning", message);
  }
  /** Logs at error level. */
  error(message: string): void {
    this.log("error", message);
  }

  /**
   * Waits until lines queued for stderr are written, or `ms` passes (call
   * before exiting so the last lines are not lost).
   */
  async flush(ms = 500): Promise<void> {
    if (this.#write === writeStderr) await stderrQueue?.flush(ms);
  }

  /**
   * Logs to stderr only, never to sinks such as MCP notifications: for
   * details that belong on this machine (stack traces, local file paths).
   */
  local(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.#write(
      `${this.#name} ${level.toUpperCase()} ${clip(this.redact(message))}`,
    );
  }

  /** Logs one record, redacted and cut to length, to stderr and every sink. */
  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const safe = clip(this.redact(message));
    this.#write(`${this.#name} ${level.toUpperCase()} ${safe}`);
    for (const sink of this.#sinks) {
      try {
        sink(level, safe);
      } catch {
        // A failing sink (e.g. a closed transport) must not break logging.
      }
    }
  }
}
