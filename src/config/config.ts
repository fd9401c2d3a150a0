/**
 * Configuration from environment variables, validated by hand (no schema
 * library at start-up). Every problem is reported at once, by variable name,
 * with how to fix it; the token never appears in a message.
 *
 * @module
 */
import { CLIENT_ID_PATTERN } from "./client_id.ts";
import { LOG_LEVELS, type LogLevel } from "../log.ts";
import { redact } from "../redact.ts";
import {
  DEFAULT_TOOLSETS,
  type Toolset,
  TOOLSETS,
} from "../tools/shared/define_tool.ts";
import {
  parseServers,
  SERVER_VARIABLES,
  type ServerConfig,
  serverListTokens,
} from "./config_servers.ts";

export type { ServerConfig } from "./config_servers.ts";

/** Validated configuration. */
export interface Config {
  /**
   * The default server's address, no trailing slash (undefined in demo
   * mode); every server is in {@link Config.servers}.
   */
  plexServerUrl: string | undefined;
  /** The default server's token (undefined in demo mode). */
  plexToken: string | undefined;
  /**
   * Time budget of one tool call in milliseconds, shared by all its Plex
   * requests and retries (`PLEX_TIMEOUT` is seconds).
   */
  timeoutMs: number;
  /** Whether TLS certificates are verified (see the README). */
  verifySsl: boolean;
  /** Demo mode: serve the built-in demo library instead of a real server. */
  demo: boolean;
  /** Lowest log level written. */
  logLevel: LogLevel;
  /** Extra diagnostics (implies `debug` level). */
  debug: boolean;
  /** Register no tool that changes anything. */
  readOnly: boolean;
  /**
   * Toolsets to register; undefined means all. In dynamic mode, the ones on
   * at the start besides `server`.
   */
  toolsets: Toolset[] | undefined;
  /** `PLEX_TOOLSETS=dynamic`: start small, turn toolsets on when asked. */
  dynamicToolsets: boolean;
  /** How long identical reads are served from memory, ms (0 = off). */
  cacheTtlMs: number;
  /**
   * Every configured server, the default among them: one named `default`
   * from `PLEX_SERVER_URL`/`PLEX_TOKEN`, or those of `PLEX_SERVERS`. Empty
   * in demo mode.
   */
  servers: ServerConfig[];
  /** Name of the server a call uses when it names none. */
  defaultServer: string;
  /** plex.tv's base URL (`PLEX_TV_URL`). */
  plexTvUrl: string;
  /** The base URL of Plex's Discover service, for the watchlist (`PLEX_DISCOVER_URL`). */
  discoverUrl: string;
  /**
   * The plex.tv account's own token (`PLEX_ACCOUNT_TOKEN`, kept by
   * `login`), for the watchlist, Plex Home and sharing: a shared server's
   * token gets 401 there. Undefined: each server's own token is tried,
   * unless the server is known to be shared.
   */
  plexAccountToken: string | undefined;
  /**
   * The installation's `X-Plex-Client-Identifier` (`PLEX_CLIENT_ID`, kept
   * by `login`); undefined: derived from the default server (see
   * `client_id.ts`).
   */
  clientId: string | undefined;
}

/** Invalid or missing configuration; `problems` has one line per variable. */
export class ConfigError extends Error {
  /** One actionable sentence per bad variable. */
  readonly problems: readonly string[];
  /** Creates the error from its problems. */
  constructor(problems: readonly string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Variables of `plexmcp serve --http` (read by `src/http/settings.ts`, not
 * by {@link loadConfig}): the bearer token, endpoint path, session idle
 * time, caps, the Host and Origin allow-lists, and OAuth mode's
 * (`src/http/oauth/settings.ts`).
 */
export const HTTP_VARIABLES: readonly string[] = [
  "PLEX_HTTP_TOKEN",
  "PLEX_HTTP_PATH",
  "PLEX_HTTP_SESSION_IDLE",
  "PLEX_HTTP_MAX_SESSIONS",
  "PLEX_HTTP_MAX_STREAMS",
  "PLEX_HTTP_ALLOWED_HOSTS",
  "PLEX_HTTP_ALLOWED_ORIGINS",
  "PLEX_HTTP_AUTH",
  "PLEX_HTTP_PUBLIC_URL",
  "PLEX_HTTP_STATE",
  "PLEX_HTTP_OWNERS",
];

/** Environment variables read by {@link loadConfig} and `serve --http`. */
export const CONFIG_VARIABLES: readonly string[] = [
  "PLEX_SERVER_URL",
  "PLEX_TOKEN",
  "PLEX_TIMEOUT",
  "PLEX_VERIFY_SSL",
  "DEV_MOCK_MODE",
  "DEV_LOG_LEVEL",
  "DEV_DEBUG",
  "PLEX_READ_ONLY",
  "PLEX_TOOLSETS",
  "PLEX_CACHE_TTL",
  ...SERVER_VARIABLES,
  "PLEX_TV_URL",
  "PLEX_DISCOVER_URL",
  "PLEX_ACCOUNT_TOKEN",
  "PLEX_CLIENT_ID",
  ...HTTP_VARIABLES,
];

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

/** A parser of one variable: its value, or why it is wrong. */
type Parse<T> = (raw: string) => { value: T } | { error: string };

const boolText: Parse<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (TRUE.includes(v)) return { value: true };
  if (FALSE.includes(v)) return { value: false };
  return { error: "must be true or false" };
};

const urlText: Parse<string> = (raw) => {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    u = new URL("invalid:");
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname) {
    return {
      error:
        "must be an http:// or https:// address such as http://192.168.1.10:32400",
    };
  }
  if (u.search || u.hash || u.username || u.password) {
    return {
      error:
        "must be the bare server address with no query, credentials or fragment (put the token in PLEX_TOKEN)",
    };
  }
  return { value: u.origin + u.pathname.replace(/\/+$/, "") };
};

const tokenText: Parse<string> = (raw) => {
  const v = raw.trim();
  if (!v) return { error: "is empty" };
  if (/\s/.test(v)) return { error: "must not contain spaces" };
  // HTTP header values are ASCII: a token with other characters could never
  // be sent, so say so now rather than at every call.
  if (/[^\x21-\x7e]/.test(v)) {
    return {
      error:
        "contains characters that cannot be sent in an HTTP header (only printable ASCII); copy the token again from Plex",
    };
  }
  return { value: v };
};

const clientIdText: Parse<string> = (raw) => {
  const v = raw.trim();
  return CLIENT_ID_PATTERN.test(v) ? { value: v } : {
    error:
      "must be 1 to 128 printable ASCII characters without spaces (login writes one; delete the line to have one derived)",
  };
};

/**
 * Seconds in `[min, max]` (and also exactly 0 with `zeroOk`) → milliseconds.
 * A lower bound keeps a tiny value from rounding to 0 ms (a timeout that
 * fails every request at once, or a cache that is silently off).
 */
function secondsText(
  min: number,
  max: number,
  zeroOk: boolean,
  message: string,
): Parse<number> {
  return (raw) => {
    const v = raw.trim();
    const n = Number(v);
    const ok = /^\d+(\.\d+)?$/.test(v) &&
      ((zeroOk && n === 0) || (n >= min && n <= max));
    return ok ? { value: Math.round(n * 1000) } : { error: message };
  };
}

/** Shortest accepted `PLEX_TIMEOUT` (and non-zero `PLEX_CACHE_TTL`), seconds. */
export const MIN_SECONDS = 0.1;

const timeoutText = secondsText(
  MIN_SECONDS,
  600,
  false,
  "must be a number of seconds from 0.1 to 600, e.g. 30",
);

const cacheText = secondsText(
  MIN_SECONDS,
  3600,
  true,
  "must be 0 (off) or a number of seconds from 0.1 to 3600, e.g. 5",
);

const levelText: Parse<LogLevel> = (raw) => {
  const v = raw.trim().toLowerCase();
  return (LOG_LEVELS as string[]).includes(v)
    ? { value: v as LogLevel }
    : { error: `must be one of ${LOG_LEVELS.join(", ")}` };
};

const TOOLSET_NAMES = Object.keys(TOOLSETS);

const toolsetsText: Parse<
  { toolsets: Toolset[] | undefined; dynamic: boolean }
> = (raw) => {
  const list = raw.split(",").map((t) => t.trim().toLowerCase()).filter(
    Boolean,
  );
  if (list.length === 0) return { error: "names no toolset" };
  if (
    !list.every((t) =>
      t === "all" || t === "dynamic" || t === "default" ||
      TOOLSET_NAMES.includes(t)
    )
  ) {
    return {
      error: `must be a comma list of: all, dynamic, ${
        TOOLSET_NAMES.join(", ")
      }, default (${DEFAULT_TOOLSETS.join(", ")})`,
    };
  }
  const dynamic = list.includes("dynamic");
  // `default` stands for the toolsets offered when PLEX_TOOLSETS is unset.
  const named = [
    ...new Set(
      list.flatMap((t): string[] =>
        t === "default" ? [...DEFAULT_TOOLSETS] : [t]
      ),
    ),
  ].filter((t) => t !== "dynamic" && t !== "all") as Toolset[];
  if (dynamic) return { value: { toolsets: named, dynamic } };
  return {
    value: { toolsets: list.includes("all") ? undefined : named, dynamic },
  };
};

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** `--demo` was given. */
  demo?: boolean;
}

/**
 * Reads and validates configuration from `env` (pass `Deno.env.toObject()`).
 * Throws {@link ConfigError} listing every problem.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: LoadConfigOptions = {},
): Config {
  const problems: string[] = [];
  // Every token the settings hold, so that no message quotes one back.
  const tokens = [
    ...(env.PLEX_TOKEN ? [env.PLEX_TOKEN] : []),
    ...(env.PLEX_ACCOUNT_TOKEN ? [env.PLEX_ACCOUNT_TOKEN] : []),
    ...serverListTokens(env),
  ];
  function read<T>(
    name: string,
    parse: Parse<T>,
    fallback: T,
    secret = false,
  ): T {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const parsed = parse(raw);
    if ("value" in parsed) return parsed.value;
    const why = parsed.error;
    problems.push(
      secret
        ? `${name} ${why}`
        : `${name} ${why} (got ${JSON.stringify(redact(raw, tokens))})`,
    );
    return fallback;
  }

  const demo = options.demo === true ||
    read("DEV_MOCK_MODE", boolText, false);
  const plexServerUrl = read<string | undefined>(
    "PLEX_SERVER_URL",
    urlText,
    undefined,
  );
  const plexToken = read<string | undefined>(
    "PLEX_TOKEN",
    tokenText,
    undefined,
    true,
  );
  const timeoutMs = read("PLEX_TIMEOUT", timeoutText, 30_000);
  const verifySsl = read("PLEX_VERIFY_SSL", boolText, true);
  const debug = read("DEV_DEBUG", boolText, false);
  const readOnly = read("PLEX_READ_ONLY", boolText, false);
  const cacheTtlMs = read("PLEX_CACHE_TTL", cacheText, 5_000);
  const { toolsets, dynamic: dynamicToolsets } = read(
    "PLEX_TOOLSETS",
    toolsetsText,
    // Unset: the default toolsets; the opt-in ones need naming (or `all`).
    { toolsets: [...DEFAULT_TOOLSETS], dynamic: false },
  );
  const logLevel = read<LogLevel>(
    "DEV_LOG_LEVEL",
    levelText,
    debug ? "debug" : "info",
  );

  const plexTvUrl = read("PLEX_TV_URL", urlText, "https://plex.tv");
  const discoverUrl = read(
    "PLEX_DISCOVER_URL",
    urlText,
    "https://discover.provider.plex.tv",
  );
  const plexAccountToken = read<string | undefined>(
    "PLEX_ACCOUNT_TOKEN",
    tokenText,
    undefined,
    true,
  );
  const clientId = read<string | undefined>(
    "PLEX_CLIENT_ID",
    clientIdText,
    undefined,
  );
  const several = demo ? undefined : parseServers(env, {
    url: urlText,
    token: tokenText,
  }, problems);

  if (!demo && !env.PLEX_SERVERS?.trim()) {
    const missing: string[] = [];
    if (!env.PLEX_SERVER_URL?.trim()) {
      missing.push(
        "PLEX_SERVER_URL is not set: set it to your server's address, e.g. PLEX_SERVER_URL=http://192.168.1.10:32400 (or run with --demo to try the built-in demo library)",
      );
    }
    if (!env.PLEX_TOKEN?.trim()) {
      missing.push(
        "PLEX_TOKEN is not set: set it to your Plex token (see https://support.plex.tv/articles/204059436 for how to find it)",
      );
    }
    problems.unshift(...missing);
  }
  if (problems.length) {
    throw new ConfigError(problems.map((p) => redact(p, tokens)));
  }
  const servers: ServerConfig[] = demo ? [] : several?.servers ??
    [{
      name: "default",
      url: plexServerUrl!,
      token: plexToken!,
      owned: undefined,
    }];
  const first = servers.find((s) => s.name === several?.defaultServer) ??
    servers[0];
  return {
    plexServerUrl: first?.url,
    plexToken: first?.token,
    timeoutMs,
    verifySsl,
    demo,
    logLevel: debug ? "debug" : logLevel,
    debug,
    readOnly,
    toolsets,
    dynamicToolsets,
    cacheTtlMs,
    servers,
    defaultServer: first?.name ?? "default",
    plexTvUrl,
    discoverUrl,
    plexAccountToken,
    clientId,
  };
}
