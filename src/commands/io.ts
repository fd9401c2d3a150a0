/**
 * What the people-facing commands (`login`, `doctor`, `tools`, `call`,
 * `config`) need from the outside world, so tests can drive them in
 * process or as subprocesses alike.
 *
 * @module
 */
import type { FetchLike } from "../plex/client.ts";
import {
  type FlagSpec,
  parseArgs,
  type ParsedArgs,
  UsageError,
} from "./args.ts";
import { CLI_NAME } from "../version.ts";

/** I/O for a command. */
export interface CommandIo {
  /** Environment variables the command may read. */
  env: Record<string, string | undefined>;
  /** Writes machine-readable output (stdout); a newline is added. */
  out(text: string): void;
  /** Writes messages for people (stderr), as given (no newline added). */
  err(text: string): void;
  /** Whether a person is at the keyboard (stdin and stderr are terminals). */
  interactive: boolean;
  /** Reads one line from stdin; null at its end. */
  readLine(): Promise<string | null>;
  /** Aborted on Ctrl+C. */
  interrupt: AbortSignal;
  /** `fetch` for plex.tv and the servers (tests inject fakes). */
  fetch?: FetchLike;
  /** Waits (tests may speed it up). */
  sleep?(ms: number): Promise<void>;
  /** The clock, epoch ms; default `Date.now` (tests may move it). */
  now?(): number;
  /**
   * Resolves a host name to its addresses (A and AAAA); default DNS. Used
   * to keep `login` away from link-local and metadata addresses.
   */
  resolve?(hostname: string, signal: AbortSignal): Promise<string[]>;
}

const encoder = new TextEncoder();

/** Reads lines from stdin, one call at a time. */
function stdinLines(): () => Promise<string | null> {
  const decoder = new TextDecoder();
  let buffered = "";
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let ended = false;
  return async () => {
    while (true) {
      const at = buffered.indexOf("\n");
      if (at >= 0) {
        const line = buffered.slice(0, at).replace(/\r$/, "");
        buffered = buffered.slice(at + 1);
        return line;
      }
      if (ended) {
        if (!buffered) return null;
        const rest = buffered;
        buffered = "";
        return rest;
      }
      reader ??= Deno.stdin.readable.getReader();
      const { done, value } = await reader.read();
      if (done) ended = true;
      else buffered += decoder.decode(value, { stream: true });
    }
  };
}

/** The real terminal: stdout, stderr, stdin, Ctrl+C. */
export function terminalIo(
  env: Record<string, string | undefined>,
): { io: CommandIo; dispose(): void } {
  const interrupt = new AbortController();
  const onSigint = () =>
    interrupt.abort(new DOMException("interrupted", "AbortError"));
  let listening = false;
  try {
    Deno.addSignalListener("SIGINT", onSigint);
    listening = true;
  } catch { /* no signals here: Ctrl+C ends the process as usual */ }
  let interactive = false;
  try {
    interactive = Deno.stdin.isTerminal() && Deno.stderr.isTerminal();
  } catch { /* not a terminal */ }
  const lines = stdinLines();
  const io: CommandIo = {
    env,
    out: (text) => Deno.stdout.writeSync(encoder.encode(text + "\n")),
    err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    interactive,
    // Ctrl+C at a prompt stops the command at once.
    readLine: () => raceInterrupt(lines(), interrupt.signal),
    interrupt: interrupt.signal,
  };
  return {
    io,
    dispose: () => {
      if (listening) Deno.removeSignalListener("SIGINT", onSigint);
    },
  };
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function raceInterrupt<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

/** Sleeps, or rejects when `signal` aborts. */
export function sleepUnless(
  ms: number,
  signal: AbortSignal,
  sleep?: (ms: number) => Promise<void>,
): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    };
    if (sleep) sleep(ms).then(done, reject);
    else timer = setTimeout(done, ms);
  });
}

/**
 * Parses a command's arguments the way every command does: `--help` prints
 * `help` (exit 0); an unknown flag, a missing value, or a positional when
 * `positionals` is 0 prints the message and the usage line (exit 2).
 * Returns the parsed arguments, or the exit code when the command is done.
 */
export function commandArgs(
  command: string,
  help: string,
  args: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
  io: CommandIo,
  positionals = 0,
): ParsedArgs | number {
  try {
    const parsed = parseArgs(args, {
      ...spec,
      help: { type: "boolean", short: "h" },
    });
    if (parsed.flags.help) {
      io.out(help);
      return 0;
    }
    if (parsed.positionals.length > positionals) {
      throw new UsageError(
        `Unexpected argument '${
          parsed.positionals[positionals]!.slice(0, 40)
        }'`,
      );
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(
      `${CLI_NAME} ${command}: ${error.message}\n${help.split("\n")[0]}\n`,
    );
    return 2;
  }
}
