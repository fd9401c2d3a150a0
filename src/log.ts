/**
 * A small levelled logger. It writes to stderr only (stdout is the JSON-RPC
 * channel of the stdio transport) and can mirror records to MCP logging
 * notifications. Every line is redacted before it leaves.
 *
 * @module
 */
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
  /** Secrets to redact from every record (the Plex token). */
  secrets?: readonly string[];
  /** Where lines go; default writes to `Deno.stderr`. Tests inject a buffer. */
  write?: (line: string) => void;
  /** Name printed in front of every line. Default `plexmcp`. */
  name?: string;
}

const encoder = new TextEncoder();

function writeStderr(line: string): void {
  try {
    Deno.stderr.writeSync(encoder.encode(line + "\n"));
  } catch {
    // stderr closed: nothing sensible left to do.
  }
}

/** Levelled, redacting logger writing to stderr and optional sinks. */
export class Logger {
  #level: number;
  #secrets: readonly string[];
  #write: (line: string) => void;
  #name: string;
  #sinks = new Set<LogSink>();

  /** Creates a logger; see {@link LoggerOptions}. */
  constructor(options: LoggerOptions = {}) {
    this.#level = LOG_LEVELS.indexOf(options.level ?? "info");
    this.#secrets = options.secrets ?? [];
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
    return redact(text, this.#secrets);
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

  /** Logs one record, redacted, to stderr and every sink. */
  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const safe = this.redact(message);
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
