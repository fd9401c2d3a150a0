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
 * and apply only through `faultyFetch` of `transform_faults.ts`, which
 * `serveFake` uses:
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
 * Faults that change a real answer (see `faultyFetch`): `echo-strings`
 * (every string of every JSON answer carries the token: see
 * `echoTokens`), `huge-strings` (every title and summary lengthened
 * to `HUGE_STRING_CHARS` characters), `ignore-paging` (the first page
 * for any `X-Plex-Container-Start`, without `totalSize`), `slow` (every
 * answer `SLOW_MS` late).
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
 * its answer. Transform faults never do (see `faultyFetch`); a
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
