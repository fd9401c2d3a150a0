/**
 * What a tool call answers: error results, the answer bounded (lines
 * cut, structured content bounded, redacted before anything is cut), the
 * server named when several are configured, and a thrown error turned
 * into a specific message.
 *
 * @module
 */
import type { CallToolResult } from "../sdk.ts";
import { clipLines, type Logger, MAX_TEXT_LINE } from "../log.ts";
import { PlexError } from "../transport/errors.ts";
import { ToolInputError } from "../tools/shared/define_tool.ts";
import { redactor } from "../redact.ts";
import { boundStructured, cutNote } from "../structured.ts";

/** An `isError` tool result; its lines are cut like tool text. */
export function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text: clipLines(text) }], isError: true };
}

/**
 * An `isError` tool result whose text may quote Plex: not cut here, but by
 * {@link bounded}, which redacts before it cuts.
 */
export function failure(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/**
 * `result` with its text's lines cut and its structured content bounded
 * (see `structured.ts`), redacted first wherever something is cut, since a
 * cut through a secret leaves a piece the boundary cannot recognise: when
 * an array was cut, the text says what was left out and how to get it
 * (`paged`: the tool takes offset/limit), and `_meta["plexmcp/cut"]` lists
 * the cut arrays with their counts.
 */
export function bounded(
  result: CallToolResult,
  paged: boolean,
  secrets: readonly string[],
): CallToolResult {
  // Built only when something is cut: most answers cut nothing.
  let built: ((text: string) => string) | undefined;
  const redact = (text: string) => (built ??= redactor(secrets))(text);
  const long = result.content.some((b) =>
    b.type === "text" && b.text.length > MAX_TEXT_LINE
  );
  const content = long
    ? result.content.map((b) =>
      b.type === "text" ? { ...b, text: clipLines(b.text, redact) } : b
    )
    : result.content;
  if (!result.structuredContent) {
    return long ? { ...result, content } : result;
  }
  const { value, cuts } = boundStructured(result.structuredContent, redact);
  if (!cuts.length) {
    return !long && value === result.structuredContent
      ? result
      : { ...result, content, structuredContent: value };
  }
  const [first, ...rest] = content as { type: string; text: string }[];
  const note = cutNote(cuts, paged);
  return {
    ...result,
    content: [
      { type: "text" as const, text: first ? `${first.text}\n${note}` : note },
      ...rest,
    ] as CallToolResult["content"],
    structuredContent: value,
    _meta: { ...result._meta, [CUT_META]: cuts },
  };
}

/** Where an answer lists the arrays that were cut. */
const CUT_META = "plexmcp/cut";

/** Names the server in an answer (several servers configured). */
export function named(name: string, result: CallToolResult): CallToolResult {
  const [first, ...rest] = result.content as { type: string; text: string }[];
  const text = result.isError
    ? `${name}: ${first?.text ?? ""}`
    : `Server: ${name}\n${first?.text ?? ""}`;
  return {
    ...result,
    content: [{ type: "text" as const, text }, ...rest] as CallToolResult[
      "content"
    ],
    ...(result.structuredContent
      ? { structuredContent: { server: name, ...result.structuredContent } }
      : {}),
  };
}

/** Turns a thrown error into an `isError` result with a specific message. */
export function toolError(
  name: string,
  error: unknown,
  log: Logger,
): CallToolResult {
  let message: string;
  if (
    error instanceof PlexError || error instanceof ToolInputError ||
    // plex.tv's errors (watchlist, Plex Home) say what to do, like Plex's;
    // matched by name so that start-up does not load the plex.tv client.
    (error instanceof Error && error.name === "PlexTvError")
  ) {
    message = error.message;
    log.warn(`${name} failed: ${message}`);
  } else if (error instanceof DOMException && error.name === "AbortError") {
    message = `${name} was cancelled`;
  } else {
    message = `${name} failed unexpectedly: ${
      error instanceof Error ? error.message : String(error)
    }`;
    log.error(message);
    // The stack stays on this machine: stderr only, never a notification.
    if (error instanceof Error && error.stack) {
      log.local("debug", `${name}: ${error.stack}`);
    }
  }
  return failure(message);
}
