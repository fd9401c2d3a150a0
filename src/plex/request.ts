/**
 * URL building, error classification and bounded body reading, from the
 * shared transport.
 *
 * @module
 */
export * from "../transport/request.ts";
