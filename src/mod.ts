/**
 * plexmcp: an MCP server that lets AI assistants see and drive a Plex Media
 * Server.
 *
 * Run it (stdio transport):
 *
 * ```sh
 * deno run --allow-net=192.168.1.10:32400 --allow-env jsr:@plexmcp/server
 * ```
 *
 * Or embed it:
 *
 * ```ts
 * import { createServer, PlexClient } from "@plexmcp/server";
 * import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
 *
 * const plex = new PlexClient({ baseUrl: "http://192.168.1.10:32400", token: "…" });
 * const server = createServer({ plex }, { readOnly: true });
 * await server.connect(new StdioServerTransport());
 * ```
 *
 * @module
 */
export {
  createServer,
  type PlexMcpServer,
  type ServerDeps,
  type ServerOptions,
  type ServerTransport,
} from "./server.ts";
export { type CliIo, runCli } from "./commands/cli.ts";
export {
  type Config,
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
  type LoadConfigOptions,
  type ServerConfig,
} from "./config/config.ts";
export {
  PlexServers,
  type ServerEntry,
  UnknownServerError,
} from "./servers.ts";
export {
  LOG_LEVELS,
  Logger,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
} from "./log.ts";
export { redact, REDACTED } from "./redact.ts";
export { NAME, VERSION } from "./version.ts";
export * from "./plex/mod.ts";
export type * from "./plextv/models.ts";
export {
  type ToolAnnotations,
  type Toolset,
  TOOLSETS,
} from "./tools/shared/define_tool.ts";
export { toolCatalog, type ToolInfo } from "./tools/catalog_info.ts";
export type { ToolSelection } from "./tools/shared/select.ts";

import { runCli as run } from "./commands/cli.ts";

if (import.meta.main) {
  const out = new TextEncoder();
  const code = await run(Deno.args, {
    print: (text) => Deno.stdout.writeSync(out.encode(text + "\n")),
  });
  Deno.exit(code);
}
