/**
 * Which settings a command runs with: the environment, and a settings file,
 * either the one named with `--env-file PATH` or, when the environment
 * names no server (`PLEX_SERVER_URL`, `PLEX_SERVERS`), the one `plexmcp
 * login` writes (see {@link defaultSettingsPath}).
 *
 * A variable set in the environment wins over the same variable in the
 * file, as with Deno's own `--env-file`. Deno is only asked to read a file
 * it may read already: a missing read permission is reported with the
 * exact flag that grants it (and Deno's own `--env-file`, which needs
 * none), never answered with a permission prompt.
 *
 * @module
 */
import { defaultSettingsPath, parseEnvFile } from "./settings.ts";
import { CLI_NAME } from "../version.ts";

/** The settings a command runs with, and where they came from. */
export interface SettingsLookup {
  /** The environment, with the file's variables under it. */
  env: Record<string, string | undefined>;
  /** The settings file that was read, if any. */
  file?: string;
  /** The default settings file, looked for and not there. */
  absent?: string;
  /** The default settings file, which Deno may not read (it may exist). */
  denied?: string;
}

/** A settings file named with `--env-file` that cannot be read. */
export class SettingsFileError extends Error {
  /** The file. */
  readonly path: string;
  /** What went wrong. */
  readonly detail: string;
  /** What to do about it. */
  readonly fix: string;
  /** Creates the error: `detail` says what went wrong, `fix` what to do. */
  constructor(path: string, detail: string, fix: string) {
    super(`${detail}: ${fix}`);
    this.name = "SettingsFileError";
    this.path = path;
    this.detail = detail;
    this.fix = fix;
  }
}

/** `--name=value` as a shell word (quoted when the value needs it). */
export function flagWord(name: string, value: string): string {
  const word = `--${name}=${value}`;
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)
    ? word
    : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** How to let Deno read `path`: our flag, or Deno's own `--env-file`. */
export function readPermissionFix(path: string): string {
  return `start Deno with ${
    flagWord("allow-read", path)
  }, or give the file to Deno itself with ${
    flagWord("env-file", path)
  } (a Deno flag, before the module: Deno reads it before the program starts, so it needs no read permission)`;
}

/** Whether Deno may read `path` now, without a prompt. */
function mayRead(path: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "read", path }).state ===
      "granted";
  } catch {
    return false;
  }
}

/** The environment's variables with the file's underneath. */
function under(
  env: Record<string, string | undefined>,
  file: Record<string, string>,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...file };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) merged[name] = value;
    else if (!(name in merged)) merged[name] = undefined;
  }
  return merged;
}

/** Whether a truthy `DEV_MOCK_MODE` (demo mode) is set. */
function demoMode(env: Record<string, string | undefined>): boolean {
  return /^(true|1|yes|on)$/i.test(env.DEV_MOCK_MODE?.trim() ?? "");
}

/**
 * The settings for a command: `file` (from `--env-file PATH`) when given,
 * else the default settings file when the environment names no server and
 * this is not demo mode. Throws {@link SettingsFileError} when `file`
 * cannot be read, or the default file exists but cannot be read.
 */
export async function lookupSettings(
  env: Record<string, string | undefined>,
  options: { file?: string; demo?: boolean } = {},
): Promise<SettingsLookup> {
  const explicit = options.file;
  if (explicit === undefined) {
    const named = env.PLEX_SERVER_URL?.trim() || env.PLEX_SERVERS?.trim();
    if (named || options.demo || demoMode(env)) return { env };
  }
  const path = explicit ?? defaultSettingsPath(env);
  if (path === undefined) return { env };
  if (!mayRead(path)) {
    if (explicit === undefined) return { env, denied: path };
    throw new SettingsFileError(
      path,
      `Deno may not read ${path}`,
      readPermissionFix(path),
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      if (explicit === undefined) return { env, absent: path };
      throw new SettingsFileError(
        path,
        `${path} does not exist`,
        `check the path, or run \`${CLI_NAME} login --env-file ${path}\` to write it`,
      );
    }
    throw new SettingsFileError(
      path,
      `cannot read ${path} (${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      })`,
      "check that it is a readable file",
    );
  }
  return { env: under(env, parseEnvFile(text)), file: path };
}

/**
 * What to add to a "no server configured" message: why the default
 * settings file gave nothing (not there, or not readable), or nothing.
 */
export function settingsHint(lookup: SettingsLookup): string | undefined {
  if (lookup.denied) {
    return `Deno may not read ${lookup.denied}, where \`${CLI_NAME} login\` writes the settings: ${
      readPermissionFix(lookup.denied)
    }`;
  }
  if (lookup.absent) {
    return `No settings file at ${lookup.absent}: run \`${CLI_NAME} login\` to write one, or set PLEX_SERVER_URL and PLEX_TOKEN`;
  }
  return undefined;
}
