/**
 * Settings of `plexmcp serve --http`: the listen address (from the command
 * line) and the `PLEX_HTTP_*` variables, validated by hand like the rest of
 * the configuration. Every problem is reported at once, by variable name,
 * with how to fix it; the bearer token is never quoted back.
 *
 * @module
 */
import { ConfigError } from "../config/config.ts";

/** Where the HTTP server listens. */
export interface ListenAddress {
  /** Host name or IP literal as Deno.serve takes it (no brackets). */
  hostname: string;
  /** TCP port (0: any free port, for tests). */
  port: number;
  /** Whether only this machine can connect (127.0.0.0/8, ::1). */
  loopback: boolean;
  /** Whether it is every interface (0.0.0.0 or ::). */
  allInterfaces: boolean;
}

/** The address `serve --http` listens on when none is given. */
export const DEFAULT_LISTEN = "127.0.0.1:8765";

/** The MCP endpoint's path when `PLEX_HTTP_PATH` and `--path` are unset. */
export const DEFAULT_PATH = "/mcp";

/** Seconds a session may sit unused before it is closed, by default. */
export const DEFAULT_SESSION_IDLE_SECONDS = 1800;

/** Most open sessions, by default. */
export const DEFAULT_MAX_SESSIONS = 100;

/** Most SSE streams open at once in one session, by default. */
export const DEFAULT_MAX_STREAMS = 32;

/** Largest request body accepted, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Shortest bearer token accepted. */
export const MIN_TOKEN_CHARS = 16;

/** Validated `PLEX_HTTP_*` settings. */
export interface HttpSettings {
  /** The bearer token every request must carry (`PLEX_HTTP_TOKEN`). */
  token: string | undefined;
  /** Path of the MCP endpoint, no trailing slash (`PLEX_HTTP_PATH`). */
  path: string;
  /** A session unused this long is closed, ms (`PLEX_HTTP_SESSION_IDLE`). */
  sessionIdleMs: number;
  /** Most open sessions (`PLEX_HTTP_MAX_SESSIONS`). */
  maxSessions: number;
  /** Most SSE streams open at once per session (`PLEX_HTTP_MAX_STREAMS`). */
  maxStreams: number;
  /**
   * Host names besides loopback names and IP addresses that the `Host`
   * header may carry (`PLEX_HTTP_ALLOWED_HOSTS`), lower case; an entry
   * with a port matches that port only.
   */
  allowedHosts: string[];
  /** Browser origins allowed besides the server's own (`PLEX_HTTP_ALLOWED_ORIGINS`). */
  allowedOrigins: string[];
}

/** A bad `--http`/`--path` value; the message says how to fix it. */
export class AddressError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "AddressError";
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether `hostname` (no brackets) is an IPv4 or IPv6 literal. */
export function isIpLiteral(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  const v4 = IPV4.exec(h);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255);
  return h.includes(":") && /^[0-9a-f:.]+$/i.test(h);
}

/** Whether `hostname` (brackets allowed) names this machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = IPV4.exec(h);
  return v4 !== null && v4[1] === "127" &&
    v4.slice(1).every((p) => Number(p) <= 255);
}

/**
 * Parses `--http`'s value: `host:port`, `[v6]:port`, or a bare port
 * (meaning 127.0.0.1). Undefined: {@link DEFAULT_LISTEN}. Throws
 * {@link AddressError}.
 */
export function parseListen(text: string | undefined): ListenAddress {
  const raw = (text ?? DEFAULT_LISTEN).trim();
  let host: string;
  let portText: string;
  if (/^\d+$/.test(raw)) {
    host = "127.0.0.1";
    portText = raw;
  } else {
    const m = /^(\[[^\]]+\]|[^:[\]]*):(\d+)$/.exec(raw);
    if (!m) {
      throw new AddressError(
        `--http takes host:port, e.g. 127.0.0.1:8765 (this machine only) or 0.0.0.0:8765 (every interface); got ${
          JSON.stringify(raw.slice(0, 60))
        }`,
      );
    }
    host = m[1]!;
    portText = m[2]!;
  }
  if (host === "") {
    throw new AddressError(
      `--http ${raw}: name the interface too: 127.0.0.1${raw} (this machine only) or 0.0.0.0${raw} (every interface)`,
    );
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port > 65535) {
    throw new AddressError(`--http ${raw}: the port must be 0 to 65535`);
  }
  let hostname = host.replace(/^\[|\]$/g, "");
  if (hostname.toLowerCase() === "localhost") hostname = "127.0.0.1";
  if (!isIpLiteral(hostname) && !/^[A-Za-z0-9.-]+$/.test(hostname)) {
    throw new AddressError(
      `--http ${raw}: ${
        JSON.stringify(hostname.slice(0, 60))
      } is not a host name or IP address`,
    );
  }
  const allInterfaces = hostname === "0.0.0.0" || /^[0:]+$/.test(hostname);
  return {
    hostname,
    port,
    loopback: isLoopbackHost(hostname),
    allInterfaces,
  };
}

/** `host:port` of an address, IPv6 in brackets (for URLs and --allow-net). */
export function hostPort(address: { hostname: string; port: number }): string {
  return `${
    address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname
  }:${address.port}`;
}

/**
 * Checks an endpoint path (`--path`, `PLEX_HTTP_PATH`): starts with `/`,
 * plain URL characters; a trailing slash is dropped. Returns the problem,
 * or the path.
 */
export function checkPath(raw: string): { path: string } | { error: string } {
  const v = raw.trim();
  if (!v.startsWith("/")) {
    return { error: "must start with /, e.g. /mcp or /plex/mcp" };
  }
  if (!/^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)*\/?$/.test(v) || v.includes("//")) {
    return {
      error:
        "must be a plain path such as /mcp or /plex/mcp (letters, digits, - . _ ~; no query, no //)",
    };
  }
  const path = v.length > 1 ? v.replace(/\/+$/, "") : v;
  return { path };
}

/** Options for {@link loadHttpSettings}. */
export interface HttpSettingsOptions {
  /** `--path`, which wins over `PLEX_HTTP_PATH`. */
  path?: string;
}

/**
 * Reads the `PLEX_HTTP_*` variables. Throws {@link ConfigError} listing
 * every problem.
 */
export function loadHttpSettings(
  env: Record<string, string | undefined>,
  options: HttpSettingsOptions = {},
): HttpSettings {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === "" ? undefined : raw.trim();
  };

  let token = value("PLEX_HTTP_TOKEN");
  if (token !== undefined) {
    // Never quoted back: it is a secret.
    if (/[^\x21-\x7e]/.test(token)) {
      problems.push(
        "PLEX_HTTP_TOKEN must be printable ASCII without spaces (it travels in an HTTP header)",
      );
      token = undefined;
    } else if (token.length < MIN_TOKEN_CHARS) {
      problems.push(
        `PLEX_HTTP_TOKEN is too short (${token.length} characters): use at least ${MIN_TOKEN_CHARS} random ones, e.g. the output of \`openssl rand -hex 32\``,
      );
      token = undefined;
    }
  }

  let path = DEFAULT_PATH;
  const rawPath = options.path ?? value("PLEX_HTTP_PATH");
  if (rawPath !== undefined) {
    const checked = checkPath(rawPath);
    if ("error" in checked) {
      problems.push(
        `${
          options.path !== undefined ? "--path" : "PLEX_HTTP_PATH"
        } ${checked.error} (got ${JSON.stringify(rawPath.slice(0, 60))})`,
      );
    } else path = checked.path;
  }

  const number = (
    name: string,
    fallback: number,
    min: number,
    max: number,
    integer: boolean,
    example: string,
  ): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    const ok = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(raw) && n >= min &&
      n <= max;
    if (!ok) {
      problems.push(
        `${name} must be ${
          integer ? "a whole number" : "a number of seconds"
        } from ${min} to ${max}, e.g. ${example} (got ${
          JSON.stringify(raw.slice(0, 60))
        })`,
      );
      return fallback;
    }
    return n;
  };
  const idleSeconds = number(
    "PLEX_HTTP_SESSION_IDLE",
    DEFAULT_SESSION_IDLE_SECONDS,
    1,
    86_400,
    false,
    String(DEFAULT_SESSION_IDLE_SECONDS),
  );
  const maxSessions = number(
    "PLEX_HTTP_MAX_SESSIONS",
    DEFAULT_MAX_SESSIONS,
    1,
    10_000,
    true,
    String(DEFAULT_MAX_SESSIONS),
  );
  const maxStreams = number(
    "PLEX_HTTP_MAX_STREAMS",
    DEFAULT_MAX_STREAMS,
    2,
    1_000,
    true,
    String(DEFAULT_MAX_STREAMS),
  );

  const list = (name: string) =>
    (value(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const allowedHosts: string[] = [];
  for (const entry of list("PLEX_HTTP_ALLOWED_HOSTS")) {
    const m = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(entry);
    if (!m) {
      problems.push(
        `PLEX_HTTP_ALLOWED_HOSTS must be a comma list of host names, each optionally with :port (no scheme, no path), e.g. mcp.example.org,nas.local:8765 (got ${
          JSON.stringify(entry.slice(0, 60))
        })`,
      );
      continue;
    }
    allowedHosts.push(entry.toLowerCase());
  }
  const allowedOrigins: string[] = [];
  for (const entry of list("PLEX_HTTP_ALLOWED_ORIGINS")) {
    let origin: string | undefined;
    try {
      const u = new URL(entry);
      if (
        (u.protocol === "http:" || u.protocol === "https:") &&
        (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash &&
        !u.username && !entry.endsWith("/")
      ) origin = u.origin;
    } catch { /* reported below */ }
    if (!origin) {
      problems.push(
        `PLEX_HTTP_ALLOWED_ORIGINS must be a comma list of origins, scheme://host[:port] with no path, e.g. https://app.example.org,http://localhost:6274 (got ${
          JSON.stringify(entry.slice(0, 60))
        })`,
      );
      continue;
    }
    allowedOrigins.push(origin);
  }

  if (problems.length) throw new ConfigError(problems);
  return {
    token,
    path,
    sessionIdleMs: Math.round(idleSeconds * 1000),
    maxSessions,
    maxStreams,
    allowedHosts,
    allowedOrigins,
  };
}

/**
 * A flag with an optional value (`--http`): alone, `--http host:port` or
 * `--http=host:port`. Rewritten to the `--http=value` form (`--http=`
 * when alone). A following word is the value when `takes` accepts it.
 */
export function normalizeOptionalValue(
  args: readonly string[],
  flag: string,
  takes: (word: string) => boolean = () => true,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === flag) {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("-") && takes(next)) {
        out.push(`${flag}=${next}`);
        i++;
      } else out.push(`${flag}=`);
    } else out.push(arg);
  }
  return out;
}

/** A fresh random bearer token: 32 bytes, hex (64 characters). */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
