/**
 * `createServer()`: an `McpServer` with the selected tools registered. A pure
 * factory: nothing global, nothing connected; the caller picks a transport.
 *
 * @module
 */
import {
  type CallToolResult,
  McpServer,
  type RequestHandlerExtra,
  type ServerNotification,
  type ServerRequest,
  type Transport,
} from "./sdk.ts";
import { z } from "zod";
import { Logger } from "./log.ts";
import type { PlexClient } from "./plex/client.ts";
import { PlexError } from "./plex/errors.ts";
import {
  ALL_TOOLS,
  type Confirm,
  selectTools,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
  type ToolSelection,
} from "./tools/mod.ts";
import { NAME, VERSION } from "./version.ts";
import { registerPrompts } from "./prompts.ts";
import { registerResources } from "./resources.ts";

/** What the server needs from outside. */
export interface ServerDeps {
  /** The Plex client every tool uses. */
  plex: PlexClient;
  /** Logger; default logs to stderr at info level. */
  logger?: Logger;
  /** Aborted on shutdown: cancels in-flight Plex requests. */
  shutdownSignal?: AbortSignal;
}

/** Server options: which tools to register. */
export interface ServerOptions extends ToolSelection {}

/** Internal options (the tool list is not part of the public API). */
interface InternalOptions extends ServerOptions {
  tools?: readonly ToolDefinition[];
}

const INSTRUCTIONS =
  "Tools for one Plex Media Server. Items are identified by ratingKey (a numeric string) and libraries by key or title; list tools return ratingKeys for follow-up calls and page with offset/limit. Start with get_plex_status if calls fail.";

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
  /** Names of the registered tools, in catalogue order. */
  readonly toolNames: readonly string[];
}

/** Creates an MCP server exposing the selected Plex tools. */
export function createServer(
  deps: ServerDeps,
  options: ServerOptions = {},
): PlexMcpServer {
  const server = createMcpServer(deps, options);
  const toolNames = selectTools(ALL_TOOLS, options).map((t) => t.name);
  return {
    connect: (transport) => server.connect(transport as Transport),
    close: () => server.close(),
    toolNames,
  };
}

/** Like {@link createServer}, returning the SDK's `McpServer` itself. */
export function createMcpServer(
  deps: ServerDeps,
  options: InternalOptions = {},
): McpServer {
  const log = deps.logger ?? new Logger();
  const server = new McpServer(
    { name: NAME, title: "Plex Media Server", version: VERSION },
    {
      capabilities: { logging: {} },
      instructions: INSTRUCTIONS,
    },
  );

  // Mirror log records to MCP logging notifications once a client is there.
  let removeSink: (() => void) | undefined;
  server.server.oninitialized = () => {
    removeSink ??= log.addSink((level, message) => {
      server.server
        .sendLoggingMessage({
          level, // our levels are MCP logging levels
          logger: "plexmcp",
          data: message,
        })
        .catch(() => {});
    });
  };
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    removeSink?.();
    previousOnClose?.();
  };

  registerResources(server, deps.plex, log);
  registerPrompts(server);
  const tools = selectTools(options.tools ?? ALL_TOOLS, options);
  for (const tool of tools) registerTool(server, tool, deps, log);
  if (tools.length === 0) {
    // The SDK installs tools/list only with the first tool; an empty
    // selection must still answer tools/list with an empty list.
    log.warn("No tools selected: check PLEX_TOOLSETS and PLEX_READ_ONLY");
    server.registerTool("_", { description: "placeholder" }, () => ({
      content: [],
    })).remove();
  }
  return server;
}

function registerTool(
  server: McpServer,
  tool: ToolDefinition,
  deps: ServerDeps,
  log: Logger,
): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      // Strict: a misspelt argument is an error naming it, not silently dropped.
      inputSchema: z.strictObject(tool.input),
      outputSchema: z.object(tool.output),
      annotations: { title: tool.title, ...tool.annotations },
    },
    async (
      args: Record<string, unknown>,
      extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
    ): Promise<CallToolResult> => {
      // Aborted by the client's cancellation or by shutdown. Listeners are
      // removed when the call ends so none accumulate on the shutdown signal.
      const controller = new AbortController();
      const abort = () =>
        controller.abort(new DOMException("cancelled", "AbortError"));
      if (extra.signal.aborted || deps.shutdownSignal?.aborted) abort();
      extra.signal.addEventListener("abort", abort, { once: true });
      deps.shutdownSignal?.addEventListener("abort", abort, { once: true });
      const signal = controller.signal;
      const progressToken = extra._meta?.progressToken;
      const confirm: Confirm = async (message) => {
        if (!server.server.getClientCapabilities()?.elicitation) {
          return undefined;
        }
        const answer = await server.server.elicitInput({
          message,
          requestedSchema: {
            type: "object",
            properties: {
              confirm: {
                type: "boolean",
                title: "Confirm",
                description: message,
              },
            },
            required: ["confirm"],
          },
        }, { signal });
        return answer.action === "accept" && answer.content?.confirm === true;
      };
      const ctx: ToolContext = {
        plex: deps.plex,
        signal,
        log,
        confirm,
        progress: async (progress, total, message) => {
          if (progressToken === undefined) return;
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress, total, message },
          });
        },
      };
      const started = performance.now();
      try {
        const result = await tool.handler(args, ctx);
        log.debug(
          `${tool.name} ok in ${(performance.now() - started).toFixed(1)} ms`,
        );
        return {
          content: [{ type: "text", text: deps.plex.redact(result.text) }],
          structuredContent: result.structured,
        };
      } catch (error) {
        return toolError(tool.name, error, deps.plex, log);
      } finally {
        extra.signal.removeEventListener("abort", abort);
        deps.shutdownSignal?.removeEventListener("abort", abort);
      }
    },
  );
}

/** Turns a thrown error into an `isError` result with a specific message. */
function toolError(
  name: string,
  error: unknown,
  plex: PlexClient,
  log: Logger,
): CallToolResult {
  let message: string;
  if (error instanceof PlexError || error instanceof ToolInputError) {
    message = error.message;
    log.warn(`${name} failed: ${message}`);
  } else if (error instanceof DOMException && error.name === "AbortError") {
    message = `${name} was cancelled`;
  } else {
    message = `${name} failed unexpectedly: ${
      error instanceof Error ? error.message : String(error)
    }`;
    log.error(
      `${name} failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
  }
  return {
    content: [{ type: "text", text: plex.redact(message) }],
    isError: true,
  };
}
