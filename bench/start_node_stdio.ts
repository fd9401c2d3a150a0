/**
 * Cold-start breakdown, variant (d): the server as shipped, except that it
 * reads its flags with `node:util`'s `parseArgs` and talks over the SDK's
 * `StdioServerTransport` (which imports `node:process` and Node streams)
 * instead of plexmcp's own argument parser and Deno-native stdio
 * transport. It loads everything `src/mod.ts` loads (so the difference is
 * only the `node:` modules and the SDK transport) and starts the same way
 * as `runCli` (configuration, logger, Plex client, server) through the
 * public API, without the signal handlers and shutdown. The difference to
 * the shipped server is what avoiding `node:` imports at start-up saves.
 */
import { parseArgs } from "node:util";
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CONFIG_VARIABLES,
  createServer,
  loadConfig,
  Logger,
  PlexClient,
  VERSION,
} from "../src/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    demo: { type: "boolean" },
    version: { type: "boolean", short: "v" },
    help: { type: "boolean", short: "h" },
  },
});
const config = loadConfig(
  Object.fromEntries(
    CONFIG_VARIABLES.map((name) => [name, Deno.env.get(name)]),
  ),
  { demo: values.demo },
);
const logger = new Logger({ level: config.logLevel });
const plex = new PlexClient({
  baseUrl: config.plexServerUrl!,
  token: config.plexToken!,
  timeoutMs: config.timeoutMs,
  cacheTtlMs: config.cacheTtlMs,
  product: "plexmcp",
  version: VERSION,
});
const server = createServer({ plex, logger }, {
  readOnly: config.readOnly,
  toolsets: config.toolsets,
  dynamic: config.dynamicToolsets,
});
await server.connect(new StdioServerTransport());
