/**
 * The tool catalogue at run time, without loading any tool: every tool's
 * `tools/list` entry comes from `tools_list.json` (generated from the
 * registry by `deno task docs`, checked by a test), and the definitions
 * (zod schemas and handlers) are imported on the first call.
 *
 * @module
 */
import entries from "./tools_list.json" with { type: "json" };
import type { ToolDefinition, Toolset } from "./define_tool.ts";
import type { WireTool } from "./wire.ts";

/** One tool of the catalogue: its toolset and its `tools/list` entry. */
export interface CatalogueEntry {
  /** Toolset. */
  toolset: Toolset;
  /** Entry as sent. */
  tool: WireTool;
}

/** Every tool, in catalogue order. */
export const CATALOGUE: readonly CatalogueEntry[] =
  entries as unknown as CatalogueEntry[];

let definitions: Promise<ReadonlyMap<string, ToolDefinition>> | undefined;

/** Loads every tool definition (once). */
export function loadDefinitions(): Promise<
  ReadonlyMap<string, ToolDefinition>
> {
  return definitions ??= import("./mod.ts").then(({ ALL_TOOLS }) =>
    new Map(ALL_TOOLS.map((t) => [t.name, t]))
  );
}
