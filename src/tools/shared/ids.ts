/**
 * Ids that go into a request path or header. Plex's own ids are short and
 * plain (numbers, hex, UUIDs, dotted or dashed names); anything else that
 * comes back from a server (a `/`, `..`, `?`, a line break) is refused
 * before any request is made, so a hostile or broken answer cannot steer a
 * write to another endpoint.
 *
 * @module
 */
import { ToolInputError } from "./define_tool.ts";

const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** Shows at most `max` characters of what someone passed. */
export function shown(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? value.slice(0, max) + "…" : value);
}

/**
 * Returns `id` when it is safe to put in a path segment or header, else
 * throws a {@link ToolInputError} naming what it is.
 */
export function safeId(id: string, what: string): string {
  if (PLAIN_ID.test(id) && !id.includes("..")) return id;
  throw new ToolInputError(
    `Plex gave a ${what} id that is not safe to use in a request (${
      shown(id)
    }); nothing was sent`,
  );
}
