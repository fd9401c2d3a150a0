/**
 * The command line: parse flags, load configuration, build the Plex
 * clients (real, or the demo fake with `--demo`), serve MCP over stdio, and
 * shut down cleanly when stdin closes or on SIGTERM/SIGINT. The commands
 * for people (`login`, `doctor`, `tools`, `call`, `config`) and `serve
 * --http` (MCP over HTTP) load only when named.
 *
 * @module
 */
import { parseArgs, UsageError } from "./args.ts";
import { StdioTransport } from "../stdio.ts";
import {
  type Config,
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
} from "../config/config.ts";
import { Logger } from "../log.ts";
import { buildServers, serverHosts } from "../config/bootstrap.ts";
import { createServer } from "../server.ts";
import { CLI_NAME, NAME, VERSION } from "../version.ts";

const encoder = new TextEncoder();

function writeErr(text: string): void {
  Deno.stderr.writeSync(
    encoder.encode(text.endsWith("\n") ? text : text + "\n"),
  );
}

/**
 * Reads only our own variables, so `--allow-env=PLEX_SERVER_URL,…` (as the
 * compiled binary has) is enough; and, where Deno may read them, those that
 * locate the settings file `login` writes.
 */
function readEnv(): Record<string, string | undefined> {
  return {
    ...Object.fromEntries(
      CONFIG_VARIABLES.map((name) => [name, Deno.env.get(name)]),
    ),
    ...readEnvLeniently(COMMAND_VARIABLES),
  };
}

/** I/O seams for {@link runCli} (tests replace them). */
export interface CliIo {
  /** Environment; default: the variables in {@link CONFIG_VARIABLES}. */
  env?: Record<string, string | undefined>;
  /** Writes help/version text (stdout, before any JSON-RPC). */
  print?: (text: string) => void;
}

/**
 * Stops on SIGTERM and SIGINT, or on Windows (which has no SIGTERM for Deno
 * to listen to) on SIGINT and SIGBREAK. Returns what to remove later.
 */
function listenForSignals(
  stop: (why: string) => void,
): [Deno.Signal, () => void][] {
  const names: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT", "SIGBREAK"]
    : ["SIGTERM", "SIGINT"];
  const added: [Deno.Signal, () => void][] = [];
  for (const name of names) {
    const handler = () => stop(name);
    try {
      Deno.addSignalListener(name, handler);
      added.push([name, handler]);
    } catch {
      // A signal this platform cannot deliver: stdin closing still stops us.
    }
  }
  return added;
}

/**
 * Longest shutdown after SIGTERM/SIGINT or the transport closing, in ms:
 * cancelled calls answered, queued answers and log lines written, as far as
 * a client that may not be reading lets them.
 */
const SHUTDOWN_MS = 800;

/** The commands for people, loaded only when named. */
const COMMANDS: Record<
  string,
  () => Promise<
    (
      args: readonly string[],
      io: import("./io.ts").CommandIo,
    ) => Promise<number>
  >
> = {
  login: async () => (await import("./login.ts")).runLogin,
  doctor: async () => (await import("./doctor.ts")).runDoctor,
  tools: async () => (await import("./tools.ts")).runTools,
  call: async () => (await import("./call.ts")).runCall,
  config: async () => (await import("./config.ts")).runConfig,
  serve: async () => (await import("./serve.ts")).runServe,
};

/** Variables the commands read besides the configuration's. */
const COMMAND_VARIABLES = ["HOME", "XDG_CONFIG_HOME", "APPDATA"];

/**
 * Reads what may be read; a variable Deno may not read counts as unset (and
 * is not asked for: no permission prompt).
 */
function readEnvLeniently(
  names: readonly string[],
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of names) {
    try {
      env[name] =
        Deno.permissions.querySync({ name: "env", variable: name }).state ===
            "granted"
          ? Deno.env.get(name)
          : undefined;
    } catch {
      env[name] = undefined;
    }
  }
  return env;
}

async function runCommand(
  name: string,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { terminalIo } = await import("./io.ts");
  const env = io.env ??
    readEnvLeniently([...CONFIG_VARIABLES, ...COMMAND_VARIABLES]);
  const terminal = terminalIo(env);
  try {
    const run = await COMMANDS[name]!();
    return await run(args, terminal.io);
  } finally {
    terminal.dispose();
  }
}

/**
 * Warns when Deno may not reach a configured server, with the exact flag
 * that covers every server.
 */
async function checkNetPermissions(
  hosts: readonly string[],
  logger: Logger,
): Promise<void> {
  const denied: string[] = [];
  for (const host of hosts) {
    try {
      const status = await Deno.permissions.query({ name: "net", host });
      if (status.state !== "granted") denied.push(host);
    } catch {
      // Cannot tell: the first call will say.
    }
  }
  if (denied.length) {
    logger.warn(
      `Deno may not connect to ${denied.join(", ")}: calls to ${
        denied.length > 1 ? "them" : "it"
      } will fail. Start Deno with --allow-net=${hosts.join(",")}`,
    );
  }
}

/**
 * Runs the server until stdin closes or a termination signal arrives.
 * Returns the exit code: 0 on a clean stop, 2 on bad flags or configuration.
 */
export async function runCli(
  args: readonly string[],
  io: CliIo = {},
): Promise<number> {
  const print = io.print ?? ((text: string) => writeErr(text));
  const command = args[0];
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
    return await runCommand(command, args.slice(1), io);
  }
  let flags: {
    demo?: boolean;
    version?: boolean;
    help?: boolean;
    "env-file"?: string;
  };
  try {
    const parsed = parseArgs(args, {
      demo: { type: "boolean" },
      "env-file": { type: "string" },
      version: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    });
    if (parsed.positionals.length) {
      throw new UsageError(
        `Unknown command '${parsed.positionals[0]!.slice(0, 40)}': choose ${
          Object.keys(COMMANDS).join(", ")
        }, or none to serve MCP`,
      );
    }
    flags = parsed.flags as typeof flags;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeErr(
      `${NAME}: ${error.message}\nUsage: ${CLI_NAME} [--demo] | ${CLI_NAME} <${
        Object.keys(COMMANDS).join("|")
      }> [options]; run with --help for more.`,
    );
    return 2;
  }
  if (flags.help) {
    print((await import("./help.ts")).helpText());
    return 0;
  }
  if (flags.version) {
    print(`${NAME} ${VERSION}`);
    return 0;
  }

  let env: Record<string, string | undefined>;
  try {
    env = io.env ?? readEnv();
  } catch (error) {
    if (!(error instanceof Error) || error.name !== "NotCapable") throw error;
    writeErr(
      `${NAME}: cannot read its settings: start Deno with --allow-env (e.g. deno run --allow-env --allow-net=<plex-host:port> jsr:@plexmcp/server)`,
    );
    return 2;
  }
  // The settings file: the one named with --env-file, or login's when
  // the environment names no server (loaded only then: the usual start,
  // with the settings in the environment, imports nothing more).
  let hint: string | undefined;
  if (
    flags["env-file"] !== undefined ||
    !(env.PLEX_SERVER_URL?.trim() || env.PLEX_SERVERS?.trim())
  ) {
    const { lookupSettings, settingsHint, SettingsFileError } = await import(
      "../config/settings_lookup.ts"
    );
    try {
      const lookup = await lookupSettings(env, {
        file: flags["env-file"],
        demo: flags.demo,
      });
      env = lookup.env;
      hint = settingsHint(lookup);
    } catch (error) {
      if (!(error instanceof SettingsFileError)) throw error;
      writeErr(`${NAME}: cannot start: ${error.message}`);
      return 2;
    }
  }
  let config: Config;
  try {
    config = loadConfig(env, { demo: flags.demo });
  } catch (error) {
    if (error instanceof ConfigError) {
      writeErr(
        `${NAME}: cannot start, the configuration is invalid:\n${
          error.problems.map((p) => `  - ${p}`).join("\n")
        }\n${hint ? `${hint}.\n` : ""}See the README section "Configuration".`,
      );
      return 2;
    }
    throw error;
  }

  const servers = await buildServers(config);
  const plex = servers.default.client;
  // Every client's secrets, asked at every record: the tokens, and
  // transient playback tokens learnt later.
  const logger = new Logger({
    level: config.logLevel,
    secrets: () => servers.secrets(),
  });
  // Only https has certificates to check: with http the setting means nothing.
  if (
    !config.verifySsl && config.servers.some((s) => s.url.startsWith("https:"))
  ) {
    logger.warn(
      "PLEX_VERIFY_SSL=false: Deno cannot switch off certificate checks from inside the program. Start Deno with --unsafely-ignore-certificate-errors=<plex-host> to accept this server's certificate.",
    );
  }
  const shutdown = new AbortController();
  const server = createServer(
    { plex, servers, logger, shutdownSignal: shutdown.signal },
    {
      readOnly: config.readOnly,
      toolsets: config.toolsets,
      dynamic: config.dynamicToolsets,
    },
  );

  const stopped = Promise.withResolvers<string>();
  const stop = (why: string) => stopped.resolve(why);
  const signals = listenForSignals(stop);

  const cancelAll = () =>
    shutdown.abort(new DOMException("server shutting down", "AbortError"));
  const transport = new StdioTransport({ logger, onAbandon: cancelAll });
  transport.onclose = () => stop("transport closed");
  await server.connect(transport);
  logger.info(
    config.demo
      ? `${NAME} ${VERSION} serving the built-in demo library over stdio`
      : servers.multiple
      ? `${NAME} ${VERSION} serving ${
        servers.all().map((s) =>
          `${s.name}${
            s === servers.default ? " (default)" : ""
          } at ${s.client.baseUrl}`
        ).join(", ")
      } over stdio`
      : `${NAME} ${VERSION} serving ${plex.baseUrl} over stdio`,
  );
  if (!config.demo) checkNetPermissions(serverHosts(config), logger);

  const why = await stopped.promise;
  // Everything below fits in SHUTDOWN_MS, whatever the client does (one
  // that does not read stdout or stderr included).
  const deadline = performance.now() + SHUTDOWN_MS;
  const left = () => Math.max(0, deadline - performance.now());
  logger.debug(`stopping: ${why}`);
  // In-flight calls are cancelled; their answers (a "cancelled" error each)
  // still go out if they come within half a second. When stdin ended, the
  // transport has already answered what it had read.
  cancelAll();
  await transport.settle(Math.min(500, left()));
  for (const [s, handler] of signals) Deno.removeSignalListener(s, handler);
  await server.close().catch(() => {});
  await logger.flush(left());
  return 0;
}
