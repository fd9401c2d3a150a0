/**
 * `plexmcp tools`: the tool catalogue as a table (toolset, read or write,
 * one line of description), from the pre-built catalogue; no Plex server
 * is needed.
 *
 * @module
 */
import { ConfigError, loadConfig } from "../config/config.ts";
import {
  lookupSettings,
  SettingsFileError,
  settingsHint,
} from "../config/settings_lookup.ts";
import { toolCatalog } from "../tools/catalog_info.ts";
import { TOOL_INDEX } from "../tools/runtime.ts";
import { CLI_NAME as NAME } from "../version.ts";
import { commandArgs, type CommandIo } from "./io.ts";

/** Help for `plexmcp tools`. */
export const TOOLS_HELP =
  `Usage: ${NAME} tools [--all] [--json] [--env-file PATH]

Lists the tools the server offers with the current settings (PLEX_TOOLSETS,
PLEX_READ_ONLY, and list_servers with several servers): toolset, read or
write, and what each does.

Options:
  --all             List every tool, whatever the settings
  --json            Print JSON (name, title, toolset, readOnly, destructive,
                    description)
  --env-file PATH   Read the settings from this file (needs --allow-read for
                    it) instead of the one login writes; variables set in
                    the environment win over it
  --help            Print this help

Exit codes: 0, 2 bad usage or settings.`;

/** The first sentence of a description. */
export function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  return (m ? m[1]! : text).trim();
}

/** Runs `plexmcp tools`. */
export async function runTools(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const parsed = commandArgs("tools", TOOLS_HELP, args, {
    all: { type: "boolean" },
    json: { type: "boolean" },
    "env-file": { type: "string" },
  }, io);
  if (typeof parsed === "number") return parsed;
  const flags = parsed.flags;
  let selection = {};
  let several = true;
  if (!flags.all) {
    let env = io.env;
    try {
      const lookup = await lookupSettings(io.env, {
        file: flags["env-file"] as string | undefined,
      });
      env = lookup.env;
      if (lookup.denied) {
        // The list needs no server: say what was left out, and go on.
        io.err(
          `${NAME} tools: ${
            settingsHint(lookup)
          }. Listing for the environment's settings.\n`,
        );
      }
    } catch (error) {
      if (!(error instanceof SettingsFileError)) throw error;
      io.err(`${NAME} tools: ${error.message}\n`);
      return 2;
    }
    try {
      // Only the tool selection matters here: no server address needed.
      const config = loadConfig(env, { demo: true });
      selection = { toolsets: config.toolsets, readOnly: config.readOnly };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`${NAME} tools: ${error.problems.join("; ")}\n`);
      return 2;
    }
    try {
      several = loadConfig(env).servers.length > 1;
    } catch {
      several = false;
    }
  }
  const onlySeveral = new Set(
    TOOL_INDEX.filter((e) => e.severalServersOnly).map((e) => e.name),
  );
  const tools = (await toolCatalog(selection)).filter((t) =>
    several || !onlySeveral.has(t.name)
  );
  if (flags.json) {
    io.out(JSON.stringify(
      tools.map((t) => ({
        name: t.name,
        title: t.title,
        toolset: t.toolset,
        readOnly: t.annotations.readOnlyHint,
        destructive: t.annotations.destructiveHint,
        description: t.description,
      })),
      null,
      2,
    ));
    return 0;
  }
  const rows = tools.map((t) => [
    t.toolset,
    t.annotations.readOnlyHint
      ? "read"
      : t.annotations.destructiveHint
      ? "write!"
      : "write",
    t.name,
    firstSentence(t.description),
  ]);
  const header = ["TOOLSET", "ACCESS", "TOOL", "DESCRIPTION"];
  const widths = [0, 1, 2].map((i) =>
    Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length))
  );
  const line = (r: string[]) =>
    r.map((c, i) => i < 3 ? c.padEnd(widths[i]!) : c).join("  ");
  io.out([line(header), ...rows.map(line)].join("\n"));
  io.err(
    `${tools.length} tools; write! = destructive (asks for confirmation).\n`,
  );
  return 0;
}
