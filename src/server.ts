/**
 * `createServer()`: an MCP server offering the selected Plex tools, with the
 * resources and prompts. A pure factory: nothing global, nothing connected;
 * the caller picks a transport.
 *
 * Tools are served from the pre-built catalogue (`tools/list` converts no
 * schema at run time) and their definitions load on the first call of a
 * tool of their toolset. Every
 * message that leaves goes through one pass that redacts it and makes its
 * text printable; every message that
 * arrives is checked for argument keys the SDK would lose (`__proto__`),
 * whatever the transport.
 *
 * @module
 */
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  Server,
  type Transport,
} from "./sdk.ts";
import { Logger, MAX_STRUCTURED_STRING, MAX_TEXT_LINE, quoted } from "./log.ts";
import { NAME, VERSION } from "./version.ts";
import { registerPrompts } from "./server/prompts.ts";
import { registerResources } from "./server/resources.ts";
import {
  PlexServers,
  type ServerEntry,
  UnknownServerError,
} from "./servers.ts";
import type {
  PlexMcpServer,
  ServerDeps,
  ServerOptions,
} from "./server/types.ts";
import { SERVER_ARG, ToolSet } from "./server/tool_set.ts";
import { describeIssues, type SafeParse } from "./server/arguments.ts";
import { bounded, errorResult, named } from "./server/results.ts";
import { runOnAll, runTool } from "./server/tool_call.ts";
import { boundary, stripLocalDetails } from "./server/boundary.ts";

export { MAX_STRUCTURED_STRING, MAX_TEXT_LINE, stripLocalDetails };
export type {
  PlexMcpServer,
  ServerDeps,
  ServerOptions,
  ServerTransport,
} from "./server/types.ts";

const INSTRUCTIONS =
  "Tools for one Plex Media Server. Items are identified by ratingKey (a numeric string) and libraries by key or title; list tools return ratingKeys for follow-up calls and page with offset/limit. Tools that depend on who watches take user (a Plex Home member's name) and pin (their 4-digit PIN, if the profile has one). Start with get_plex_status if calls fail.";

/** The instructions when several servers are configured. */
function severalInstructions(servers: PlexServers): string {
  return `Tools for ${servers.all().length} Plex Media Servers (${
    servers.all().map((s) => s.name).join(", ")
  }; list_servers shows them). Each tool takes server (a name or machine identifier; default ${servers.default.name}); search_media, get_recently_added, get_on_deck and get_active_sessions also take server "all". A ratingKey belongs to one server: pass the server it came with. Libraries are named by key or title; list tools page with offset/limit. Tools that depend on who watches take user (a Plex Home member's name) and pin (their 4-digit PIN, if the profile has one). Start with list_servers or get_plex_status if calls fail.`;
}

/** Creates an MCP server exposing the selected Plex tools. */
export function createServer(
  deps: ServerDeps,
  options: ServerOptions = {},
): PlexMcpServer {
  const servers = deps.servers ?? PlexServers.single(deps.plex);
  const { server, tools } = buildServer({ ...deps, servers }, options);
  return {
    connect: (transport) =>
      server.connect(boundary(transport, servers, tools) as Transport),
    close: () => server.close(),
    get toolNames() {
      return tools.names();
    },
  };
}

/** Builds the SDK's protocol `Server` with every handler installed. */
function buildServer(
  deps: ServerDeps & { servers: PlexServers },
  options: ServerOptions,
): { server: Server; tools: ToolSet } {
  const log = deps.logger ?? new Logger();
  const server = new Server(
    { name: NAME, title: "Plex Media Server", version: VERSION },
    {
      capabilities: { logging: {}, tools: { listChanged: true } },
      instructions: deps.servers.multiple
        ? severalInstructions(deps.servers)
        : INSTRUCTIONS,
    },
  );

  // Mirror log records to MCP logging notifications once a client is there,
  // without what belongs on this machine only.
  let removeSink: (() => void) | undefined;
  server.oninitialized = () => {
    removeSink ??= log.addSink((level, message) => {
      server
        .sendLoggingMessage({
          level, // our levels are MCP logging levels
          logger: "plexmcp",
          data: stripLocalDetails(message),
        })
        .catch(() => {});
    });
  };
  // Resource subscriptions end with the session (their sockets close).
  const resources = registerResources(server, deps.servers, log);
  const previousOnClose = server.onclose;
  server.onclose = () => {
    removeSink?.();
    resources.close();
    previousOnClose?.();
  };

  const tools = new ToolSet(options, deps.servers);
  registerPrompts(server, (name) => tools.has(name));
  if (tools.names().length === 0) {
    log.warn("No tools selected: check PLEX_TOOLSETS and PLEX_READ_ONLY");
  }
  tools.onChange = () => {
    server.sendToolListChanged().catch(() => {});
  };
  server.setRequestHandler(
    ListToolsRequestSchema,
    () => tools.listResult(),
  );
  const inputSchemas = new Map<string, { safeParse: SafeParse }>();
  server.setRequestHandler(
    CallToolRequestSchema,
    async (request, extra) => {
      const name = request.params.name;
      // What the client named is quoted short: it may be anything.
      if (!tools.has(name)) {
        return errorResult(`MCP error -32602: Tool ${quoted(name)} not found`);
      }
      const tool = await tools.definition(name);
      if (!tool) {
        return errorResult(`MCP error -32602: Tool ${quoted(name)} not found`);
      }
      // With several servers, `server` picks one; the tool never sees it.
      let args = request.params.arguments ?? {};
      let wanted: unknown;
      if (deps.servers.multiple && tools.serverBound(name)) {
        ({ [SERVER_ARG]: wanted, ...args } = args);
        if (wanted !== undefined && typeof wanted !== "string") {
          return errorResult(
            `MCP error -32602: Input validation error: Invalid arguments for tool ${name}: server must be a server name or machine identifier (a string) at server`,
          );
        }
      }
      let schema = inputSchemas.get(name);
      if (!schema) {
        const { z } = await import("./zod.ts");
        schema = z.strictObject(tool.input);
        inputSchemas.set(name, schema);
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        const why = describeIssues(parsed.error.issues);
        return errorResult(
          `MCP error -32602: Input validation error: Invalid arguments for tool ${name}: ${why}`,
        );
      }
      const data = parsed.data as Record<string, unknown>;
      const env = { server, deps, log, tools, options };
      const paged = "offset" in tool.input;
      if (!deps.servers.multiple || !tools.serverBound(name)) {
        return bounded(
          await runTool(tool, data, extra, env, deps.servers.default),
          paged,
          deps.servers.secrets(),
        );
      }
      if (typeof wanted === "string" && wanted.trim().toLowerCase() === "all") {
        if (!tools.spans(name)) {
          return errorResult(
            `server "all" is for search_media, get_recently_added, get_on_deck and get_active_sessions; ${name} works on one server: name it (list_servers shows them)`,
          );
        }
        return bounded(
          await runOnAll(tool, data, extra, env),
          paged,
          deps.servers.secrets(),
        );
      }
      let entry: ServerEntry;
      try {
        entry = await deps.servers.resolve(
          wanted as string | undefined,
          extra.signal,
        );
      } catch (error) {
        if (error instanceof UnknownServerError) {
          return errorResult(error.message);
        }
        throw error;
      }
      return bounded(
        named(entry.name, await runTool(tool, data, extra, env, entry)),
        paged,
        deps.servers.secrets(),
      );
    },
  );
  return { server, tools };
}
