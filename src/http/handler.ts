/**
 * The Streamable HTTP endpoint: one MCP server per session (sessions named
 * by `Mcp-Session-Id`), on the SDK's web-standard transport
 * (`Request` → `Response`, which `Deno.serve` speaks).
 *
 * Every request passes, in order: the `Host`/`Origin` allow-lists (403),
 * the endpoint path (404), the bearer token (401), the body size (413),
 * then the session: unknown (404), too many sessions or streams (429).
 * Sessions end on `DELETE`, after an idle time, or to make room for a new
 * one when the cap is reached (the one unused longest, if any is idle).
 * Answers that are not streams have every secret taken out; streams carry
 * only messages that passed the server's own redaction (and, here, the
 * bearer token's).
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Logger } from "../log.ts";
import { redactDeep } from "../redact.ts";
import type { PlexMcpServer, ServerTransport } from "../server.ts";
import { BoundedEventStore } from "./event_store.ts";
import {
  checkHostAndOrigin,
  redactResponse,
  rpcError,
  TokenCheck,
} from "./guard.ts";
import { type HttpSettings, MAX_BODY_BYTES } from "./settings.ts";

/** What {@link McpHttpHandler} needs. */
export interface McpHttpOptions {
  /** Validated HTTP settings. */
  settings: HttpSettings;
  /**
   * Serve without a bearer token. Only the loopback-only test mode sets it
   * (see `plexmcp serve --help`); {@link McpHttpHandler} refuses it when a
   * token is configured.
   */
  noAuth?: boolean;
  /** Makes the MCP server of a new session; `signal` aborts when it ends. */
  createServer(signal: AbortSignal): PlexMcpServer;
  /** Every secret to keep out of answers (Plex tokens; the bearer token is added). */
  secrets(): readonly string[];
  /** Where the endpoint logs (never headers, never tokens). */
  logger: Logger;
  /** Largest request body, bytes. Default {@link MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Clock, ms (tests). Default `performance.now`. */
  now?: () => number;
}

/** One open session. */
interface Session {
  id: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: PlexMcpServer;
  /** Aborted when the session ends: cancels its tool calls. */
  ended: AbortController;
  /** SSE streams open now. */
  streams: number;
  /** Requests being handled plus streams open. */
  busy: number;
  /** When `busy` last dropped to 0 (or the session opened). */
  lastUsed: number;
}

/** Seconds a client refused for load is told to wait. */
const RETRY_AFTER_SECONDS = 5;

/** CORS request headers a browser client may send. */
const CORS_ALLOW_HEADERS =
  "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID";

function isSse(response: Response): boolean {
  return response.body !== null &&
    (response.headers.get("content-type") ?? "").includes("text/event-stream");
}

/** Whether a parsed body holds at least one request (a message with an id). */
function hasRequest(body: unknown): boolean {
  const list = Array.isArray(body) ? body : [body];
  return list.some((m) =>
    m !== null && typeof m === "object" && "method" in m && "id" in m
  );
}

function isInitialize(body: unknown): boolean {
  const list = Array.isArray(body) ? body : [body];
  return list.some((m) =>
    m !== null && typeof m === "object" &&
    (m as { method?: unknown }).method === "initialize"
  );
}

/** Reads a body up to `max` bytes; undefined when it is larger. */
async function readBody(
  req: Request,
  max: number,
): Promise<string | undefined> {
  if (req.body === null) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** The MCP endpoint (see the module documentation). */
export class McpHttpHandler {
  readonly #options: McpHttpOptions;
  readonly #settings: HttpSettings;
  readonly #token: TokenCheck | undefined;
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;
  readonly #maxBody: number;
  readonly #sweeper: ReturnType<typeof setInterval>;
  /** Sessions being opened (initialize under way). */
  #opening = 0;
  #closed = false;

  /** Creates the endpoint; {@link close} ends it. */
  constructor(options: McpHttpOptions) {
    if (options.noAuth && options.settings.token) {
      throw new Error("a bearer token is configured: no-auth mode is refused");
    }
    if (!options.noAuth && !options.settings.token) {
      throw new Error("no bearer token configured");
    }
    this.#options = options;
    this.#settings = options.settings;
    this.#token = options.settings.token
      ? new TokenCheck(options.settings.token)
      : undefined;
    this.#now = options.now ?? (() => performance.now());
    this.#maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
    const idle = this.#settings.sessionIdleMs;
    this.#sweeper = setInterval(
      () => this.sweep(),
      Math.min(30_000, Math.max(100, idle / 4)),
    );
    Deno.unrefTimer(this.#sweeper as unknown as number);
  }

  /** Sessions open now. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** SSE streams open now, over every session. */
  get streamCount(): number {
    let n = 0;
    for (const s of this.#sessions.values()) n += s.streams;
    return n;
  }

  #secrets(): readonly string[] {
    const secrets = this.#options.secrets();
    return this.#settings.token ? [...secrets, this.#settings.token] : secrets;
  }

  /** Answers one HTTP request. */
  async handle(req: Request): Promise<Response> {
    const origin = req.headers.get("origin");
    const listed = origin !== null &&
      this.#settings.allowedOrigins.includes(origin);
    let response: Response;
    try {
      response = await this.#route(req, listed);
    } catch (error) {
      this.#options.logger.local(
        "error",
        `HTTP ${req.method} failed: ${(error as Error)?.stack ?? error}`,
      );
      response = rpcError(500, -32603, "Internal error");
    }
    response = await redactResponse(response, this.#secrets());
    if (listed) {
      try {
        response.headers.set("Access-Control-Allow-Origin", origin);
        response.headers.set(
          "Access-Control-Expose-Headers",
          "Mcp-Session-Id, WWW-Authenticate",
        );
        response.headers.append("Vary", "Origin");
      } catch { /* immutable headers: not a CORS answer then */ }
    }
    return response;
  }

  async #route(req: Request, listedOrigin: boolean): Promise<Response> {
    const refused = checkHostAndOrigin(
      req,
      this.#settings.allowedHosts,
      this.#settings.allowedOrigins,
    );
    if (refused) return refused;
    const url = new URL(req.url);
    if (url.pathname !== this.#settings.path) {
      return rpcError(
        404,
        -32000,
        `Not Found: the MCP endpoint is ${this.#settings.path}`,
      );
    }
    if (req.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          Allow: "GET, POST, DELETE, OPTIONS",
          ...(listedOrigin
            ? {
              "Access-Control-Allow-Methods": "GET, POST, DELETE",
              "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
              "Access-Control-Max-Age": "600",
            }
            : {}),
        },
      });
    }
    if (this.#token) {
      const unauthorized = await this.#token.check(req);
      if (unauthorized) {
        this.#options.logger.debug(
          `HTTP ${req.method} refused: no valid bearer token`,
        );
        return unauthorized;
      }
    }
    if (this.#closed) {
      return rpcError(503, -32000, "Service Unavailable: shutting down", {
        "Retry-After": String(RETRY_AFTER_SECONDS),
      });
    }
    if (
      req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE"
    ) {
      return rpcError(
        405,
        -32000,
        "Method Not Allowed: use POST, GET or DELETE",
        {
          Allow: "GET, POST, DELETE, OPTIONS",
        },
      );
    }

    let parsedBody: unknown = undefined;
    if (req.method === "POST") {
      const tooLarge = rpcError(
        413,
        -32000,
        `Payload Too Large: a request body may be at most ${this.#maxBody} bytes`,
      );
      const declared = Number(req.headers.get("content-length") ?? "0");
      if (declared > this.#maxBody) return tooLarge;
      const text = await readBody(req, this.#maxBody);
      if (text === undefined) return tooLarge;
      try {
        parsedBody = JSON.parse(text);
      } catch {
        return rpcError(400, -32700, "Parse error: the body is not JSON");
      }
    }

    const id = req.headers.get("mcp-session-id");
    if (id === null) {
      if (req.method === "POST" && isInitialize(parsedBody)) {
        return await this.#open(req, parsedBody);
      }
      return rpcError(
        400,
        -32000,
        "Bad Request: no Mcp-Session-Id header; a session starts with an initialize request",
      );
    }
    const session = this.#sessions.get(id);
    if (!session) {
      return rpcError(
        404,
        -32001,
        "Session not found: it ended or expired; initialize a new one",
      );
    }
    const opensStream = req.method === "GET" ||
      (req.method === "POST" && hasRequest(parsedBody));
    if (opensStream && session.streams >= this.#settings.maxStreams) {
      return rpcError(
        429,
        -32000,
        `Too Many Requests: this session has ${session.streams} streams open (at most ${this.#settings.maxStreams}, PLEX_HTTP_MAX_STREAMS); wait for answers first`,
        { "Retry-After": String(RETRY_AFTER_SECONDS) },
      );
    }
    // The stream is counted now, before the transport is awaited: requests
    // arriving together each see the ones before them.
    if (opensStream) session.streams++;
    return await this.#delegate(session, req, parsedBody, opensStream);
  }

  /** Opens a session for an initialize request. */
  async #open(req: Request, parsedBody: unknown): Promise<Response> {
    let making: Promise<void> | undefined;
    if (this.#sessions.size + this.#opening >= this.#settings.maxSessions) {
      const idle = [...this.#sessions.values()]
        .filter((s) => s.busy === 0)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!idle) {
        return rpcError(
          429,
          -32000,
          `Too Many Requests: ${this.#sessions.size} sessions are open and busy (at most ${this.#settings.maxSessions}, PLEX_HTTP_MAX_SESSIONS)`,
          { "Retry-After": String(RETRY_AFTER_SECONDS) },
        );
      }
      this.#options.logger.info(
        `HTTP: ${this.#settings.maxSessions} sessions open: closing the one unused longest to make room`,
      );
      // Leaves the table at once; its server closes below.
      making = this.#end(idle);
    }
    // The slot is taken now, before anything is awaited: initializes
    // arriving together each see the ones before them. Released in
    // `finally` on every path; a session that opens moves to the table.
    this.#opening++;
    try {
      await making;
      return await this.#start(req, parsedBody);
    } finally {
      this.#opening--;
    }
  }

  /** Starts a session's server and transport on the slot {@link #open} took. */
  async #start(req: Request, parsedBody: unknown): Promise<Response> {
    const ended = new AbortController();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      eventStore: new BoundedEventStore(),
      maxRequestBodySize: this.#maxBody,
    });
    const token = this.#settings.token;
    if (token) {
      // The bearer token is a secret too: no message carries it out.
      const send = transport.send.bind(transport);
      transport.send = (message, options) =>
        send(redactDeep(message, [token]), options);
    }
    const session: Session = {
      id: "",
      transport,
      server: undefined as unknown as PlexMcpServer,
      ended,
      streams: 0,
      busy: 0,
      lastUsed: this.#now(),
    };
    transport.onclose = () => this.#forget(session);
    session.server = this.#options.createServer(ended.signal);
    try {
      await session.server.connect(transport as unknown as ServerTransport);
      const response = await this.#delegate(session, req, parsedBody, false);
      if (transport.sessionId && !ended.signal.aborted && !this.#closed) {
        session.id = transport.sessionId;
        this.#sessions.set(session.id, session);
        this.#options.logger.debug(
          `HTTP: session opened (${this.#sessions.size} open)`,
        );
      } else {
        // The transport refused the initialize (bad headers), or the
        // endpoint closed meanwhile: no session.
        ended.abort();
        await session.server.close().catch(() => {});
      }
      return response;
    } catch (error) {
      ended.abort();
      await session.server.close().catch(() => {});
      throw error;
    }
  }

  /**
   * Hands a request to the session's transport; tracks what it opens.
   * `reserved`: a stream was counted for it already; given back when the
   * answer is not a stream, or the transport throws.
   */
  async #delegate(
    session: Session,
    req: Request,
    parsedBody: unknown,
    reserved: boolean,
  ): Promise<Response> {
    session.busy++;
    let response: Response;
    try {
      response = await session.transport.handleRequest(req, { parsedBody });
    } catch (error) {
      if (reserved) session.streams--;
      this.#release(session);
      throw error;
    }
    if (!isSse(response)) {
      if (reserved) session.streams--;
      this.#release(session);
      return response;
    }
    if (!reserved) session.streams++;
    const reader = response.body!.getReader();
    let open = true;
    const finish = () => {
      if (!open) return;
      open = false;
      session.streams--;
      this.#release(session);
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await reader.read();
          if (chunk.done) {
            finish();
            controller.close();
          } else controller.enqueue(chunk.value);
        } catch (error) {
          finish();
          controller.error(error);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      headers: response.headers,
    });
  }

  #release(session: Session): void {
    session.busy--;
    if (session.busy === 0) session.lastUsed = this.#now();
  }

  #forget(session: Session): void {
    session.ended.abort(new DOMException("session ended", "AbortError"));
    if (session.id && this.#sessions.get(session.id) === session) {
      this.#sessions.delete(session.id);
      this.#options.logger.debug(
        `HTTP: session closed (${this.#sessions.size} open)`,
      );
    }
  }

  async #end(session: Session): Promise<void> {
    this.#forget(session);
    await session.server.close().catch(() => {});
  }

  /**
   * Closes every session unused for longer than the idle time (one with a
   * request under way or a stream open is in use). Runs on a timer; tests
   * may call it.
   */
  async sweep(): Promise<number> {
    const cutoff = this.#now() - this.#settings.sessionIdleMs;
    const stale = [...this.#sessions.values()].filter((s) =>
      s.busy === 0 && s.lastUsed <= cutoff
    );
    for (const s of stale) {
      this.#options.logger.debug(
        `HTTP: a session unused for ${
          Math.round(this.#settings.sessionIdleMs / 1000)
        } s expired`,
      );
      await this.#end(s);
    }
    return stale.length;
  }

  /** Ends every session (their calls are cancelled) and refuses new requests. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await Promise.all([...this.#sessions.values()].map((s) => this.#end(s)));
  }
}
