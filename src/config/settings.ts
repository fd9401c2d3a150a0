/**
 * The settings file `plexmcp login` writes: an env file (`KEY=value` lines)
 * that Deno itself loads with `--env-file`, so the server reads its
 * settings the same way whether they came from `login`, a hand-written
 * `.env` file or the client's configuration.
 *
 * @module
 */
import type { ServerConfig } from "./config_servers.ts";

/** The settings file's name inside the config directory. */
export const SETTINGS_FILE = "plexmcp.env";

/**
 * The platform's config directory for plexmcp: `$XDG_CONFIG_HOME/plexmcp`
 * or `~/.config/plexmcp` on Linux and BSDs, `~/Library/Application
 * Support/plexmcp` on macOS, `%APPDATA%\plexmcp` on Windows. Undefined
 * when the variables it needs are not set.
 */
export function configDir(
  env: Record<string, string | undefined>,
  os: string = Deno.build.os,
): string | undefined {
  if (os === "windows") {
    return env.APPDATA ? `${env.APPDATA}\\plexmcp` : undefined;
  }
  if (os === "darwin") {
    return env.HOME
      ? `${env.HOME}/Library/Application Support/plexmcp`
      : undefined;
  }
  if (env.XDG_CONFIG_HOME) return `${env.XDG_CONFIG_HOME}/plexmcp`;
  return env.HOME ? `${env.HOME}/.config/plexmcp` : undefined;
}

/** The default settings file path, if the platform's directory is known. */
export function defaultSettingsPath(
  env: Record<string, string | undefined>,
  os: string = Deno.build.os,
): string | undefined {
  const dir = configDir(env, os);
  if (!dir) return undefined;
  return `${dir}${os === "windows" ? "\\" : "/"}${SETTINGS_FILE}`;
}

/** What a settings file holds. */
export interface Settings {
  /** The chosen servers (one or several). */
  servers: ServerConfig[];
  /** The plex.tv account's name, for the header comment. */
  account?: string;
  /** When written (for the header comment). */
  writtenAt?: Date;
  /** The plex.tv account's own token (`PLEX_ACCOUNT_TOKEN`). */
  accountToken?: string;
  /** The installation's client identifier (`PLEX_CLIENT_ID`). */
  clientId?: string;
}

/** Whether a value can stand in single quotes (literal in an env file). */
function quotable(value: string): boolean {
  // deno-lint-ignore no-control-regex
  return !value.includes("'") && !/[\x00-\x1f\x7f]/.test(value);
}

/** Quotes a value for an env file: single quotes keep it literal. */
function quote(value: string): string {
  if (!quotable(value)) {
    throw new TypeError(
      "settings values may not contain ' or control characters",
    );
  }
  return `'${value}'`;
}

/** Text for a comment line: one line, no control characters. */
function commentText(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f\u2028\u2029]+/g, " ").slice(0, 200);
}

/**
 * The settings as env-file text. One server: `PLEX_SERVER_URL` and
 * `PLEX_TOKEN`; several: `PLEX_SERVERS` as a JSON list with each server's
 * own token. Then the account's token (`PLEX_ACCOUNT_TOKEN`) and the
 * client identifier (`PLEX_CLIENT_ID`) when given.
 */
export function renderSettings(settings: Settings): string {
  const lines = [
    "# plexmcp settings, written by `plexmcp login`" +
    (settings.account ? ` for ${commentText(settings.account)}` : "") +
    (settings.writtenAt
      ? ` on ${settings.writtenAt.toISOString().slice(0, 10)}`
      : ""),
    "# Holds Plex tokens: keep it private (mode 0600). Loaded with deno run --env-file=<this file>.",
  ];
  const [first] = settings.servers;
  if (
    settings.servers.length === 1 && first && quotable(first.url) &&
    quotable(first.token)
  ) {
    lines.push(`# Server: ${commentText(first.name)}`);
    lines.push(`PLEX_SERVER_URL=${quote(first.url)}`);
    lines.push(`PLEX_TOKEN=${quote(first.token)}`);
  } else {
    // JSON escapes every control character; a ' (which would end the
    // single-quoted value) is written as \u0027, which JSON reads back.
    const json = JSON.stringify(settings.servers.map((s) => ({
      name: s.name,
      url: s.url,
      token: s.token,
      ...(s.owned === undefined ? {} : { owned: s.owned }),
      ...(s.machineIdentifier === undefined
        ? {}
        : { machineIdentifier: s.machineIdentifier }),
    }))).replaceAll("'", "\\u0027").replace(
      /[\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16)}`,
    );
    lines.push(`PLEX_SERVERS=${quote(json)}`);
  }
  if (settings.accountToken && quotable(settings.accountToken)) {
    lines.push(
      "# The account's own token, for plex.tv (watchlist, Plex Home, sharing).",
    );
    lines.push(`PLEX_ACCOUNT_TOKEN=${quote(settings.accountToken)}`);
  }
  if (settings.clientId && quotable(settings.clientId)) {
    lines.push(`PLEX_CLIENT_ID=${quote(settings.clientId)}`);
  }
  return lines.join("\n") + "\n";
}

/** The directory part of a path. */
export function dirname(path: string): string {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return at <= 0 ? (at === 0 ? path.slice(0, 1) : ".") : path.slice(0, at);
}

/** Whether a file exists (needs read permission for it). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Writes the settings file with mode 0600, creating its directory (0700)
 * when missing. Without `overwrite`, an existing file is never touched
 * (`Deno.errors.AlreadyExists`).
 */
export async function writeSettingsFile(
  path: string,
  text: string,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  // Only a plain file is ever replaced: never through a symbolic link
  // (the tokens would land wherever it points), never a directory.
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile) {
      throw new Deno.errors.AlreadyExists(
        `${path} is not a plain file (a link or a directory): nothing was written`,
      );
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const data = new TextEncoder().encode(text);
  if (options.overwrite) {
    // Narrow the mode before the new tokens go in.
    try {
      await Deno.chmod(path, 0o600);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        if (Deno.build.os !== "windows") throw error;
      }
    }
    await Deno.writeFile(path, data, { mode: 0o600 });
  } else {
    await Deno.writeFile(path, data, { mode: 0o600, createNew: true });
  }
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
}

/**
 * Reads env-file text as Deno's `--env-file` does for the forms `login`
 * writes and people type: `KEY=value`, `export KEY=value`, single quotes
 * (literal), double quotes, `#` comments.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if (value.startsWith("'")) {
      const end = value.indexOf("'", 1);
      value = end > 0 ? value.slice(1, end) : value.slice(1);
    } else if (value.startsWith('"')) {
      const end = value.lastIndexOf('"');
      value = end > 0 ? value.slice(1, end) : value.slice(1);
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    if (!(m[1]! in out)) out[m[1]!] = value;
  }
  return out;
}
