/**
 * The V8 flags every documented way of running the server passes: the
 * printed client configurations, `deno task start`, `install` and
 * `compile`, and the README. Measured in `deno task bench` (the V8 flags
 * section): of the candidates that keep the server under 100 MB resident
 * after 1,000 calls, the one with the least start-up cost.
 *
 * @module
 */

/** V8 flags, comma-separated as `--v8-flags=` takes them. */
export const V8_FLAGS = "--optimize-for-size";

/** The Deno argument that passes {@link V8_FLAGS}. */
export const V8_FLAGS_ARG: string = `--v8-flags=${V8_FLAGS}`;
