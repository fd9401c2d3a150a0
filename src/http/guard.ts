/**
 * What every HTTP request passes before it reaches an MCP session: the
 * `Host` and `Origin` allow-lists (DNS-rebinding protection, as the MCP
 * transport specification requires), the bearer token (compared in
 * constant time), and the JSON-RPC error answers for each refusal.
 *
 * @module
 */
import { quoted } from "../log.ts";
import { redact } from "../redact.ts";
import { isIpLiteral, isLoopbackHost } from "./settings.ts";

/**
 * A JSON-RPC error answer with no id, as the Streamable HTTP transport
 * sends for a request it refuses before reading any message.
 */
export function rpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }),
    {
      status,
      headers: { "Content-Type": "application/json", ...headers },
    },
  );
}

/** The host and port of a `Host` header value (brackets kept for IPv6). */
function splitHost(value: string): { hostname: string; port: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(value.trim());
  return { hostname: (m?.[1] ?? value).toLowerCase(), port: m?.[2] ?? "" };
}

/**
 * Whether a `Host` header value is one this server answers to: a loopback
 * name, an IP address (a DNS-rebinding attack always carries the
 * attacker's own name), or a name in `allowed` (an entry with a port
 * matches that port only).
 */
export function hostAllowed(
  value: string,
  allowed: readonly string[],
): boolean {
  const { hostname, port } = splitHost(value);
  if (!hostname) return false;
  if (isLoopbackHost(hostname) || isIpLiteral(hostname)) return true;
  return allowed.some((entry) => {
    const e = splitHost(entry);
    return e.hostname === hostname && (!e.port || e.port === port);
  });
}

/**
 * Whether an `Origin` header is allowed: absent (not a browser), listed in
 * `allowed`, or the server's own origin (its host is the request's `Host`,
 * itself allowed).
 */
export function originAllowed(
  origin: string | null,
  host: string,
  allowed: readonly string[],
): boolean {
  if (origin === null) return true;
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return url.host.toLowerCase() === host.trim().toLowerCase();
}

/**
 * The 403 answer for a request whose `Host` or `Origin` is not allowed;
 * undefined when both are.
 */
export function checkHostAndOrigin(
  req: Request,
  allowedHosts: readonly string[],
  allowedOrigins: readonly string[],
): Response | undefined {
  const host = req.headers.get("host") ?? new URL(req.url).host;
  if (!hostAllowed(host, allowedHosts)) {
    return rpcError(
      403,
      -32000,
      `Forbidden: Host ${
        quoted(host)
      } is not allowed (DNS-rebinding protection). If clients reach this server by that name, add it to PLEX_HTTP_ALLOWED_HOSTS`,
    );
  }
  const origin = req.headers.get("origin");
  if (!originAllowed(origin, host, allowedOrigins)) {
    return rpcError(
      403,
      -32000,
      `Forbidden: Origin ${
        quoted(origin ?? "")
      } is not allowed. To let a web page at that origin connect, add it to PLEX_HTTP_ALLOWED_ORIGINS`,
    );
  }
  return undefined;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
}

/**
 * Checks bearer tokens in constant time: both sides are hashed with
 * SHA-256 first, so neither the token's length nor where a guess first
 * differs shows in the time taken.
 */
export class TokenCheck {
  readonly #expected: Promise<Uint8Array>;

  /** Creates a check for `token`. */
  constructor(token: string) {
    this.#expected = digest(token);
  }

  /** Whether `given` is the token. */
  async matches(given: string): Promise<boolean> {
    const [a, b] = await Promise.all([digest(given), this.#expected]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
    return diff === 0;
  }

  /**
   * The 401 answer for a request without the right `Authorization: Bearer`
   * header; undefined when it has it.
   */
  async check(req: Request): Promise<Response | undefined> {
    const header = req.headers.get("authorization");
    const m = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    if (!m) {
      return rpcError(
        401,
        -32001,
        header
          ? "Unauthorized: the Authorization header must be 'Bearer <token>' (the PLEX_HTTP_TOKEN the server was started with)"
          : "Unauthorized: send the header 'Authorization: Bearer <token>' (the PLEX_HTTP_TOKEN the server was started with)",
        { "WWW-Authenticate": 'Bearer realm="plexmcp"' },
      );
    }
    if (!await this.matches(m[1]!)) {
      return rpcError(
        401,
        -32001,
        "Unauthorized: the bearer token is not the one this server was started with (PLEX_HTTP_TOKEN)",
        {
          "WWW-Authenticate": 'Bearer realm="plexmcp", error="invalid_token"',
        },
      );
    }
    return undefined;
  }
}

/**
 * A non-streaming answer with every secret taken out of its body and
 * headers: the transport's own error pages may quote what went wrong.
 * Streams (SSE) carry only messages that already passed the server's
 * redaction, and are returned as they are.
 */
export async function redactResponse(
  response: Response,
  secrets: readonly string[],
): Promise<Response> {
  if (
    response.body === null ||
    response.headers.get("content-type")?.includes("text/event-stream")
  ) {
    return redactHeaders(response, secrets);
  }
  const text = await response.text();
  const headers = new Headers(response.headers);
  for (const [k, v] of headers) headers.set(k, redact(v, secrets));
  const body = redact(text, secrets);
  headers.delete("content-length");
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function redactHeaders(
  response: Response,
  secrets: readonly string[],
): Response {
  let changed = false;
  const headers = new Headers(response.headers);
  for (const [k, v] of headers) {
    const safe = redact(v, secrets);
    if (safe !== v) {
      headers.set(k, safe);
      changed = true;
    }
  }
  return changed
    ? new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    })
    : response;
}
