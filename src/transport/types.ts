/**
 * The shapes the transport's users share: the `fetch` it calls, the
 * methods it sends and the schemas answers are checked against.
 *
 * @module
 */

/** A `fetch`-compatible function (inject one for tests or demo mode). */
export type FetchLike = (
  input: Request | URL | string,
  init?: RequestInit,
) => Promise<Response>;

/** HTTP methods the client uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * A schema that validates a parsed JSON body (zod schemas fit). Kept
 * structural so the public API does not expose zod's types.
 */
export interface ResponseSchema<T> {
  /** Validates `data`. */
  safeParse(data: unknown):
    | { success: true; data: T }
    | {
      success: false;
      error: {
        issues: readonly { path: readonly PropertyKey[]; message: string }[];
      };
    };
}

/** A binary answer (an image from the photo transcoder). */
export interface BytesAnswer {
  /** The body. */
  bytes: Uint8Array;
  /** Its `Content-Type` (lower case, without parameters), or "". */
  contentType: string;
}
