/**
 * Low-level pieces of the Plex client: URL building, error classification
 * and bounded body reading. Kept apart so the client stays a thin façade.
 *
 * @module
 */
import {
  type ConnectionFailure,
  PlexApiError,
  PlexAuthError,
  PlexBusyError,
  PlexConnectionError,
  type PlexError,
  PlexNotFoundError,
  PlexRequestError,
  PlexResponseError,
} from "./errors.ts";

/** Query values; `undefined` entries are dropped. */
export type QueryValue = string | number | boolean | undefined;

/** Characters that may stand in a path as they are. */
const PLAIN_PATH = /^[\x21-\x7e]*$/;

/**
 * Builds `base + path + ?query`. Arrays of values repeat the key; booleans
 * are sent as 1/0. A path prefix in `baseUrl` (a reverse proxy's
 * `https://host/plex`) is kept.
 */
export function buildUrl(
  baseUrl: string,
  path: string,
  query: Record<string, QueryValue | QueryValue[]> = {},
): string {
  const base = baseUrl.endsWith("/") ? baseUrl.slice(0, -1) : baseUrl;
  const safePath = PLAIN_PATH.test(path) ? path : encodeURI(path);
  let url = base + (safePath.startsWith("/") ? safePath : "/" + safePath);
  let separator = url.includes("?") ? "&" : "?";
  for (const name in query) {
    const raw = query[name];
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (value === undefined) continue;
      url += separator + encodeURIComponent(name) + "=" +
        encodeURIComponent(
          typeof value === "boolean" ? (value ? "1" : "0") : String(value),
        );
      separator = "&";
    }
  }
  return url;
}

function causeText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(" | ");
}

/**
 * Refuses a path that could leave the endpoint it names: a `.` or `..`
 * segment, a query or fragment (queries go in `query`), or a control
 * character. Header values with line breaks are refused too. Nothing is
 * sent when this throws.
 */
export function checkRequest(
  method: string,
  path: string,
  headers: Record<string, string> | undefined,
): void {
  // The common case costs three regex tests; the message is built only
  // when something is refused.
  const refuse = (why: string): never => {
    const shown = JSON.stringify(
      path.length > 80 ? path.slice(0, 80) + "…" : path,
    );
    const endpoint = `${method} ${shown}`;
    throw new PlexRequestError(`Refused to send ${endpoint}: ${why}`, endpoint);
  };
  if (CONTROL.test(path)) refuse("the path has a control character");
  if (QUERY_OR_FRAGMENT.test(path)) {
    refuse("an id or path may not contain ? or #");
  }
  if (DOT_SEGMENT.test(path)) refuse("the path has a . or .. segment");
  if (headers) {
    for (const name in headers) {
      if (CONTROL.test(headers[name]!)) {
        refuse(`header ${name} has a control character`);
      }
    }
  }
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
const QUERY_OR_FRAGMENT = /[?#]/;
/** A `.` or `..` path segment. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** Seconds from a `Retry-After` header (seconds or an HTTP date), if any. */
export function retryAfterSeconds(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Maps a thrown fetch error to the kind of connection failure. */
export function classifyFetchError(error: unknown): ConnectionFailure {
  if (error instanceof Error && error.name === "NotCapable") {
    return "permission";
  }
  const text = causeText(error);
  if (/Requests to port \d+ are blocked|bad port/i.test(text)) return "port";
  if (/connection refused|ECONNREFUSED|os error 111/i.test(text)) {
    return "refused";
  }
  if (
    /dns error|failed to lookup|ENOTFOUND|name or service not known|no address associated/i
      .test(text)
  ) return "dns";
  if (/certificate|tls|ssl|InvalidContentType|handshake/i.test(text)) {
    return "tls";
  }
  if (/timed out|timeout/i.test(text)) return "timeout";
  return "network";
}

/** Whether `error` is an abort by a timer (`AbortSignal.timeout`, ours). */
function ownTimer(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}

/** Describes a connection failure in one actionable sentence. */
export function connectionError(
  error: unknown,
  origin: string,
  endpoint: string,
  timeoutMs: number,
): PlexConnectionError {
  const failure = classifyFetchError(error);
  const text = causeText(error);
  // Deno names the host it refused ('Requires net access to "host:port"'):
  // name that one, not the configured host, which may have been allowed.
  const host = /net access to "([^"]+)"/.exec(text)?.[1] ??
    new URL(origin).host;
  const port = /port (\d+)/.exec(text)?.[1] ?? (new URL(origin).port || "?");
  const messages: Record<ConnectionFailure, string> = {
    refused:
      `Cannot reach Plex at ${origin}: connection refused (${endpoint}). Is Plex Media Server running, and is PLEX_SERVER_URL right?`,
    dns:
      `Cannot reach Plex at ${origin}: the host name does not resolve (${endpoint}). Check PLEX_SERVER_URL`,
    // A timer of ours (an AbortSignal's TimeoutError) ran out; otherwise
    // the operating system gave up on the connection, before our budget.
    timeout: ownTimer(error)
      ? `Plex at ${origin} did not answer within ${
        timeoutMs / 1000
      } s (${endpoint}). Check that the server is up, or raise PLEX_TIMEOUT`
      : `Cannot reach Plex at ${origin}: the connection timed out (${endpoint}). Nothing answered at that address: check that the server is on and that this machine can reach it (address, firewall, VPN)`,
    tls:
      `Cannot reach Plex at ${origin}: the TLS handshake failed (${endpoint}). Use the server's plex.direct https address, plain http on the LAN, or see PLEX_VERIFY_SSL in the README`,
    permission:
      `Deno was not allowed to connect to ${host} (${endpoint}). Add it to the permission flag: --allow-net=${host}`,
    port:
      `Cannot use port ${port} of ${origin} (${endpoint}): Deno, like browsers, refuses this port as unsafe. Choose Plex's port, usually 32400, in PLEX_SERVER_URL`,
    network: `Cannot reach Plex at ${origin}: ${
      error instanceof Error ? error.message : String(error)
    } (${endpoint})`,
  };
  return new PlexConnectionError(messages[failure], endpoint, failure, error);
}

/**
 * Turns a non-2xx status into the matching typed error. Never parses the
 * body. `retryAfter` is the `Retry-After` header's value in seconds.
 */
export function statusError(
  status: number,
  endpoint: string,
  retryAfter?: number,
): PlexError {
  if (status === 429 || status === 503) {
    return new PlexBusyError(
      `Plex is busy (${status}) for ${endpoint}: ${
        retryAfter === undefined
          ? "try again shortly"
          : `retry after ${retryAfter} s`
      }`,
      endpoint,
      status,
      retryAfter,
    );
  }
  if (status === 401) {
    return new PlexAuthError(
      `Plex rejected the token (401) for ${endpoint}: check PLEX_TOKEN (an admin token is needed for sessions, history and server settings)`,
      endpoint,
    );
  }
  if (status === 404) {
    return new PlexNotFoundError(
      `Plex has nothing at ${endpoint} (404): check the id or key`,
      endpoint,
    );
  }
  const hint = status >= 500
    ? "the server had an internal problem; try again shortly"
    : status === 400
    ? "Plex refused the request parameters"
    : status === 403
    ? "this token is not allowed to do that"
    : "unexpected answer";
  return new PlexApiError(
    `Plex answered ${status} for ${endpoint}: ${hint}`,
    endpoint,
    status,
  );
}

/** Reads a response body as text, refusing bodies over `maxBytes`. */
export async function readBody(
  response: Response,
  endpoint: string,
  maxBytes: number,
): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new PlexResponseError(
      `Plex sent ${declared} bytes for ${endpoint}, over the ${maxBytes}-byte limit; ask for a smaller page`,
      endpoint,
    );
  }
  if (!response.body) return "";
  // Declared size within the limit: let the runtime read it in one go.
  if (Number.isFinite(declared)) return await response.text();
  const all = await readAtMost(
    response.body,
    maxBytes,
    () =>
      new PlexResponseError(
        `Plex sent more than ${maxBytes} bytes for ${endpoint}; ask for a smaller page`,
        endpoint,
      ),
  );
  return new TextDecoder().decode(all);
}

/** Reads a response body as bytes, refusing bodies over `maxBytes`. */
export async function readBodyBytes(
  response: Response,
  endpoint: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  const tooLarge = () =>
    new PlexResponseError(
      `Plex sent more than ${maxBytes} bytes for ${endpoint}, over the limit for it`,
      endpoint,
    );
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  return await readAtMost(response.body, maxBytes, tooLarge);
}

/**
 * Reads `body` whole, cancelling it and throwing `tooLarge()` as soon as
 * it passes `maxBytes`.
 */
async function readAtMost(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}
