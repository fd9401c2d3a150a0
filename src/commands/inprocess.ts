/**
 * Talks MCP to a server in this process, through a transport that hands
 * JSON-RPC messages across directly, as a client would over stdio: used by
 * `plexmcp call` and `plexmcp doctor`'s handshake check.
 *
 * @module
 */
import type { PlexMcpServer, ServerTransport } from "../server.ts";
import { CLI_NAME as NAME, VERSION } from "../version.ts";

/** A JSON-RPC answer. */
export interface RpcAnswer {
  /** The result, when it succeeded. */
  result?: Record<string, unknown>;
  /** The error, when it failed. */
  error?: { code: number; message: string };
}

/** An MCP session with a server in this process. */
export interface InProcessSession {
  /** Sends a request and waits for its answer. */
  request(method: string, params?: Record<string, unknown>): Promise<RpcAnswer>;
  /** Notifications the server sent so far. */
  notifications: { method: string; params?: unknown }[];
  /** Ends the session. */
  close(): Promise<void>;
}

/** The protocol version the in-process client asks for. */
const PROTOCOL_VERSION = "2025-06-18";

/**
 * Connects to `server`, runs the MCP handshake (initialize, then the
 * initialized notification) and returns the session.
 */
export async function connectInProcess(
  server: PlexMcpServer,
): Promise<InProcessSession> {
  const pending = new Map<number, (answer: RpcAnswer) => void>();
  const notifications: { method: string; params?: unknown }[] = [];
  let nextId = 1;
  const transport: ServerTransport = {
    start: () => Promise.resolve(),
    send: (message: unknown) => {
      const m = message as {
        id?: number;
        method?: string;
        params?: unknown;
        result?: Record<string, unknown>;
        error?: { code: number; message: string };
      };
      if (m.method !== undefined && m.id === undefined) {
        notifications.push({ method: m.method, params: m.params });
      } else if (m.method !== undefined && m.id !== undefined) {
        // A request from the server (e.g. elicitation): not supported here.
        queueMicrotask(() =>
          transport.onmessage?.({
            jsonrpc: "2.0",
            id: m.id,
            error: { code: -32601, message: "not supported by this client" },
          })
        );
      } else if (typeof m.id === "number") {
        pending.get(m.id)?.({ result: m.result, error: m.error });
        pending.delete(m.id);
      }
      return Promise.resolve();
    },
    close: () => {
      transport.onclose?.();
      return Promise.resolve();
    },
  };
  await server.connect(transport);
  const request = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<RpcAnswer>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      transport.onmessage?.({ jsonrpc: "2.0", id, method, params });
    });
  const init = await request("initialize", {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: `${NAME}-cli`, version: VERSION },
  });
  if (init.error) {
    throw new Error(`initialize failed: ${init.error.message}`);
  }
  transport.onmessage?.({
    jsonrpc: "2.0",
    method: "notifications/initialized",
  });
  return {
    request,
    notifications,
    close: () => server.close(),
  };
}
