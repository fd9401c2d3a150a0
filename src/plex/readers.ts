/**
 * The readers Plex answers are read with: the tolerant value readers (from
 * the transport's `values.ts`, shared with plex.tv's answers) and a schema
 * for an answer's `MediaContainer`.
 *
 * @module
 */
import type { ResponseSchema } from "../transport/types.ts";
import { bool, isObject, num, objects, str } from "../transport/values.ts";

export { bool, isObject, num, objects, str };

const NO_CONTAINER = {
  success: false,
  error: {
    issues: [{ path: ["MediaContainer"], message: "expected an object" }],
  },
} as const;

/**
 * A schema for a Plex answer: its `MediaContainer` object read by `read`
 * (which must not throw), or an issue naming `MediaContainer` when the
 * answer has none.
 */
export function containerReader<T>(
  read: (c: Record<string, unknown>) => T,
): ResponseSchema<T> {
  return {
    safeParse(data) {
      const c = isObject(data) ? data.MediaContainer : undefined;
      return isObject(c) ? { success: true, data: read(c) } : NO_CONTAINER;
    },
  };
}
