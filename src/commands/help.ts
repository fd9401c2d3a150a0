/**
 * `plexmcp --help`: usage, commands, options, where the settings come from
 * and every variable the server and `serve --http` read. The toolsets are
 * listed from {@link TOOLSETS}, so a new one shows up here by itself.
 * Loaded only for `--help`.
 *
 * @module
 */
import {
  DEFAULT_TOOLSETS,
  type Toolset,
  TOOLSETS,
} from "../tools/shared/define_tool.ts";
import { CLI_NAME, NAME, VERSION } from "../version.ts";

/** The toolsets, one line each: name, what it holds, on by default or not. */
export function toolsetLines(indent = "  "): string[] {
  const names = Object.keys(TOOLSETS) as Toolset[];
  const width = Math.max(...names.map((n) => n.length));
  return names.map((name) =>
    `${indent}${name.padEnd(width)}  ${
      TOOLSETS[name].replace(/; off by default$/, "")
    }${DEFAULT_TOOLSETS.includes(name) ? "" : " (opt-in)"}`
  );
}

/** The text `--help` prints. */
export function helpText(): string {
  return `${NAME} ${VERSION}: an MCP server for Plex Media Server (stdio)

Usage:
  ${CLI_NAME} [--demo] [--env-file PATH]   Serve MCP over stdio (what a client starts)
  ${CLI_NAME} <command> [options]

${CLI_NAME} is this program installed as a command (README "Install the plexmcp
command"); without installing, the same runs as
  deno run <permissions> jsr:@plexmcp/server [command] [options]

Commands (each has --help):
  login         Sign in with Plex, pick servers, write the settings file
  doctor        Check the setup, step by step, with fixes
  tools         List the tools the server offers
  call          Run one tool and print what it returns
  config        Print the configuration for an MCP client
  serve         Serve MCP over HTTP instead: serve --http [host:port]

Options:
  --demo            Serve the built-in demo library (no Plex server needed)
  --env-file PATH   Read the settings from this file (needs --allow-read for
                    it) instead of the one login writes
  --version         Print the version and exit
  --help            Print this help and exit

Settings come from the environment and from the file login writes
(~/.config/plexmcp/plexmcp.env; ~/Library/Application Support/plexmcp on
macOS, %APPDATA%\\plexmcp on Windows), which is read when the environment
names no server (neither PLEX_SERVER_URL nor PLEX_SERVERS). A variable set
in the environment wins over the same one in a file. Deno's own flag
--env-file=FILE, given before the module, loads a file with no
--allow-read needed.

Environment:
  PLEX_SERVER_URL   Plex address, e.g. http://192.168.1.10:32400 (required)
  PLEX_TOKEN        Plex token (required)
  PLEX_SERVERS      Several servers instead: name=url,name=url (or login's JSON)
  PLEX_TOKENS       Their tokens: name=token,… (default PLEX_TOKEN)
  PLEX_DEFAULT_SERVER  The one used when a call names none (default the first)
  PLEX_TV_URL       plex.tv address for login (default https://plex.tv)
  PLEX_ACCOUNT_TOKEN  Your plex.tv account's token, for the watchlist, Plex
                    Home and sharing (login keeps it; a shared server's own
                    token is refused there)
  PLEX_CLIENT_ID    This installation's client identifier (login keeps it;
                    default: derived from the default server)
  PLEX_DISCOVER_URL Plex Discover address for the watchlist tools
  PLEX_TIMEOUT      Seconds one tool call may take with Plex (default 30, 0.1-600)
  PLEX_VERIFY_SSL   Verify TLS certificates (default true)
  PLEX_READ_ONLY    true = register no tool that changes anything
  PLEX_TOOLSETS     Comma list of toolsets to offer (default: default, every
                    toolset but the opt-in ones); all; names add up, e.g.
                    default,curation; dynamic = start small and let the
                    assistant turn toolsets on. The toolsets:
${toolsetLines("                      ").join("\n")}
  PLEX_CACHE_TTL    Seconds identical reads are served from memory (default 5, 0 = off)
  DEV_MOCK_MODE     true = same as --demo
  DEV_LOG_LEVEL     debug | info | warning | error (default info)
  DEV_DEBUG         true = debug logging

  For serve --http (see ${CLI_NAME} serve --help):
  PLEX_HTTP_TOKEN            Bearer token clients send (16+ characters)
  PLEX_HTTP_PATH             Endpoint path (default /mcp)
  PLEX_HTTP_SESSION_IDLE     Seconds before an unused session ends (default 1800)
  PLEX_HTTP_MAX_SESSIONS     Most open sessions (default 100)
  PLEX_HTTP_MAX_STREAMS      Most SSE streams per session (default 32)
  PLEX_HTTP_ALLOWED_HOSTS    Host names clients use besides IPs and localhost
  PLEX_HTTP_ALLOWED_ORIGINS  Web origins allowed to connect
  PLEX_HTTP_AUTH             bearer (default: PLEX_HTTP_TOKEN) or oauth (OAuth 2.1)
  PLEX_HTTP_PUBLIC_URL       OAuth: the https origin clients reach
  PLEX_HTTP_STATE            OAuth: file that keeps clients and grants (0600)
  PLEX_HTTP_OWNERS           OAuth: plex.tv accounts that may approve besides the owner

Logs go to stderr; stdout carries only JSON-RPC.`;
}
