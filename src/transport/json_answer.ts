/**
 * Reads a JSON answer: the structure guard first (size and shape, before
 * `JSON.parse`), then the parse, then the schema.
 *
 * @module
 */
import { PlexResponseError } from "./errors.ts";
import { DEFAULT_JSON_LIMITS, jsonOverLimit } from "./json_guard.ts";
import type { ResponseSchema } from "./types.ts";

/**
 * A read answer, or why it could not be used. `maybeNotPlex`: the body
 * was XML or HTML, or JSON without a `MediaContainer`, so the address may
 * not be a Plex server at all (the caller may ask it).
 */
export type JsonAnswer<T> =
  | { ok: true; data: T }
  | { ok: false; error: PlexResponseError; maybeNotPlex: boolean };

/**
 * Checks, parses and validates `text`, the answer to `endpoint`. An answer
 * past the structure guard's limits throws at once.
 */
export function readJsonAnswer<T>(
  text: string,
  endpoint: string,
  schema: ResponseSchema<T>,
): JsonAnswer<T> {
  const over = jsonOverLimit(text, DEFAULT_JSON_LIMITS);
  if (over) {
    throw new PlexResponseError(
      `Plex answered ${endpoint} with JSON too large to handle safely (${over}); ask for a smaller page`,
      endpoint,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const looksXml = text.trimStart().startsWith("<");
    return {
      ok: false,
      maybeNotPlex: looksXml,
      error: new PlexResponseError(
        looksXml
          ? `Plex answered ${endpoint} with XML or HTML instead of JSON; is PLEX_SERVER_URL a Plex Media Server?`
          : `Plex answered ${endpoint} with a body that is not valid JSON (${text.length} bytes, possibly truncated)`,
        endpoint,
        error,
      ),
    };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue ? issue.path.map(String).join(".") || "(root)" : "(root)";
  return {
    ok: false,
    maybeNotPlex: json === null || typeof json !== "object" ||
      !("MediaContainer" in json),
    error: new PlexResponseError(
      `Plex answered ${endpoint} with an unexpected shape at ${where}: ${
        issue?.message ?? "invalid"
      }`,
      endpoint,
      parsed.error,
    ),
  };
}
