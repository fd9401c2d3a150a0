/**
 * `plexmcp config <client>`: the configuration for the current settings
 * in a client's own format (see {@link clientConfig}); with `--http`, one
 * that connects to `plexmcp serve --http` by URL with the bearer token
 * (see {@link httpClientConfig}).
 *
 * Settings come from a settings file (`--env-file PATH`, else the one
 * `login` writes when it exists), or else from the environment.
 *
 * @module
 */
import { parseArgs, UsageError } from "./args.ts";
import { plexTvHosts, serverHosts } from "../config/bootstrap.ts";
import {
  type Config,
  CONFIG_VARIABLES,
  ConfigError,
  HTTP_VARIABLES,
  loadConfig,
} from "../config/config.ts";
import {
  AddressError,
  DEFAULT_LISTEN,
  hostPort,
  loadHttpSettings,
  normalizeOptionalValue,
  parseListen,
} from "../http/settings.ts";
import {
  lookupSettings,
  SettingsFileError,
  settingsHint,
  type SettingsLookup,
} from "../config/settings_lookup.ts";
import { type AuthSettings, loadAuthSettings } from "../http/oauth/settings.ts";
import { CLI_NAME as NAME } from "../version.ts";
import {
  CLIENT_FILES,
  clientConfig,
  type ClientKind,
  CLIENTS,
  HTTP_CLIENT_FILES,
  httpClientConfig,
  type LaunchMode,
} from "./client_config.ts";
import type { CommandIo } from "./io.ts";

/** Help for `plexmcp config`. */
export const CONFIG_HELP = `Usage: ${NAME} config <${
  CLIENTS.join("|")
}> [options]

Prints the MCP client configuration for the current settings: Claude
Desktop's mcpServers block, the claude mcp add command, VS Code's
.vscode/mcp.json entry or Cursor's mcp.json.

Options:
  --env-file PATH   Settings file to use (default: the one login writes, when
                    the environment names no server); variables set in the
                    environment win over it
  --checkout PATH   Start from a checkout of the repository at PATH
  --binary PATH     Start the compiled binary at PATH (it cannot load an env
                    file, so the settings, tokens included, go in env)
  --name NAME       Server name in the client's configuration (default plex)
  --http [URL|host:port]
                    Connect to \`${NAME} serve --http\` instead, by URL with
                    the header 'Authorization: Bearer <PLEX_HTTP_TOKEN>'
                    (default http://${DEFAULT_LISTEN}/mcp; host:port takes
                    PLEX_HTTP_PATH). PLEX_HTTP_TOKEN must be in the settings.
                    Claude Desktop connects through the mcp-remote bridge
  --help            Print this help

Permissions: --allow-env, and --allow-read for the settings file.
Exit codes: 0, 2 bad usage or settings.`;

/** Runs `plexmcp config`. */
export async function runConfig(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  let flags;
  let client: ClientKind;
  try {
    const parsed = parseArgs(
      normalizeOptionalValue(
        args,
        "--http",
        (word) => !(CLIENTS as readonly string[]).includes(word),
      ),
      {
        "env-file": { type: "string" },
        checkout: { type: "string" },
        binary: { type: "string" },
        name: { type: "string" },
        http: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    );
    flags = parsed.flags;
    if (flags.help) {
      io.out(CONFIG_HELP);
      return 0;
    }
    const [kind, extra] = parsed.positionals;
    if (!kind) {
      throw new UsageError(`Name the client: ${CLIENTS.join(", ")}`);
    }
    if (!(CLIENTS as readonly string[]).includes(kind)) {
      throw new UsageError(
        `Unknown client '${kind.slice(0, 40)}': choose ${CLIENTS.join(", ")}`,
      );
    }
    if (extra !== undefined) {
      throw new UsageError(`Unexpected argument '${extra.slice(0, 40)}'`);
    }
    if (flags.checkout && flags.binary) {
      throw new UsageError("Choose --checkout or --binary, not both");
    }
    if (flags.http !== undefined && (flags.checkout || flags.binary)) {
      throw new UsageError(
        "--http connects to a running server: --checkout and --binary do not apply",
      );
    }
    client = kind as ClientKind;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${NAME} config: ${error.message}\n${CONFIG_HELP.split("\n")[0]}\n`);
    return 2;
  }

  let lookup: SettingsLookup;
  try {
    lookup = await lookupSettings(io.env, {
      file: flags["env-file"] as string | undefined,
    });
  } catch (error) {
    if (!(error instanceof SettingsFileError)) throw error;
    io.err(`${NAME} config: ${error.message}\n`);
    return 2;
  }
  const file = lookup.file;
  // Our variables only: those of the file, and the environment's over them.
  const ours = (from: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(from).filter(([k, v]) =>
        v !== undefined && CONFIG_VARIABLES.includes(k)
      ),
    ) as Record<string, string>;
  const env = ours(lookup.env);
  if (flags.http !== undefined) {
    return printHttp(client, String(flags.http), env, file, flags, io);
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const hint = settingsHint(lookup);
    io.err(
      `${NAME} config: ${
        file ? file : "the environment"
      } does not hold usable settings:\n${
        error.problems.map((p) => `  - ${p}`).join("\n")
      }\n${
        lookup.denied
          ? `${hint}.`
          : `Run \`${NAME} login\` first, or pass --env-file PATH.`
      }\n`,
    );
    return 2;
  }
  const mode: LaunchMode = flags.binary
    ? { kind: "binary", path: String(flags.binary) }
    : flags.checkout
    ? { kind: "checkout", path: String(flags.checkout) }
    : { kind: "jsr" };
  // The deno run forms load the file themselves; the binary and the
  // environment-only setups carry the settings in env.
  const inline = mode.kind === "binary" || !file;
  // The server's own settings; serve --http's are of no use over stdio
  // (and the bearer token has no business in a stdio client's file).
  const stdio = (from: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(from).filter(([k]) => !HTTP_VARIABLES.includes(k)),
    );
  // With the file, the variables the environment sets win over it, here as
  // in the client: they go into env beside --env-file.
  const overrides = stdio(ours(io.env));
  const holdsToken = inline ||
    ["PLEX_TOKEN", "PLEX_TOKENS", "PLEX_SERVERS"].some((k) => k in overrides);
  io.out(clientConfig(client, {
    mode,
    hosts: [...serverHosts(config), ...plexTvHosts(config)],
    envFile: inline ? undefined : file,
    env: inline ? stdio(env) : overrides,
  }, (flags.name as string | undefined) ?? "plex"));
  io.err(`${CLIENT_FILES[client]}.\n`);
  if (!inline && Object.keys(overrides).length) {
    io.err(
      `The environment sets ${Object.keys(overrides).join(", ")}, which ${
        Object.keys(overrides).length === 1 ? "wins" : "win"
      } over ${file}: in the configuration's env too.\n`,
    );
  }
  if (holdsToken) {
    io.err(
      "This configuration holds your Plex token: keep the file it goes into private.\n",
    );
  }
  return 0;
}

/** `config <client> --http [URL|host:port]`. */
function printHttp(
  client: ClientKind,
  target: string,
  env: Record<string, string | undefined>,
  file: string | undefined,
  flags: Record<string, string | boolean | undefined>,
  io: CommandIo,
): number {
  const fail = (message: string) => {
    io.err(`${NAME} config: ${message}\n`);
    return 2;
  };
  let settings;
  try {
    settings = loadHttpSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(
      `${file ?? "the environment"} holds invalid HTTP settings:\n${
        error.problems.map((p) => `  - ${p}`).join("\n")
      }`,
    );
  }
  let oauth: AuthSettings["oauth"] | undefined;
  try {
    const auth = loadAuthSettings(env);
    if (auth.auth === "oauth") oauth = auth.oauth;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(
      `${file ?? "the environment"} holds invalid OAuth settings:\n${
        error.problems.map((p) => `  - ${p}`).join("\n")
      }`,
    );
  }
  if (!settings.token && !oauth) {
    return fail(
      `PLEX_HTTP_TOKEN is not set in ${
        file ?? "the environment"
      }: without it, serve --http makes up a new token at every start, which no client configuration can hold. Set it (e.g. PLEX_HTTP_TOKEN=$(openssl rand -hex 32)) where the server and this command both read it.`,
    );
  }
  let url: string;
  if (/^https?:\/\//i.test(target)) {
    let u: URL;
    try {
      u = new URL(target);
    } catch {
      return fail(`--http ${target.slice(0, 60)} is not a URL`);
    }
    if (u.username || u.password || u.search || u.hash) {
      return fail(
        "--http takes the endpoint URL without credentials, query or fragment (the token goes in the header)",
      );
    }
    url = u.href;
  } else if (!target && oauth?.publicUrl) {
    // OAuth behind a proxy: clients reach the public address.
    url = `${oauth.publicUrl}${settings.path}`;
  } else {
    let listen;
    try {
      listen = parseListen(target || undefined);
    } catch (error) {
      if (error instanceof AddressError) return fail(error.message);
      throw error;
    }
    if (listen.allInterfaces || listen.port === 0) {
      return fail(
        `--http ${target}: give the address clients connect to, e.g. --http 192.168.1.20:8765 or --http https://mcp.example.org${settings.path}`,
      );
    }
    url = `http://${hostPort(listen)}${settings.path}`;
  }
  io.out(
    httpClientConfig(
      client,
      { url, token: oauth ? undefined : settings.token },
      (flags.name as string | undefined) ?? "plex",
    ),
  );
  io.err(`${HTTP_CLIENT_FILES[client]}.\n`);
  io.err(
    oauth
      ? "OAuth (PLEX_HTTP_AUTH=oauth): the configuration holds no token; at its first connection the client opens the consent page, where you approve it by signing in with Plex.\n"
      : "This configuration holds the bearer token (PLEX_HTTP_TOKEN): keep the file it goes into private.\n",
  );
  if (
    url.startsWith("http:") && !/^http:\/\/(127\.|localhost|\[::1\])/.test(url)
  ) {
    io.err(
      "Plain http beyond this machine: the token crosses the network unencrypted. Put a TLS reverse proxy in front and use its https:// URL.\n",
    );
  }
  return 0;
}
