// Loads plexmcp's own start-up modules that do not need the MCP SDK (every
// module src/mod.ts loads statically whose imports reach no SDK module;
// tests/repo/bench_smoke_test.ts checks this list against `deno info`): part of
// the cold-start benchmark's breakdown.
import "../src/commands/args.ts";
import "../src/config/bootstrap.ts";
import "../src/config/config.ts";
import "../src/config/config_servers.ts";
import "../src/jsonrpc.ts";
import "../src/log.ts";
import "../src/outgoing.ts";
import "../src/plex/mod.ts";
import "../src/redact.ts";
import "../src/server/arguments.ts";
import "../src/server/boundary.ts";
import "../src/server/results.ts";
import "../src/server/tool_call.ts";
import "../src/server/tool_set.ts";
import "../src/servers.ts";
import "../src/stdio.ts";
import "../src/structured.ts";
import "../src/tools/catalog_info.ts";
import "../src/tools/shared/define_tool.ts";
import "../src/tools/runtime.ts";
import "../src/version.ts";
