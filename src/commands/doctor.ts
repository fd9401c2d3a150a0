/**
 * `plexmcp doctor`: checks a setup step by step and says how to fix what
 * fails: settings, then for each server Deno's permission, DNS, TCP, TLS,
 * the token and the version, then the tool selection and an MCP handshake
 * with the server itself; with `--http`, the setup of `serve --http` too
 * (its settings, the listen address and permission, and whether a server
 * there answers with the token).
 *
 * @module
 */
import { buildServers } from "../config/bootstrap.ts";
import { type Config, ConfigError, loadConfig } from "../config/config.ts";
import { Logger } from "../log.ts";
import { PlexError } from "../transport/errors.ts";
import { classifyFetchError } from "../transport/request.ts";
import { printableLine } from "../printable.ts";
import { redact } from "../redact.ts";
import { createServer } from "../server.ts";
import type { ServerEntry } from "../servers.ts";
import {
  lookupSettings,
  readPermissionFix,
  SettingsFileError,
  type SettingsLookup,
} from "../config/settings_lookup.ts";
import {
  DEFAULT_TOOLSETS,
  type Toolset,
  TOOLSETS,
} from "../tools/shared/define_tool.ts";
import { CLI_NAME as NAME } from "../version.ts";
import {
  AddressError,
  hostPort,
  loadHttpSettings,
  normalizeOptionalValue,
  parseListen,
} from "../http/settings.ts";
import { connectInProcess } from "./inprocess.ts";
import { commandArgs, type CommandIo } from "./io.ts";

/** Help for `plexmcp doctor`. */
export const DOCTOR_HELP =
  `Usage: ${NAME} doctor [--env-file PATH] [--json] [--demo] [--http [host:port]]

Checks the setup and prints one line per check with what to do about a
failure: settings, then for each server the network permission, DNS, TCP,
TLS, the token and the server version, then the tools offered and an MCP
handshake with the server itself.

Options:
  --env-file PATH   Read the settings from this file (needs --allow-read
                    for it) instead of the one login writes; variables set
                    in the environment win over it
  --json            Print the checks as JSON
  --demo            Check the built-in demo library
  --http [host:port]  Check serve --http's setup too: its PLEX_HTTP_* settings,
                    the token, the listen address (default 127.0.0.1:8765)
                    and Deno's permission for it, and, when a server listens
                    there, an MCP initialize with the token
  --help            Print this help

The installed ${NAME} command has the permissions it needs (README "Install
the plexmcp command"). Run with deno run, give it the server's, e.g.
  deno run --allow-net=192.168.1.10:32400 --allow-env --allow-read=$HOME/.config/plexmcp jsr:@plexmcp/server doctor

Exit codes: 0 every check passed, 1 a check failed, 2 bad usage.`;

/** One check's outcome. */
export interface Check {
  /** What was checked (`settings`, `Home: TCP`, …). */
  name: string;
  /** Whether it passed. */
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What to do, when it failed. */
  fix?: string;
}

/** Ends a promise after `ms` with a timeout error. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i;

/** The checks for one server. */
async function checkServer(
  entry: ServerEntry,
  label: string,
  timeoutMs: number,
): Promise<Check[]> {
  const checks: Check[] = [];
  const url = new URL(entry.client.baseUrl);
  const https = url.protocol === "https:";
  const port = Number(url.port || (https ? 443 : 80));
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const host = url.host;

  const permission = await Deno.permissions.query({ name: "net", host });
  if (permission.state !== "granted") {
    checks.push({
      name: `${label}: permission`,
      ok: false,
      detail: `Deno may not connect to ${host}`,
      fix: `add it to the permission flag: --allow-net=${host}`,
    });
    return checks;
  }
  checks.push({
    name: `${label}: permission`,
    ok: true,
    detail: `--allow-net covers ${host}`,
  });

  // DNS and TCP in one step: Deno resolves the name when it connects.
  const resolved: Check = {
    name: `${label}: DNS`,
    ok: true,
    detail: IP_LITERAL.test(url.hostname)
      ? "an IP address, nothing to resolve"
      : `${hostname} resolves`,
  };
  let conn: Deno.Conn | undefined;
  try {
    conn = await within(Deno.connect({ hostname, port }), timeoutMs);
    conn.close();
    checks.push(resolved);
    checks.push({
      name: `${label}: TCP`,
      ok: true,
      detail: `${hostname}:${port} accepts connections`,
    });
  } catch (error) {
    const kind = classifyFetchError(error);
    if (kind === "dns") {
      checks.push({
        name: `${label}: DNS`,
        ok: false,
        detail: `${hostname} does not resolve`,
        fix:
          "check the host name in the settings, or use the server's IP address",
      });
      return checks;
    }
    checks.push(resolved);
    checks.push({
      name: `${label}: TCP`,
      ok: false,
      detail: `${hostname}:${port}: ${(error as Error).message.split("\n")[0]}`,
      fix: kind === "refused"
        ? "is Plex Media Server running, and is the port right (usually 32400)?"
        : kind === "port"
        ? "Deno refuses this port as unsafe: use Plex's port, usually 32400"
        : "check that this machine can reach the server (same network, firewall)",
    });
    return checks;
  }

  if (https) {
    try {
      const tls = await within(Deno.connectTls({ hostname, port }), timeoutMs);
      await within(tls.handshake(), timeoutMs);
      tls.close();
      checks.push({
        name: `${label}: TLS`,
        ok: true,
        detail: "certificate accepted",
      });
    } catch (error) {
      const plexDirect = hostname.endsWith(".plex.direct");
      checks.push({
        name: `${label}: TLS`,
        ok: false,
        detail: `handshake failed: ${(error as Error).message.split("\n")[0]}`,
        fix: plexDirect
          ? "the plex.direct certificate was refused: check the system clock and certificates (SSL_CERT_FILE)"
          : `a plex.direct address (https://${
            hostname.replaceAll(".", "-")
          }.<server-hash>.plex.direct:${port}, which \`${NAME} login\` finds) has a certificate that matches; or use http:// on the LAN`,
      });
      return checks;
    }
  }

  try {
    const info = await entry.client.serverInfo({ cache: false });
    checks.push({
      name: `${label}: token`,
      ok: true,
      detail: `accepted by ${info.name}`,
    });
    checks.push({
      name: `${label}: version`,
      ok: true,
      detail: `Plex Media Server ${info.version} on ${
        info.platform ?? "an unknown platform"
      } (${info.machineIdentifier})`,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    checks.push({
      name: `${label}: token`,
      ok: false,
      detail: message,
      fix: error instanceof PlexError && error.status === 401
        ? `get a new token with \`${NAME} login\``
        : "see the detail",
    });
  }
  return checks;
}

/** The toolsets in effect, in words. */
function toolsetsText(toolsets: readonly Toolset[] | undefined): string {
  const all = Object.keys(TOOLSETS) as Toolset[];
  const on = toolsets ?? all;
  if (all.every((t) => on.includes(t))) return "every toolset";
  const off = all.filter((t) => !on.includes(t));
  const isDefault = on.length === DEFAULT_TOOLSETS.length &&
    DEFAULT_TOOLSETS.every((t) => on.includes(t));
  return `${isDefault ? "the default toolsets" : "toolsets"} ${
    on.join(", ")
  } (off: ${off.join(", ")}; PLEX_TOOLSETS turns them on)`;
}

/** Runs `plexmcp doctor`. */
export async function runDoctor(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const parsed = commandArgs(
    "doctor",
    DOCTOR_HELP,
    normalizeOptionalValue(args, "--http"),
    {
      "env-file": { type: "string" },
      json: { type: "boolean" },
      demo: { type: "boolean" },
      http: { type: "string" },
    },
    io,
  );
  if (typeof parsed === "number") return parsed;
  const flags = parsed.flags;
  const checks: Check[] = [];
  let lookup: SettingsLookup | undefined;
  try {
    lookup = await lookupSettings(io.env, {
      file: flags["env-file"] as string | undefined,
      demo: flags.demo === true,
    });
  } catch (error) {
    if (!(error instanceof SettingsFileError)) throw error;
    checks.push({
      name: "settings",
      ok: false,
      detail: error.detail,
      fix: error.fix,
    });
  }
  const env = lookup?.env ?? io.env;
  let config: Config | undefined;
  if (lookup) {
    try {
      config = loadConfig(env, { demo: flags.demo === true });
      checks.push({
        name: "settings",
        ok: true,
        detail: (config.demo
          ? "demo mode: the built-in library"
          : config.servers.length > 1
          ? `${config.servers.length} servers (${
            config.servers.map((s) => s.name).join(", ")
          }), default ${config.defaultServer}`
          : `one server at ${config.servers[0]!.url}`) +
          (lookup.file ? ` (from ${lookup.file})` : ""),
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      checks.push({
        name: "settings",
        ok: false,
        detail: error.problems.join("; "),
        fix: lookup.denied
          ? readPermissionFix(lookup.denied)
          : lookup.file
          ? `correct ${lookup.file}, or run \`${NAME} login\` again`
          : `run \`${NAME} login\`${
            lookup.absent ? ` (no settings file at ${lookup.absent})` : ""
          }, or set the variables in the README's Configuration table`,
      });
    }
  }
  const secrets: string[] = [];
  if (config) {
    const servers = await buildServers(config, { fetch: io.fetch });
    secrets.push(...servers.secrets());
    if (!config.demo) {
      const results = await Promise.all(
        servers.all().map((entry) =>
          checkServer(
            entry,
            servers.multiple ? entry.name : "server",
            Math.min(config!.timeoutMs, 10_000),
          )
        ),
      );
      for (const r of results) checks.push(...r);
    }
    checks.push({
      name: "tools",
      ok: true,
      detail: `${toolsetsText(config.toolsets)}${
        config.dynamicToolsets ? " (dynamic: more on request)" : ""
      }${config.readOnly ? ", read-only (no tool changes anything)" : ""}`,
    });
    try {
      const server = createServer({
        plex: servers.default.client,
        servers,
        logger: new Logger({ level: "error", write: () => {} }),
      }, {
        readOnly: config.readOnly,
        toolsets: config.toolsets,
        dynamic: config.dynamicToolsets,
      });
      const session = await within(connectInProcess(server), 10_000);
      const listed = await within(session.request("tools/list"), 10_000);
      const n = (listed.result?.tools as unknown[] | undefined)?.length ?? 0;
      await session.close();
      checks.push({
        name: "MCP handshake",
        ok: n > 0,
        detail: `initialize and tools/list answered: ${n} tools offered`,
        fix: n > 0 ? undefined : "check PLEX_TOOLSETS and PLEX_READ_ONLY",
      });
    } catch (error) {
      checks.push({
        name: "MCP handshake",
        ok: false,
        detail: (error as Error).message,
        fix: "run with DEV_DEBUG=true and report the log",
      });
    }
  }
  if (flags.http !== undefined) {
    const http = await checkHttp(String(flags.http), env, io);
    checks.push(...http.checks);
    secrets.push(...http.secrets);
  }
  // Details quote the servers (their names, versions, errors): shown with
  // their control characters visible, never obeyed by the terminal.
  const clean = checks.map((c) => ({
    ...c,
    detail: printableLine(redact(c.detail, secrets)),
    fix: c.fix && printableLine(redact(c.fix, secrets)),
  }));
  if (flags.json) {
    io.out(JSON.stringify(clean, null, 2));
  } else {
    io.out(
      clean.map((c) =>
        `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}${
          c.ok || !c.fix ? "" : `\n    fix: ${c.fix}`
        }`
      ).join("\n"),
    );
  }
  const failed = clean.filter((c) => !c.ok).length;
  io.err(
    failed
      ? `${failed} of ${clean.length} check${
        clean.length === 1 ? "" : "s"
      } failed.\n`
      : `All ${clean.length} checks passed.\n`,
  );
  return failed ? 1 : 0;
}

/** How long the HTTP probe waits for the server there. */
const HTTP_PROBE_MS = 5_000;

/**
 * The checks of `doctor --http`: settings, token, address, permission,
 * then what listens there (nothing: the port is free; a plexmcp: an
 * initialize with the token, its session ended again).
 */
async function checkHttp(
  target: string,
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<{ checks: Check[]; secrets: string[] }> {
  const checks: Check[] = [];
  const secrets: string[] = [];
  let settings;
  try {
    settings = loadHttpSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    checks.push({
      name: "HTTP settings",
      ok: false,
      detail: error.problems.join("; "),
      fix: 'see the README section "HTTP"',
    });
    return { checks, secrets };
  }
  if (settings.token) secrets.push(settings.token);
  checks.push({
    name: "HTTP settings",
    ok: true,
    detail: `endpoint ${settings.path}, sessions end after ${
      Math.round(settings.sessionIdleMs / 1000)
    } s unused, at most ${settings.maxSessions} sessions and ${settings.maxStreams} streams each${
      settings.allowedHosts.length
        ? `; host names allowed: ${settings.allowedHosts.join(", ")}`
        : ""
    }${
      settings.allowedOrigins.length
        ? `; origins allowed: ${settings.allowedOrigins.join(", ")}`
        : ""
    }`,
  });
  let listen;
  try {
    listen = parseListen(target || undefined);
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    checks.push({
      name: "HTTP address",
      ok: false,
      detail: error.message,
      fix: "pass --http host:port, e.g. --http 127.0.0.1:8765",
    });
    return { checks, secrets };
  }
  const where = hostPort(listen);
  if (!settings.token) {
    checks.push(
      listen.loopback
        ? {
          name: "HTTP token",
          ok: true,
          detail:
            "PLEX_HTTP_TOKEN is not set: serve --http makes one up at each start and prints it; set PLEX_HTTP_TOKEN to keep one for client configurations",
        }
        : {
          name: "HTTP token",
          ok: false,
          detail:
            `PLEX_HTTP_TOKEN is not set, and ${where} is reachable from other machines: serve --http refuses to start so`,
          fix:
            "set PLEX_HTTP_TOKEN to a long random string, e.g. the output of `openssl rand -hex 32`",
        },
    );
  } else {
    checks.push({
      name: "HTTP token",
      ok: true,
      detail: `PLEX_HTTP_TOKEN is set (${settings.token.length} characters)`,
    });
  }
  checks.push({
    name: "HTTP address",
    ok: true,
    detail: listen.loopback
      ? `${where}: this machine only`
      : listen.allInterfaces
      ? `${where}: every interface. HTTP is unencrypted: beyond a trusted network, put a TLS reverse proxy in front`
      : `${where}: reachable from other machines. HTTP is unencrypted: beyond a trusted network, put a TLS reverse proxy in front`,
  });
  const permission = await Deno.permissions.query({ name: "net", host: where });
  if (permission.state !== "granted") {
    checks.push({
      name: "HTTP permission",
      ok: false,
      detail: `Deno may not listen on ${where}`,
      fix:
        `add it to the permission flag: --allow-net=${where},<plex-host:port>`,
    });
    return { checks, secrets };
  }
  checks.push({
    name: "HTTP permission",
    ok: true,
    detail: `--allow-net covers ${where}`,
  });

  // What listens there now? 0.0.0.0 and :: are reached on loopback.
  const probe = {
    hostname: listen.allInterfaces
      ? (listen.hostname.includes(":") ? "::1" : "127.0.0.1")
      : listen.hostname,
    port: listen.port,
  };
  let conn: Deno.Conn | undefined;
  try {
    conn = await within(Deno.connect(probe), HTTP_PROBE_MS);
    conn.close();
  } catch {
    checks.push({
      name: "HTTP endpoint",
      ok: true,
      detail: `nothing listens on ${where} yet: serve --http can take it`,
    });
    return { checks, secrets };
  }
  const url = `http://${hostPort(probe)}${settings.path}`;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
  };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  try {
    const fetcher = io.fetch ?? fetch;
    const answer = await within(
      fetcher(url, {
        method: "POST",
        headers,
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: `${NAME}-doctor`, version: "1" },
          },
        }),
      }),
      HTTP_PROBE_MS,
    );
    const session = answer.headers.get("mcp-session-id");
    const text = await within(answer.text(), HTTP_PROBE_MS).catch(() => "");
    if (answer.status === 200 && session && /"serverInfo"/.test(text)) {
      const name = /"name":"([^"]{1,80})"/.exec(text)?.[1] ?? "an MCP server";
      await within(
        fetcher(url, {
          method: "DELETE",
          headers: { ...headers, "Mcp-Session-Id": session },
        }).then((r) => r.body?.cancel()),
        HTTP_PROBE_MS,
      ).catch(() => {});
      checks.push({
        name: "HTTP endpoint",
        ok: true,
        detail: `${name} answers initialize at ${url}${
          settings.token ? " and accepts PLEX_HTTP_TOKEN" : ""
        }`,
      });
    } else if (answer.status === 401) {
      checks.push({
        name: "HTTP endpoint",
        ok: false,
        detail: `the server at ${url} refuses ${
          settings.token ? "PLEX_HTTP_TOKEN" : "a request without a token"
        } (401)`,
        fix: settings.token
          ? "it was started with another token: use the same PLEX_HTTP_TOKEN for serve --http and this check"
          : "set PLEX_HTTP_TOKEN to the token the server printed (or was started with)",
      });
    } else {
      checks.push({
        name: "HTTP endpoint",
        ok: false,
        detail:
          `something listens on ${where} but answered ${answer.status} at ${settings.path}`,
        fix: answer.status === 404
          ? "is the path right? serve --http's endpoint is PLEX_HTTP_PATH (default /mcp)"
          : "another program holds the port: pick another with --http host:port",
      });
    }
  } catch (error) {
    checks.push({
      name: "HTTP endpoint",
      ok: false,
      detail: `something listens on ${where} but did not answer HTTP: ${
        (error as Error).message.split("\n")[0]
      }`,
      fix: "another program holds the port: pick another with --http host:port",
    });
  }
  return { checks, secrets };
}
