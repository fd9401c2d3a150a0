/**
 * Faults the fake Plex can inject into its answers, for tests of error
 * handling. Each one is something a real server, or what sits in front of
 * it, does.
 *
 * @module
 */

/**
 * A fault: `refuse` (in-process fetch only: a refused connection), `stall`
 * (never answers until the request is aborted), `500`/`502`/`503`/`401`/
 * `404` with Plex's HTML bodies, `malformed` JSON, a `truncated` body, `xml`
 * instead of JSON, an `oversized` body, `echo` (a 500 whose HTML body
 * repeats the token and URL, as some proxies do), `busy` (429 with a long
 * `Retry-After`), `redirect` (a 302 to another server, as a sign-on proxy in
 * front of Plex sends), `loop` (a redirect to itself), `deep` (JSON nested
 * 10,000 levels deep; Plex nests about eight), `many` (millions of tiny values),
 * `huge-string` (one 30 MB title), `not-plex` (a web server that is not
 * Plex: an HTML page at every path, `/identity` included), `login-page` (a
 * router's or NAS's sign-in page: 401 for reads, 405 for writes, at every
 * path), `forbidden-page` (403 at every path), `busy-503` (503 with a short
 * `Retry-After` of 1 s), `redirect-same-origin` (a 301/308 to the same
 * path with a trailing slash, on the same server, which then answers;
 * `/` has its slash and is answered at once).
 *
 * The {@link TRANSFORM_FAULTS} change a real answer instead of replacing it,
 * and apply only through {@link faultyFetch} (which `serveFake` uses):
 * `echo-strings`, `huge-strings`, `ignore-paging` and `slow`.
 *
 * `forget-writes` is the fake's own, in process too (see {@link isWrite}):
 * every write is answered as Plex answers it (2xx, its usual body; a write
 * the fake would refuse gets an empty 200) and then forgotten, as a server
 * that accepts a request and keeps nothing.
 */
export type Fault =
  | "refuse"
  | "stall"
  | "500"
  | "502"
  | "503"
  | "401"
  | "404"
  | "malformed"
  | "truncated"
  | "xml"
  | "oversized"
  | "echo"
  | "busy"
  | "redirect"
  | "loop"
  | "deep"
  | "many"
  | "huge-string"
  | "not-plex"
  | "login-page"
  | "forbidden-page"
  | "busy-503"
  | "redirect-same-origin"
  | TransformFault
  | "forget-writes";

/**
 * Faults that change a real answer (see {@link faultyFetch}): `echo-strings`
 * (every string of every JSON answer carries the token: see
 * {@link echoTokens}), `huge-strings` (every title and summary lengthened
 * to {@link HUGE_STRING_CHARS} characters), `ignore-paging` (the first page
 * for any `X-Plex-Container-Start`, without `totalSize`), `slow` (every
 * answer {@link SLOW_MS} late).
 */
export type TransformFault =
  | "echo-strings"
  | "huge-strings"
  | "ignore-paging"
  | "slow";

/** Every transform fault. */
export const TRANSFORM_FAULTS: readonly TransformFault[] = [
  "echo-strings",
  "huge-strings",
  "ignore-paging",
  "slow",
];

/**
 * The faults every tool must fail on, specifically: all but the transform
 * faults, `redirect-same-origin` (which tools follow) and `forget-writes`
 * (which answers every write as a success).
 */
export type MatrixFault = Exclude<
  Fault,
  TransformFault | "redirect-same-origin" | "forget-writes"
>;

/** Every fault a tool must fail on, for matrix tests. */
export const FAULTS: readonly MatrixFault[] = [
  "refuse",
  "stall",
  "500",
  "502",
  "503",
  "401",
  "404",
  "malformed",
  "truncated",
  "xml",
  "oversized",
  "echo",
  "busy",
  "redirect",
  "loop",
  "deep",
  "many",
  "huge-string",
  "not-plex",
  "login-page",
  "forbidden-page",
  "busy-503",
];

/**
 * Faults that come from the network or from something that is not Plex;
 * the others are Plex itself misbehaving on one request, so its `/identity`
 * (which a client may ask to tell "not Plex" from "Plex said no") still
 * answers normally.
 */
const WHOLE_ORIGIN: ReadonlySet<Fault> = new Set([
  "refuse",
  "stall",
  "redirect",
  "loop",
  "not-plex",
  "login-page",
  "forbidden-page",
]);

/**
 * Whether the fake answers a request for `path` with `fault` in place of
 * its answer. Transform faults never do (see {@link faultyFetch}); a
 * same-origin redirect's target (the path with a trailing slash) is
 * answered normally.
 */
export function faultApplies(fault: Fault, path: string): boolean {
  if (isTransformFault(fault) || fault === "forget-writes") return false;
  if (fault === "redirect-same-origin") return !path.endsWith("/");
  return WHOLE_ORIGIN.has(fault) || path.replace(/\/+$/, "") !== "/identity";
}

/**
 * Whether a request changes something on the server: any method but GET
 * and HEAD, and the GETs Plex takes as commands (a library scan,
 * `/library/sections/{id}/refresh`, API.md §13; a player command through
 * the server, `/player/…`, §17, but its timeline poll).
 */
export function isWrite(method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return true;
  const p = path.replace(/\/+$/, "");
  return /^\/library\/sections\/[^/]+\/refresh$/.test(p) ||
    (p.startsWith("/player/") && p !== "/player/timeline/poll");
}

/** Whether `fault` changes a real answer rather than replacing it. */
export function isTransformFault(fault: Fault): fault is TransformFault {
  return (TRANSFORM_FAULTS as readonly string[]).includes(fault);
}

/** What a faulty answer needs from the fake. */
export interface FaultContext {
  /** Size of the `oversized` body. */
  oversizedBytes: number;
  /** Where `redirect` points (another origin). */
  redirectTo: string;
  /** Stalled requests the client gave up on (counted by `stall`). */
  aborted: number;
  /**
   * Served over the network by `Deno.serve` (not in process): a stall is
   * then a body that never comes, so the request's abort signal, which
   * Deno.serve warns about, is never touched.
   */
  served: boolean;
}

function html(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html" },
  });
}

function json(body: string | ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    headers: { "content-type": "application/json" },
  });
}

/** A body of `bytes` bytes made by repeating `piece`, streamed. */
function repeated(
  head: string,
  piece: string,
  tail: string,
  bytes: number,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const chunk = enc.encode(piece.repeat(Math.max(1, 65_536 / piece.length)));
  let left = bytes;
  let state: "head" | "body" | "tail" | "done" = "head";
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state === "head") {
        state = "body";
        return controller.enqueue(enc.encode(head));
      }
      if (state === "body" && left > 0) {
        left -= chunk.byteLength;
        return controller.enqueue(chunk);
      }
      if (state !== "done") {
        state = "done";
        controller.enqueue(enc.encode(tail));
        return;
      }
      controller.close();
    },
  });
}

/** Answers `req` with `fault`. */
export async function faultyAnswer(
  req: Request,
  fault: Fault,
  ctx: FaultContext,
): Promise<Response> {
  const statusPages: Record<string, [number, string]> = {
    "500": [500, "Internal Server Error"],
    "502": [502, "Bad Gateway"],
    "503": [503, "Service Unavailable"],
  };
  const url = new URL(req.url);
  switch (fault) {
    case "refuse":
      throw new TypeError("fetch failed", {
        cause: new Error(
          "client error (Connect): tcp connect error: Connection refused (os error 111)",
        ),
      });
    case "stall":
      if (ctx.served) {
        // Headers now, then a body that never comes; the client giving up
        // cancels it.
        return new Response(
          new ReadableStream<Uint8Array>({
            cancel() {
              ctx.aborted++;
            },
          }),
          { headers: { "content-type": "application/json" } },
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 120_000);
        req.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          ctx.aborted++;
          resolve();
        }, { once: true });
      });
      throw req.signal.reason ?? new DOMException("aborted", "AbortError");
    case "500":
    case "502":
    case "503": {
      const [status, title] = statusPages[fault]!;
      return html(
        status,
        `<html><head><title>${title}</title></head><body><h1>${status} ${title}</h1></body></html>`,
      );
    }
    case "401":
      return html(
        401,
        "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>",
      );
    case "404":
      return html(
        404,
        "<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
      );
    case "malformed":
      return json('{"MediaContainer": {"size": 1,, "Metadata": [}');
    case "truncated": {
      const full = JSON.stringify({
        MediaContainer: {
          size: 1,
          Metadata: [{ ratingKey: "1", title: "Half" }],
        },
      });
      return json(full.slice(0, full.length / 2));
    }
    case "xml":
      return new Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0"></MediaContainer>\n',
        { headers: { "content-type": "application/xml" } },
      );
    case "oversized":
      return json(repeated("", " ", "", ctx.oversizedBytes));
    case "echo":
      return html(
        500,
        `<html><body><h1>500</h1><p>token ${
          req.headers.get("X-Plex-Token")
        } for ${req.url}</p></body></html>`,
      );
    case "busy":
      // Plex and proxies in front of it answer 429/503 under load, with a
      // Retry-After in seconds (RFC 9110 §10.2.3).
      return new Response("<html><body>Too Many Requests</body></html>", {
        status: 429,
        headers: { "content-type": "text/html", "retry-after": "120" },
      });
    case "redirect":
      // A sign-on proxy in front of Plex sends every request to its login
      // page on another host.
      return new Response(null, {
        status: 302,
        headers: {
          location: `${ctx.redirectTo}/login?next=${
            encodeURIComponent(url.pathname)
          }`,
        },
      });
    case "loop":
      return new Response(null, {
        status: 302,
        headers: { location: url.pathname + url.search },
      });
    case "deep":
      // 20 KB, but nested 10,000 levels deep.
      return json(
        '{"MediaContainer":{"size":1,"Metadata":' + "[".repeat(10_000) +
          "]".repeat(10_000) + "}}",
      );
    case "many":
      // About 30 MB of empty objects: ten million values.
      return json(
        repeated(
          '{"MediaContainer":{"size":1,"Metadata":[',
          "{},",
          "{}]}}",
          30 * 1024 * 1024,
        ),
      );
    case "huge-string":
      // One 30 MB title in an otherwise ordinary answer.
      return json(
        repeated(
          '{"MediaContainer":{"size":1,"title1":"',
          "x",
          '","Metadata":[]}}',
          30 * 1024 * 1024,
        ),
      );
    case "not-plex":
      // A router's or NAS's web page, at every path.
      return html(
        200,
        "<!doctype html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>",
      );
    case "login-page": {
      // A router's or NAS's admin page on the configured port: a sign-in
      // page (401 with a Basic challenge, RFC 9110 §11.6.1) for reads, and
      // 405 for methods its web server does not take (RFC 9110 §15.5.6).
      const read = req.method === "GET" || req.method === "HEAD";
      return new Response(
        "<!doctype html><html><head><title>Sign in</title></head><body><form method=post><input name=password type=password></form></body></html>",
        {
          status: read ? 401 : 405,
          headers: read
            ? {
              "content-type": "text/html",
              "www-authenticate": 'Basic realm="Router"',
            }
            : { "content-type": "text/html", allow: "GET, HEAD" },
        },
      );
    }
    case "forbidden-page":
      // A web server that refuses every path to this client.
      return html(
        403,
        "<!doctype html><html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>",
      );
    case "busy-503":
      // Plex under load (API.md, "Errors"): 503 with a short Retry-After.
      return new Response("<html><body>Service Unavailable</body></html>", {
        status: 503,
        headers: { "content-type": "text/html", "retry-after": "1" },
      });
    case "redirect-same-origin":
      // A web server in front of Plex that adds a trailing slash (as nginx
      // does for a directory), on the same origin: 301 for reads, 308 for
      // writes so the method is kept (RFC 9110 §15.4.2, RFC 9111 §15.4.9).
      return new Response(null, {
        status: req.method === "GET" || req.method === "HEAD" ? 301 : 308,
        headers: { location: `${url.pathname}/${url.search}` },
      });
    case "echo-strings":
    case "huge-strings":
    case "ignore-paging":
    case "slow":
    case "forget-writes":
      // Never here: faultApplies() is false for these (see faultyFetch and
      // FakePlex.handle).
      throw new Error(`${fault} changes a real answer, not replaces it`);
  }
}

// ------------------------------------------------ faults that transform

/** How late the `slow` fault answers, in milliseconds. */
export const SLOW_MS = 300;

/**
 * Length of every title and summary under `huge-strings`: just under the
 * client's 1 MiB limit per string (longer ones are refused before parsing,
 * see `huge-string`), so the strings reach the tools.
 */
export const HUGE_STRING_CHARS = 500_000;

/** What {@link faultyFetch} needs from the fake. */
export interface TransformTarget {
  /** The fault set now. */
  fault: Fault | undefined;
  /** When set, the fault applies only to requests it accepts. */
  faultFilter: ((method: string, path: string) => boolean) | undefined;
  /** Answers one request (the fake's own handler). */
  handle(req: Request): Promise<Response>;
}

/**
 * Fields left alone by `echo-strings`: ids and enumerated values the tools
 * send back to Plex or decide on (a ratingKey, a section key, a player's
 * machine identifier, an item type), and the transient token itself. With
 * the token in one of these, a tool could only refuse the id (the ids'
 * own check), never show the token; every other string carries it.
 */
const ECHO_KEEP = new Set([
  "ratingKey",
  "parentRatingKey",
  "grandparentRatingKey",
  "key",
  "librarySectionID",
  "librarySectionKey",
  "machineIdentifier",
  "clientIdentifier",
  "playlistItemID",
  "playQueueID",
  "playQueueSelectedItemID",
  "id",
  "uuid",
  "type",
  "subtype",
  "playlistType",
  "librarySectionType",
  "protocolCapabilities",
  "protocol",
  "port",
  "token",
]);

/** A butler task's `name` is the id its tool sends back (`/butler/{name}`). */
const ECHO_KEEP_BUTLER = new Set([...ECHO_KEEP, "name"]);

/**
 * `value` with `tokens` put into every string value except the
 * {@link ECHO_KEEP} fields: paths and URLs get `?X-Plex-Token=…` (as a
 * server that signs its image URLs would), other text gets the tokens
 * after a space (names, usernames, file paths, addresses, summaries).
 */
export function echoTokens(
  value: unknown,
  tokens: readonly string[],
  keep: ReadonlySet<string> = ECHO_KEEP,
): unknown {
  const walk = (v: unknown, field: string): unknown => {
    if (typeof v === "string") {
      if (keep.has(field) || tokens.length === 0) return v;
      if (v.startsWith("/") || /^https?:\/\//.test(v)) {
        return `${v}${v.includes("?") ? "&" : "?"}X-Plex-Token=${tokens[0]}${
          tokens.slice(1).map((t) => ` ${t}`).join("")
        }`;
      }
      return `${v} ${tokens.join(" ")}`;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, field));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, "");
}

/** `value` with every `title` and `summary` {@link HUGE_STRING_CHARS} long. */
function lengthen(value: unknown, field = ""): unknown {
  if (typeof value === "string") {
    if (field !== "title" && field !== "summary") return value;
    const filler = ` ${field} of a hostile server`;
    return (value + filler.repeat(
      Math.ceil(HUGE_STRING_CHARS / filler.length),
    )).slice(0, HUGE_STRING_CHARS);
  }
  if (Array.isArray(value)) return value.map((v) => lengthen(v, field));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // A library's filter vocabulary (`Meta`) is Plex's own wording, not
      // metadata a library holds: left as it is.
      out[k] = k === "Meta" ? v : lengthen(v, k);
    }
    return out;
  }
  return value;
}

/** A JSON answer rebuilt from `body`, keeping the status and headers. */
function rewritten(response: Response, body: unknown): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(body), {
    status: response.status,
    headers,
  });
}

async function jsonOf(response: Response): Promise<unknown | undefined> {
  if (!(response.headers.get("content-type") ?? "").includes("json")) {
    return undefined;
  }
  return await response.json();
}

/**
 * The fake's `fetch` with the {@link TRANSFORM_FAULTS} applied: each asks
 * the fake for its real answer and changes it (or the request). Every
 * other fault is the fake's own (it answers with the fault in place of its
 * answer). Transient tokens the fake hands out (`/security/token`) are
 * remembered, so `echo-strings` echoes them too.
 */
export function faultyFetch(
  target: TransformTarget,
): (req: Request) => Promise<Response> {
  const issued: string[] = [];
  return async (req) => {
    const fault = target.fault;
    const url = new URL(req.url);
    if (
      !fault || !isTransformFault(fault) ||
      !(target.faultFilter?.(req.method, url.pathname) ?? true)
    ) {
      return await target.handle(req);
    }
    switch (fault) {
      case "slow": {
        await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
        return await target.handle(req);
      }
      case "ignore-paging": {
        // Asked for any page, Plex answers the first one, and no total.
        if (url.searchParams.has("X-Plex-Container-Start")) {
          url.searchParams.set("X-Plex-Container-Start", "0");
        }
        const headers = new Headers(req.headers);
        if (headers.has("X-Plex-Container-Start")) {
          headers.set("X-Plex-Container-Start", "0");
        }
        const response = await target.handle(
          new Request(url, { method: req.method, headers }),
        );
        const body = await jsonOf(response);
        const container = (body as { MediaContainer?: Record<string, unknown> })
          ?.MediaContainer;
        if (!container) {
          return body === undefined ? response : rewritten(response, body);
        }
        delete container.totalSize;
        delete container.offset;
        return rewritten(response, body);
      }
      case "huge-strings": {
        const response = await target.handle(req);
        const body = await jsonOf(response);
        return body === undefined
          ? response
          : rewritten(response, lengthen(body));
      }
      case "echo-strings": {
        const response = await target.handle(req);
        const body = await jsonOf(response);
        if (body === undefined) return response;
        const transient = (body as { MediaContainer?: { token?: unknown } })
          .MediaContainer?.token;
        if (
          url.pathname === "/security/token" && typeof transient === "string"
        ) {
          issued.push(transient);
        }
        const sent = req.headers.get("X-Plex-Token");
        const tokens = [...(sent ? [sent] : []), ...issued];
        const keep = url.pathname.startsWith("/butler")
          ? ECHO_KEEP_BUTLER
          : ECHO_KEEP;
        return rewritten(response, echoTokens(body, tokens, keep));
      }
    }
  };
}
