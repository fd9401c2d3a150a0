/**
 * Generates `src/tools/tools_list.json`: every tool's `tools/list` entry,
 * converted from the registry's zod schemas once, with its toolset. The
 * server answers `tools/list` from this file without loading any tool, and
 * `tests/docs_test.ts` fails when it drifts from the registry.
 *
 * @module
 */
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { wireTool } from "../src/tools/wire.ts";

/** The JSON text of `src/tools/tools_list.json`. */
export function toolsListJson(): string {
  const entries = ALL_TOOLS.map((t) => ({
    toolset: t.toolset,
    tool: wireTool(t),
  }));
  return JSON.stringify(entries, null, 2) + "\n";
}
