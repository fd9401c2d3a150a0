/**
 * Writes that read their result back say when it is not what they asked
 * for: Plex answers a write 2xx and may still keep nothing (a field it
 * does not edit for that item, a server that ignores the request, an edit
 * raced by another client). Such an answer says the change did not take
 * and what Plex holds now, and is an error (`isError`), with the
 * structured content of what was read back where the tool has it.
 *
 * @module
 */
import { ToolInputError, type ToolResult } from "./define_tool.ts";

/** The words every such answer holds, for people and tests to find. */
export const DID_NOT_TAKE = "the change did not take";

/**
 * `Plex accepted {request}, but the change did not take: {now}.` (`who`
 * accepted it: Plex, or plex.tv for the watchlist).
 */
export function notTakenText(
  request: string,
  now: string,
  who = "Plex",
): string {
  return `${who} accepted ${request}, but ${DID_NOT_TAKE}: ${now}.`;
}

/**
 * The answer of a write whose read-back differs from what was asked:
 * `structured` is what Plex holds now.
 */
export function notTaken<O>(
  structured: O,
  request: string,
  now: string,
  who = "Plex",
): ToolResult<O> {
  return {
    structured,
    text: notTakenText(request, now, who),
    notTaken: true,
  };
}

/**
 * A write whose result Plex does not have at all when read back (it
 * answered a create with an id it then does not know): an error, since
 * there is nothing to show.
 */
export class NotTakenError extends ToolInputError {
  /** Creates the error (see {@link notTakenText}). */
  constructor(request: string, now: string) {
    super(notTakenText(request, now));
    this.name = "NotTakenError";
  }
}
