/**
 * A scripted terminal for running `login` (and the other commands) in
 * process: it collects what they print and answers prompts from a list.
 */
import type { CommandIo } from "../../src/commands/io.ts";

/** A scripted terminal: collects output, answers lines from `answers`. */
export function scriptedIo(
  env: Record<string, string>,
  options: {
    interactive?: boolean;
    answers?: string[];
    abortAfterMs?: number;
  } = {},
): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const answers = [...(options.answers ?? [])];
  const interrupt = new AbortController();
  if (options.abortAfterMs !== undefined) {
    setTimeout(
      () => interrupt.abort(new DOMException("interrupted", "AbortError")),
      options.abortAfterMs,
    );
  }
  return {
    env,
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    interactive: options.interactive ?? false,
    readLine: () => Promise.resolve(answers.shift() ?? null),
    interrupt: interrupt.signal,
  };
}
