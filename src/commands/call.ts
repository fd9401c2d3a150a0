/**
 * `plexmcp call <tool> [json-args]`: runs one tool through the real MCP
 * server, in process, with the current settings, and prints its text (or
 * its structured output with `--json`).
 *
 * @module
 */
import { parseArgs, UsageError } from "./args.ts";
import { buildServers } from "../config/bootstrap.ts";
import { type Config, ConfigError, loadConfig } from "../config/config.ts";
import { Logger } from "../log.ts";
import { printable, printableJson } from "../printable.ts";
import { createServer } from "../server.ts";
import {
  lookupSettings,
  SettingsFileError,
  settingsHint,
  type SettingsLookup,
} from "../config/settings_lookup.ts";
import { CLI_NAME as NAME } from "../version.ts";
import { connectInProcess } from "./inprocess.ts";
import type { CommandIo } from "./io.ts";

/** Help for `plexmcp call`. */
export const CALL_HELP =
  `Usage: ${NAME} call <tool> [json-arguments] [--json] [--demo] [--env-file PATH]

Runs one tool with the current settings and prints what it returns, e.g.
  ${NAME} call search_media '{"query":"alien"}'

Options:
  --json            Print the structured output (JSON) instead of the text
  --demo            Use the built-in demo library
  --env-file PATH   Read the settings from this file (needs --allow-read for
                    it) instead of the one login writes; variables set in
                    the environment win over it
  --help            Print this help

Exit codes: 0 the tool succeeded, 1 it returned an error (on stderr),
2 bad usage, settings or arguments.`;

/** Runs `plexmcp call`. */
export async function runCall(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  let flags;
  let tool: string;
  let toolArgs: Record<string, unknown> = {};
  try {
    const parsed = parseArgs(args, {
      json: { type: "boolean" },
      demo: { type: "boolean" },
      "env-file": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    flags = parsed.flags;
    if (flags.help) {
      io.out(CALL_HELP);
      return 0;
    }
    const [name, json, extra] = parsed.positionals;
    if (!name) throw new UsageError("Name the tool to call");
    if (extra !== undefined) {
      throw new UsageError(
        `Unexpected argument '${
          extra.slice(0, 40)
        }': pass the tool's arguments as one JSON object`,
      );
    }
    tool = name;
    if (json !== undefined) {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new UsageError(
          `The arguments are not valid JSON (${
            (error as Error).message.slice(0, 80)
          }): pass one object such as '{"query":"alien"}'`,
        );
      }
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        throw new UsageError("The arguments must be one JSON object");
      }
      toolArgs = value as Record<string, unknown>;
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${NAME} call: ${error.message}\n${CALL_HELP.split("\n")[0]}\n`);
    return 2;
  }
  let lookup: SettingsLookup;
  try {
    lookup = await lookupSettings(io.env, {
      file: flags["env-file"] as string | undefined,
      demo: flags.demo === true,
    });
  } catch (error) {
    if (!(error instanceof SettingsFileError)) throw error;
    io.err(`${NAME} call: ${error.message}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(lookup.env, { demo: flags.demo === true });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const hint = settingsHint(lookup);
    io.err(
      `${NAME} call: the configuration is invalid:\n${
        error.problems.map((p) => `  - ${p}`).join("\n")
      }\n${hint ? `${hint}.\n` : ""}`,
    );
    return 2;
  }
  const servers = await buildServers(config, { fetch: io.fetch });
  const logger = new Logger({
    level: config.debug ? "debug" : "error",
    secrets: () => servers.secrets(),
    write: (line) => io.err(printable(line)),
  });
  const server = createServer(
    { plex: servers.default.client, servers, logger },
    {
      readOnly: config.readOnly,
      toolsets: config.toolsets,
      dynamic: config.dynamicToolsets,
    },
  );
  const session = await connectInProcess(server);
  try {
    const listed = await session.request("tools/list");
    const names = ((listed.result?.tools ?? []) as { name: string }[]).map((
      t,
    ) => t.name);
    if (!names.includes(tool)) {
      io.err(
        `${NAME} call: no tool ${
          JSON.stringify(tool.slice(0, 60))
        } with these settings; \`${NAME} tools\` lists them\n`,
      );
      return 2;
    }
    const answer = await session.request("tools/call", {
      name: tool,
      arguments: toolArgs,
    });
    // What the tool returns comes from Plex (names, log lines, zip entry
    // names): its control characters are shown, not sent to the terminal.
    if (answer.error) {
      io.err(`${NAME} call: ${printable(answer.error.message)}\n`);
      return 2;
    }
    const result = answer.result as {
      content?: { type: string; text?: string }[];
      structuredContent?: unknown;
      isError?: boolean;
    };
    const text = (result.content ?? []).filter((c) => c.type === "text").map((
      c,
    ) => c.text ?? "").join("\n");
    if (result.isError) {
      io.err(printable(text) + "\n");
      return text.includes("Input validation error") ? 2 : 1;
    }
    io.out(
      flags.json
        ? printableJson(result.structuredContent ?? {}, 2)
        : printable(text),
    );
    return 0;
  } finally {
    await session.close();
    await logger.flush?.(500);
  }
}
