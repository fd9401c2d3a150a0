/**
 * The request a `fetch` call describes, for the fakes' in-process `fetch`.
 *
 * @module
 */

/** `fetch(input, init)`'s request: `input` itself when it is one and no `init` changes it. */
export function requestOf(
  input: Request | URL | string,
  init?: RequestInit,
): Request {
  return input instanceof Request && init === undefined
    ? input
    : new Request(input, init);
}
