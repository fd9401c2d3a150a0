/**
 * The shapes `createServer()` takes and gives: what the server needs from
 * outside, which tools to offer, the transport it connects to.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { PlexClient } from "../plex/client.ts";
import type { PlexServers } from "../servers.ts";
import type { ToolSelection } from "../tools/shared/select.ts";

/** What the server needs from outside. */
export interface ServerDeps {
  /** The Plex client of the (default) server. */
  plex: PlexClient;
  /**
   * Every server, when several are configured (`plex` is then the
   * default's client). Tools take a `server` argument only then.
   */
  servers?: PlexServers;
  /** Logger; default logs to stderr at info level. */
  logger?: Logger;
  /** Aborted on shutdown: cancels in-flight Plex requests. */
  shutdownSignal?: AbortSignal;
}

/** Server options: which tools to register. */
export interface ServerOptions extends ToolSelection {
  /**
   * How long a confirmation question (MCP elicitation) may stay unanswered
   * before the write is abandoned, in milliseconds. Default 120,000.
   */
  confirmTimeoutMs?: number;
}

/**
 * Any MCP transport: the SDK's `StdioServerTransport`,
 * `StreamableHTTPServerTransport`, `InMemoryTransport`… (structural type, so
 * this package does not pin the SDK's own declarations).
 */
export interface ServerTransport {
  /** Starts the transport. */
  start(): Promise<void>;
  /** Sends one JSON-RPC message. */
  send(message: unknown, options?: unknown): Promise<void>;
  /** Closes the transport. */
  close(): Promise<void>;
  /** Set by the server. */
  onclose?(): void;
  /** Set by the server. */
  onerror?(error: Error): void;
  /** Set by the server. */
  onmessage?(message: unknown, extra?: unknown): void;
  /** Session id, for transports that have one. */
  sessionId?: string;
}

/** The server returned by {@link createServer}. */
export interface PlexMcpServer {
  /** Connects to a transport and starts serving. */
  connect(transport: ServerTransport): Promise<void>;
  /** Stops serving and closes the transport. */
  close(): Promise<void>;
  /** Names of the tools offered now, in catalogue order. */
  readonly toolNames: readonly string[];
}
