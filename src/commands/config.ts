/**
 * `plexmcp config <client>`: the configuration for the current settings
 * in a client's own format (see {@link clientConfig}).
 *
 * Settings come from a settings file (`--env-file PATH`, else the one
 * `login` writes when it exists), or else from the environment.
 *
 * @module
 */
import { parseArgs, UsageError } from "../args.ts";
import { serverHosts } from "../bootstrap.ts";
import {
  type Config,
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
} from "../config.ts";
import { defaultSettingsPath, exists, parseEnvFile } from "../settings.ts";
import { CLI_NAME as NAME } from "../version.ts";
import {
  CLIENT_FILES,
  clientConfig,
  type ClientKind,
  CLIENTS,
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
  --env-file PATH   Settings file to use (default: the one login writes, if
                    it exists; else the environment)
  --checkout PATH   Start from a checkout of the repository at PATH
  --binary PATH     Start the compiled binary at PATH (it cannot load an env
                    file, so the settings, tokens included, go in env)
  --name NAME       Server name in the client's configuration (default plex)
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
    const parsed = parseArgs(args, {
      "env-file": { type: "string" },
      checkout: { type: "string" },
      binary: { type: "string" },
      name: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
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
    client = kind as ClientKind;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${NAME} config: ${error.message}\n${CONFIG_HELP.split("\n")[0]}\n`);
    return 2;
  }

  let file = flags["env-file"] as string | undefined;
  if (!file) {
    const path = defaultSettingsPath(io.env);
    if (path && await exists(path).catch(() => false)) file = path;
  }
  let env: Record<string, string | undefined>;
  if (file) {
    try {
      env = parseEnvFile(await Deno.readTextFile(file));
    } catch (error) {
      io.err(
        `${NAME} config: cannot read ${file}: ${
          (error as Error).message.split("\n")[0]
        }\n`,
      );
      return 2;
    }
  } else {
    env = Object.fromEntries(
      CONFIG_VARIABLES.map((n) => [n, io.env[n]]).filter(([, v]) =>
        v !== undefined
      ),
    );
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(
      `${NAME} config: ${
        file ? file : "the environment"
      } does not hold usable settings:\n${
        error.problems.map((p) => `  - ${p}`).join("\n")
      }\nRun \`${NAME} login\` first, or pass --env-file PATH.\n`,
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
  const settings = Object.fromEntries(
    Object.entries(env).filter(([k, v]) =>
      v !== undefined && CONFIG_VARIABLES.includes(k)
    ),
  ) as Record<string, string>;
  io.out(clientConfig(client, {
    mode,
    hosts: serverHosts(config),
    envFile: inline ? undefined : file,
    env: inline ? settings : undefined,
  }, (flags.name as string | undefined) ?? "plex"));
  io.err(`${CLIENT_FILES[client]}.\n`);
  if (inline) {
    io.err(
      "This configuration holds your Plex token: keep the file it goes into private.\n",
    );
  }
  return 0;
}
