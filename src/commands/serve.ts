/**
 * `plexmcp serve --http [host:port]`: the same MCP server over Streamable
 * HTTP, for several clients at once and assistants on other machines. One
 * MCP server per session, all sharing the Plex clients. Loaded only for
 * this command: the stdio start path imports none of it.
 *
 * @module
 */
import { parseArgs, UsageError } from "./args.ts";
import { buildServers, serverHosts } from "../config/bootstrap.ts";
import { type Config, ConfigError, loadConfig } from "../config/config.ts";
import { McpHttpHandler } from "../http/handler.ts";
import {
  type AuthSettings,
  grantsWrite,
  loadAuthSettings,
  OAuthServer,
  StateFileError,
} from "../http/oauth/mod.ts";
import { listenHttp, type RunningHttp } from "../http/serve.ts";
import {
  AddressError,
  DEFAULT_LISTEN,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_STREAMS,
  DEFAULT_PATH,
  DEFAULT_SESSION_IDLE_SECONDS,
  generateToken,
  hostPort,
  type HttpSettings,
  type ListenAddress,
  loadHttpSettings,
  normalizeOptionalValue,
  parseListen,
} from "../http/settings.ts";
import { Logger } from "../log.ts";
import { PlexTvClient } from "../plextv/client.ts";
import type { PlexServers } from "../servers.ts";
import { createServer } from "../server.ts";
import {
  lookupSettings,
  SettingsFileError,
  settingsHint,
  type SettingsLookup,
} from "../config/settings_lookup.ts";
import { CLI_NAME as NAME, NAME as PACKAGE, VERSION } from "../version.ts";
import type { CommandIo } from "./io.ts";

/** The flag of the loopback-only test mode without a bearer token. */
export const TEST_NO_AUTH_FLAG = "--test-no-auth";

/** Help for `plexmcp serve`. */
export const SERVE_HELP =
  `Usage: ${NAME} serve --http [host:port] [--path PATH] [--demo] [--env-file PATH]

Serves MCP over Streamable HTTP instead of stdio: several clients at once,
and assistants on other machines. Every request needs the header
'Authorization: Bearer <PLEX_HTTP_TOKEN>', or with PLEX_HTTP_AUTH=oauth an
OAuth access token (Claude custom connectors, ChatGPT and other remote
assistants): the client registers itself, and you approve it once by
signing in with the Plex account that owns the server.

Options:
  --http [host:port]  Where to listen (default ${DEFAULT_LISTEN}: this machine
                      only). Every interface only when asked: 0.0.0.0:8765
  --path PATH         The endpoint's path (default ${DEFAULT_PATH}), e.g. the
                      prefix a reverse proxy forwards: /plex/mcp
  --demo              Serve the built-in demo library (no Plex server needed)
  --env-file PATH     Read the settings from this file (needs --allow-read
                      for it) instead of the one login writes; variables set
                      in the environment win over it
  ${TEST_NO_AUTH_FLAG}      Test mode for the conformance suite: no bearer token;
                      only on a loopback address with --demo
  --help              Print this help

Environment (besides the server's, see ${NAME} --help):
  PLEX_HTTP_TOKEN         Bearer token (16+ characters). Unset: refused on a
                          non-loopback address; on loopback one is generated
                          and printed once
  PLEX_HTTP_PATH          Endpoint path (default ${DEFAULT_PATH}; --path wins)
  PLEX_HTTP_SESSION_IDLE  Seconds before an unused session ends (default ${DEFAULT_SESSION_IDLE_SECONDS})
  PLEX_HTTP_MAX_SESSIONS  Most open sessions (default ${DEFAULT_MAX_SESSIONS})
  PLEX_HTTP_MAX_STREAMS   Most SSE streams open at once per session (default ${DEFAULT_MAX_STREAMS})
  PLEX_HTTP_ALLOWED_HOSTS    Host names clients use besides IPs and localhost
                             (a reverse proxy's name), comma-separated
  PLEX_HTTP_ALLOWED_ORIGINS  Web origins allowed to connect, comma-separated
  PLEX_HTTP_AUTH          bearer (default: PLEX_HTTP_TOKEN) or oauth (OAuth 2.1;
                          PLEX_HTTP_TOKEN, if set, then only approves clients
                          on the consent page when plex.tv cannot be reached)
  PLEX_HTTP_PUBLIC_URL    OAuth: the https origin clients use, e.g.
                          https://plex-mcp.example.org (needed unless only
                          loopback addresses are used)
  PLEX_HTTP_STATE         OAuth: file keeping clients and grants (hashes
                          only, mode 0600) across restarts; unset: memory
  PLEX_HTTP_OWNERS        OAuth: plex.tv user names or account ids that may
                          approve besides the owner of the server(s)

Permissions: --allow-net must list the listen address and every Plex
server, e.g. --allow-net=127.0.0.1:8765,192.168.1.10:32400; and --allow-env.
With PLEX_ACCOUNT_TOKEN set it pings plex.tv at start and once a day to keep
that token alive (add plex.tv:443 to --allow-net; a refused token is logged).
OAuth also needs plex.tv in --allow-net, and --allow-read/--allow-write for
PLEX_HTTP_STATE.
HTTP is unencrypted: for other machines, put a TLS reverse proxy in front.
Exit codes: 0 stopped cleanly, 1 could not listen, 2 bad usage or settings.`;

/** Waits for SIGTERM (SIGBREAK on Windows) or `interrupt`. */
function stopSignal(interrupt: AbortSignal): {
  stopped: Promise<string>;
  dispose(): void;
} {
  const { promise, resolve } = Promise.withResolvers<string>();
  const added: [Deno.Signal, () => void][] = [];
  for (
    const name
      of (Deno.build.os === "windows"
        ? ["SIGBREAK"]
        : ["SIGTERM"]) as Deno.Signal[]
  ) {
    const handler = () => resolve(name);
    try {
      Deno.addSignalListener(name, handler);
      added.push([name, handler]);
    } catch { /* not deliverable here */ }
  }
  if (interrupt.aborted) resolve("SIGINT");
  interrupt.addEventListener("abort", () => resolve("SIGINT"), { once: true });
  return {
    stopped: promise,
    dispose: () => {
      for (const [s, h] of added) Deno.removeSignalListener(s, h);
    },
  };
}

/** Whether Deno may use `host` for the network (undefined: cannot tell). */
async function netGranted(host: string): Promise<boolean | undefined> {
  try {
    return (await Deno.permissions.query({ name: "net", host })).state ===
      "granted";
  } catch {
    return undefined;
  }
}

/** Pings plex.tv with the account token now and once a day, until `signal`. */
async function startKeepAlive(
  config: Config,
  token: string,
  servers: PlexServers,
  logger: Logger,
  io: CommandIo,
  signal: AbortSignal,
): Promise<void> {
  const { keepTokenAlive } = await import("../plextv/keepalive.ts");
  const tv = new PlexTvClient({
    baseUrl: config.plexTvUrl,
    // The installation's one identifier: plex.tv ties the token to it.
    clientIdentifier: await servers.default.client.clientIdentifier(),
    product: NAME,
    version: VERSION,
    fetch: io.fetch,
    signal,
  });
  await keepTokenAlive({
    ping: () => tv.ping(token),
    source: "PLEX_ACCOUNT_TOKEN",
    log: logger,
    signal,
  });
}

/** Runs `plexmcp serve`. */
export async function runServe(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const usage = (message: string) => {
    io.err(`${NAME} serve: ${message}\n${SERVE_HELP.split("\n")[0]}\n`);
    return 2;
  };
  let flags: Record<string, string | boolean | undefined>;
  let listen: ListenAddress;
  try {
    const parsed = parseArgs(normalizeOptionalValue(args, "--http"), {
      http: { type: "string" },
      path: { type: "string" },
      demo: { type: "boolean" },
      "env-file": { type: "string" },
      [TEST_NO_AUTH_FLAG.slice(2)]: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    flags = parsed.flags;
    if (flags.help) {
      io.out(SERVE_HELP);
      return 0;
    }
    if (parsed.positionals.length) {
      throw new UsageError(
        `Unexpected argument '${parsed.positionals[0]!.slice(0, 40)}'`,
      );
    }
    if (flags.http === undefined) {
      throw new UsageError(
        `say how to serve: --http [host:port] (for stdio, run ${NAME} with no command)`,
      );
    }
    listen = parseListen((flags.http as string) || undefined);
  } catch (error) {
    if (error instanceof UsageError || error instanceof AddressError) {
      return usage(error.message);
    }
    throw error;
  }
  const noAuth = flags[TEST_NO_AUTH_FLAG.slice(2)] === true;

  let lookup: SettingsLookup;
  try {
    lookup = await lookupSettings(io.env, {
      file: flags["env-file"] as string | undefined,
      demo: flags.demo === true,
    });
  } catch (error) {
    if (!(error instanceof SettingsFileError)) throw error;
    io.err(`${NAME} serve: cannot start: ${error.message}\n`);
    return 2;
  }
  const env = lookup.env;
  let config: Config;
  let settings: HttpSettings;
  let auth: AuthSettings;
  const problems: string[] = [];
  try {
    config = loadConfig(env, { demo: flags.demo === true });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    config = undefined as unknown as Config;
  }
  try {
    settings = loadHttpSettings(env, {
      path: flags.path as string | undefined,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    settings = undefined as unknown as HttpSettings;
  }
  try {
    auth = loadAuthSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    auth = undefined as unknown as AuthSettings;
  }
  if (problems.length) {
    const hint = settingsHint(lookup);
    io.err(
      `${NAME} serve: cannot start, the configuration is invalid:\n${
        problems.map((p) => `  - ${p}`).join("\n")
      }\n${
        hint ? `${hint}.\n` : ""
      }See the README sections "Configuration" and "HTTP".\n`,
    );
    return 2;
  }

  const where = hostPort(listen);
  if (noAuth) {
    const why = !listen.loopback
      ? `it serves only a loopback address (127.0.0.1, ::1), not ${where}`
      : !config.demo
      ? "it serves only the demo library: add --demo"
      : settings.token
      ? "PLEX_HTTP_TOKEN is set: unset it, or drop the flag and send the token"
      : auth.auth === "oauth"
      ? "PLEX_HTTP_AUTH=oauth is set: unset it, or drop the flag"
      : undefined;
    if (why) {
      io.err(
        `${NAME} serve: ${TEST_NO_AUTH_FLAG} is a test mode without any authentication, so ${why}\n`,
      );
      return 2;
    }
  }
  const oauthMode = auth.auth === "oauth";
  if (oauthMode) {
    const publicUrl = auth.oauth.publicUrl;
    if (!publicUrl && !listen.loopback) {
      io.err(
        `${NAME} serve: PLEX_HTTP_AUTH=oauth on ${where}, reachable from other machines, needs PLEX_HTTP_PUBLIC_URL: the https address clients use (a TLS reverse proxy in front, README "OAuth"). OAuth sends tokens, so plain http is used only on loopback.\n`,
      );
      return 2;
    }
    if (publicUrl) {
      // The public name is the one clients (and the proxy) send.
      const u = new URL(publicUrl);
      settings = {
        ...settings,
        allowedHosts: [...settings.allowedHosts, u.host.toLowerCase()],
        allowedOrigins: [...settings.allowedOrigins, u.origin],
      };
    }
  }
  let generated: string | undefined;
  if (!noAuth && !oauthMode && !settings.token) {
    if (!listen.loopback) {
      io.err(
        `${NAME} serve: PLEX_HTTP_TOKEN is not set, and ${where} can be reached from other machines: anyone there could use your Plex. Set PLEX_HTTP_TOKEN to a long random string (e.g. the output of \`openssl rand -hex 32\`) and give it to your clients.\n`,
      );
      return 2;
    }
    generated = generateToken();
    settings = { ...settings, token: generated };
  }

  if (await netGranted(where) === false) {
    const plex = config.demo ? [] : serverHosts(config);
    io.err(
      `${NAME} serve: Deno may not listen on ${where}: start Deno with --allow-net=${
        [where, ...plex].join(",")
      }\n`,
    );
    return 2;
  }

  const servers = await buildServers(config, { fetch: io.fetch });
  const token = settings.token;
  const secrets = () =>
    token ? [...servers.secrets(), token] : servers.secrets();
  let oauth: OAuthServer | undefined;
  // With OAuth, the plex.tv account tokens seen at sign-in are secrets too.
  const allSecrets = () => [...secrets(), ...(oauth?.secrets() ?? [])];
  const logger = new Logger({ level: config.logLevel, secrets: allSecrets });
  const shutdown = new AbortController();
  const toolOptions = {
    readOnly: config.readOnly,
    toolsets: config.toolsets,
    dynamic: config.dynamicToolsets,
  };
  if (oauthMode) {
    const plexTv = new PlexTvClient({
      baseUrl: config.plexTvUrl,
      // The installation's one identifier, as login and the keep-alive use.
      clientIdentifier: await servers.default.client.clientIdentifier(),
      product: NAME,
      version: VERSION,
      fetch: io.fetch,
    });
    try {
      oauth = await OAuthServer.open({
        settings: auth.oauth,
        path: settings.path,
        readOnly: config.readOnly,
        plexTv,
        serverIds: () =>
          Promise.all(servers.all().map((s) => s.client.machineIdentifier())),
        serverSecret: settings.token,
        logger,
      });
    } catch (error) {
      if (!(error instanceof StateFileError)) throw error;
      io.err(`${NAME} serve: cannot start: ${error.message}\n`);
      return 2;
    }
    if (await netGranted(plexTv.host) === false) {
      logger.warn(
        `Deno may not connect to ${plexTv.host}: owners cannot approve clients by signing in with Plex${
          settings.token ? " (only with PLEX_HTTP_TOKEN)" : ""
        }. Add it to --allow-net`,
      );
    }
  }
  const handler = new McpHttpHandler({
    settings,
    noAuth,
    oauth,
    secrets: () => servers.secrets(),
    logger,
    createServer: (ended, grant) =>
      createServer({
        plex: servers.default.client,
        servers,
        // Each session logs to stderr and to its own client only: one
        // client's calls never show in another's log notifications.
        logger: new Logger({ level: config.logLevel, secrets: allSecrets }),
        shutdownSignal: AbortSignal.any([shutdown.signal, ended]),
      }, {
        ...toolOptions,
        // A grant without plex:write sees no tool that changes anything.
        readOnly: toolOptions.readOnly ||
          (grant !== undefined && !grantsWrite(grant.scopes)),
      }),
  });

  let running: RunningHttp;
  try {
    running = listenHttp(listen, handler);
  } catch (error) {
    await handler.close();
    oauth?.close();
    const name = (error as Error)?.name;
    io.err(
      `${NAME} serve: cannot listen on ${where}: ${
        name === "AddrInUse"
          ? "the port is in use (another plexmcp serve? pick another with --http host:port)"
          : name === "NotCapable" || name === "PermissionDenied"
          ? `Deno may not listen there: add it to --allow-net`
          : name === "AddrNotAvailable"
          ? "this machine has no such address"
          : ((error as Error)?.message ?? String(error)).split("\n")[0]
      }\n`,
    );
    return 1;
  }

  const bound = hostPort({ hostname: listen.hostname, port: running.port });
  const url = `http://${bound}${settings.path}`;
  if (generated) {
    // Printed here, once, and never logged: the logger redacts it.
    io.err(
      `${NAME} serve: no PLEX_HTTP_TOKEN is set, so this run uses a generated bearer token (shown only now; set PLEX_HTTP_TOKEN to keep one across restarts):\n  Authorization: Bearer ${generated}\n`,
    );
  }
  if (listen.allInterfaces) {
    logger.warn(
      `listening on every interface (${bound}): any device that can reach this machine may try to connect, and HTTP is unencrypted. Put a TLS reverse proxy in front for use beyond a trusted network (README "HTTP")`,
    );
  } else if (!listen.loopback) {
    logger.warn(
      `listening on ${bound}, reachable from other machines over unencrypted HTTP: put a TLS reverse proxy in front for use beyond a trusted network (README "HTTP")`,
    );
  }
  if (noAuth) {
    logger.warn(
      `${TEST_NO_AUTH_FLAG}: serving the demo library on loopback WITHOUT authentication (test mode)`,
    );
  }
  const what = config.demo
    ? "the built-in demo library"
    : servers.multiple
    ? servers.all().map((s) =>
      `${s.name}${
        s === servers.default ? " (default)" : ""
      } at ${s.client.baseUrl}`
    ).join(", ")
    : servers.default.client.baseUrl;
  if (oauth) {
    logger.info(
      `OAuth 2.1: clients authorize at ${
        auth.oauth.publicUrl ?? `http://${bound}`
      }/oauth/authorize (scopes ${oauth.scopes.join(", ")}); ${
        auth.oauth.statePath
          ? `clients and grants are kept in ${auth.oauth.statePath}`
          : "clients and grants are kept in memory only (set PLEX_HTTP_STATE to keep them across restarts)"
      }`,
    );
  }
  logger.info(`${PACKAGE} ${VERSION} serving ${what} over HTTP at ${url}`);
  if (!config.demo) {
    const denied: string[] = [];
    for (const host of serverHosts(config)) {
      if (await netGranted(host) === false) denied.push(host);
    }
    if (denied.length) {
      logger.warn(
        `Deno may not connect to ${
          denied.join(", ")
        }: calls will fail. Start Deno with --allow-net=${
          [where, ...serverHosts(config)].join(",")
        }`,
      );
    }
  }

  // A server that runs for days keeps the account's plex.tv token alive,
  // as Plex's own clients do (src/plextv/keepalive.ts).
  const keepAlive = !config.demo && config.plexAccountToken
    ? startKeepAlive(
      config,
      config.plexAccountToken,
      servers,
      logger,
      io,
      shutdown.signal,
    ).catch((error) =>
      logger.warn(
        `The account token is not kept alive: ${
          error instanceof Error ? error.message : String(error)
        }`,
      )
    )
    : Promise.resolve();

  const stop = stopSignal(io.interrupt);
  const why = await Promise.race([
    stop.stopped,
    running.finished.then(() => "listener stopped"),
  ]);
  logger.debug(`stopping: ${why}`);
  shutdown.abort(new DOMException("server shutting down", "AbortError"));
  await running.shutdown();
  await keepAlive;
  oauth?.close();
  stop.dispose();
  await logger.flush(500);
  return 0;
}
