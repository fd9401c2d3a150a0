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
 * Plex: an HTML page at every path, `/identity` included).
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
  | "not-plex";

/** Every fault, for matrix tests. */
export const FAULTS: readonly Fault[] = [
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
]);

/** Whether `fault` applies to a request for `path`. */
export function faultApplies(fault: Fault, path: string): boolean {
  return WHOLE_ORIGIN.has(fault) || path.replace(/\/+$/, "") !== "/identity";
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
  }
}
