/**
 * Generates the pre-built tool catalogue from the registry:
 * `src/tools/catalog/tools_index.json` (each tool's name, toolset and whether it
 * only reads: what a server needs at start-up) and `src/tools/catalog/tools_list.json`
 * (each tool's `tools/list` entry, zod schemas converted once, loaded on the
 * first `tools/list`). `tests/docs/generated_docs_test.ts` fails when either drifts.
 *
 * @module
 */
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { wireTool } from "../src/tools/shared/wire.ts";

// Minified: the server reads these at start-up or on its first answers,
// and smaller files parse measurably faster. (deno fmt leaves them alone,
// see deno.json.)

/** The JSON text of `src/tools/catalog/tools_index.json`. */
export function toolsIndexJson(): string {
  return JSON.stringify(
    ALL_TOOLS.map((t) => ({
      name: t.name,
      toolset: t.toolset,
      readOnly: t.annotations.readOnlyHint,
      ...(t.severalServersOnly ? { severalServersOnly: true } : {}),
      ...(t.spansServers ? { spansServers: true } : {}),
    })),
  ) + "\n";
}

/** The JSON text of `src/tools/catalog/tools_list.json`. */
export function toolsListJson(): string {
  return JSON.stringify(ALL_TOOLS.map(wireTool)) + "\n";
}
