/**
 * Configuration from environment variables, validated with zod. Every problem
 * is reported at once, by variable name, with how to fix it; the token never
 * appears in a message.
 *
 * @module
 */
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "./log.ts";
import { redact } from "./redact.ts";
import { type Toolset, TOOLSETS } from "./tools/define_tool.ts";

/** Validated configuration. */
export interface Config {
  /** Plex server origin, no trailing slash (undefined in demo mode). */
  plexServerUrl: string | undefined;
  /** Plex token (undefined in demo mode). */
  plexToken: string | undefined;
  /** Per-request timeout in milliseconds (`PLEX_TIMEOUT` is seconds). */
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

/** Environment variables read by {@link loadConfig}. */
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
];

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

const boolText = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => TRUE.includes(v) || FALSE.includes(v), {
    message: "must be true or false",
  })
  .transform((v) => TRUE.includes(v));

const urlText = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") &&
        u.hostname !== "";
    } catch {
      return false;
    }
  }, {
    message:
      "must be an http:// or https:// address such as http://192.168.1.10:32400",
  })
  .refine((v) => {
    try {
      const u = new URL(v);
      return !u.search && !u.hash && !u.username && !u.password;
    } catch {
      return true;
    }
  }, {
    message:
      "must be the bare server address with no query, credentials or fragment (put the token in PLEX_TOKEN)",
  })
  .transform((v) =>
    new URL(v).origin + new URL(v).pathname.replace(/\/+$/, "")
  );

const tokenText = z
  .string()
  .trim()
  .min(1, "is empty")
  .refine((v) => !/\s/.test(v), { message: "must not contain spaces" });

const timeoutText = z
  .string()
  .trim()
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 && Number(v) <= 600, {
    message: "must be a number of seconds between 0 and 600, e.g. 30",
  })
  .transform((v) => Math.round(Number(v) * 1000));

const cacheText = z
  .string()
  .trim()
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) <= 3600, {
    message: "must be a number of seconds from 0 (off) to 3600, e.g. 5",
  })
  .transform((v) => Math.round(Number(v) * 1000));

const levelText = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v): v is LogLevel => (LOG_LEVELS as string[]).includes(v), {
    message: `must be one of ${LOG_LEVELS.join(", ")}`,
  })
  .transform((v) => v as LogLevel);

const TOOLSET_NAMES = Object.keys(TOOLSETS);

const toolsetsText = z
  .string()
  .transform((v) =>
    v.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean)
  )
  .refine((list) => list.length > 0, { message: "names no toolset" })
  .refine(
    (list) =>
      list.every((t) =>
        t === "all" || t === "dynamic" || TOOLSET_NAMES.includes(t)
      ),
    {
      message: `must be a comma list of: all, dynamic, ${
        TOOLSET_NAMES.join(", ")
      }`,
    },
  )
  .transform((list): { toolsets: Toolset[] | undefined; dynamic: boolean } => {
    const dynamic = list.includes("dynamic");
    const named = list.filter((t) =>
      t !== "dynamic" && t !== "all"
    ) as Toolset[];
    if (dynamic) return { toolsets: named, dynamic };
    return { toolsets: list.includes("all") ? undefined : named, dynamic };
  });

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
  function read<T>(
    name: string,
    schema: z.ZodType<T, string>,
    fallback: T,
    secret = false,
  ): T {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const why = parsed.error.issues[0]?.message ?? "is invalid";
    problems.push(
      secret
        ? `${name} ${why}`
        : `${name} ${why} (got ${
          JSON.stringify(redact(raw, env.PLEX_TOKEN ? [env.PLEX_TOKEN] : []))
        })`,
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
    { toolsets: undefined, dynamic: false },
  );
  const logLevel = read<LogLevel>(
    "DEV_LOG_LEVEL",
    levelText,
    debug ? "debug" : "info",
  );

  if (!demo) {
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
  if (problems.length) throw new ConfigError(problems);
  return {
    plexServerUrl: demo ? undefined : plexServerUrl,
    plexToken: demo ? undefined : plexToken,
    timeoutMs,
    verifySsl,
    demo,
    logLevel: debug ? "debug" : logLevel,
    debug,
    readOnly,
    toolsets,
    dynamicToolsets,
    cacheTtlMs,
  };
}
