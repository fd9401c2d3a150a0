/**
 * The tool catalogue at run time, without loading any tool: which tools
 * exist comes from `tools_index.json`, what `tools/list` sends from
 * `tools_list.json` (loaded on the first list), and the definitions (zod
 * schemas and handlers) on the first call. Both files are generated from
 * the registry by `deno task docs` and checked by a test.
 *
 * @module
 */
import index from "./catalog/tools_index.json" with { type: "json" };
import type { ToolDefinition, Toolset } from "./shared/define_tool.ts";
import type { WireTool } from "./shared/wire.ts";

/** What a server needs to know of a tool before loading anything. */
export interface IndexEntry {
  /** Tool name. */
  name: string;
  /** Toolset. */
  toolset: Toolset;
  /** Changes nothing (offered in read-only mode). */
  readOnly: boolean;
  /** Offered only when several servers are configured. */
  severalServersOnly?: boolean;
  /** Takes `server: "all"`. */
  spansServers?: boolean;
}

/** Every tool, in catalogue order. */
export const TOOL_INDEX: readonly IndexEntry[] = index as IndexEntry[];

let wire: Promise<ReadonlyMap<string, WireTool>> | undefined;

/** Loads every tool's `tools/list` entry (once). */
export function loadWire(): Promise<ReadonlyMap<string, WireTool>> {
  return wire ??= import("./catalog/tools_list.json", {
    with: { type: "json" },
  })
    .then((m) =>
      new Map((m.default as unknown as WireTool[]).map((t) => [t.name, t]))
    );
}

let definitions: Promise<ReadonlyMap<string, ToolDefinition>> | undefined;

/** Loads every tool definition (once). */
export function loadDefinitions(): Promise<
  ReadonlyMap<string, ToolDefinition>
> {
  return definitions ??= import("./mod.ts").then(({ ALL_TOOLS }) =>
    new Map(ALL_TOOLS.map((t) => [t.name, t]))
  );
}
