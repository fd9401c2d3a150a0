/**
 * The tool catalogue at run time, without loading any tool: which tools
 * exist comes from `tools_index.json`, what `tools/list` sends from
 * `tools_list.json` (loaded on the first list), and the definitions (zod
 * schemas and handlers) on the first call of a tool of their toolset, one
 * toolset at a time: a server that is asked for library tools does not
 * hold the subtitle parser, the curation editors and the rest in memory
 * (loading all 61 definitions on the first call held some 3 MB more RSS
 * after one call of each of ten read tools, measured). Both files are
 * generated from the registry by `deno task docs` and checked by a test.
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

/**
 * Each toolset's definitions. The specifiers are literal so that Deno's
 * module graph, `deno compile` and the published package include them.
 */
const TOOLSET_MODULES: ToolsetModules = {
  server: () => import("./server/mod.ts").then((m) => m.SERVER_TOOLS),
  library: () => import("./library/mod.ts").then((m) => m.LIBRARY_TOOLS),
  activity: () => import("./activity/mod.ts").then((m) => m.ACTIVITY_TOOLS),
  playlists: () => import("./playlists/mod.ts").then((m) => m.PLAYLISTS_TOOLS),
  watch_state: () =>
    import("./watch_state/mod.ts").then((m) => m.WATCH_STATE_TOOLS),
  playback: () => import("./playback/mod.ts").then((m) => m.PLAYBACK_TOOLS),
  admin: () => import("./admin/mod.ts").then((m) => m.ADMIN_TOOLS),
  curation: () => import("./curation/mod.ts").then((m) => m.CURATION_TOOLS),
  server_care: () =>
    import("./server_care/mod.ts").then((m) => m.SERVER_CARE_TOOLS),
  remote: () => import("./remote/mod.ts").then((m) => m.REMOTE_TOOLS),
  insights: () => import("./insights/mod.ts").then((m) => m.INSIGHTS_TOOLS),
  watch: () => import("./watch/mod.ts").then((m) => m.WATCH_TOOLS),
};

/** Loads a toolset's definitions. */
export type ToolsetModules = Record<
  Toolset,
  () => Promise<readonly ToolDefinition[]>
>;

/**
 * A loader of tool definitions by name over `modules`: the first call of
 * a tool loads its toolset (once), and nothing else; a name `index` does
 * not hold is undefined.
 */
export function definitionLoader(
  modules: ToolsetModules,
  index: readonly IndexEntry[] = TOOL_INDEX,
): (name: string) => Promise<ToolDefinition | undefined> {
  const toolsetOf = new Map(index.map((e) => [e.name, e.toolset]));
  const loaded = new Map<
    Toolset,
    Promise<ReadonlyMap<string, ToolDefinition>>
  >();
  return async (name) => {
    const toolset = toolsetOf.get(name);
    if (!toolset) return undefined;
    let definitions = loaded.get(toolset);
    if (!definitions) {
      definitions = modules[toolset]().then((tools) =>
        new Map(tools.map((t) => [t.name, t]))
      );
      loaded.set(toolset, definitions);
      // A failed load (it should not) is tried again on the next call.
      definitions.catch(() => loaded.delete(toolset));
    }
    return (await definitions).get(name);
  };
}

/**
 * Loads the definition of the tool `name` with the rest of its toolset
 * (once per toolset); undefined for a name the index does not hold.
 */
export const loadDefinition: (
  name: string,
) => Promise<ToolDefinition | undefined> = definitionLoader(TOOLSET_MODULES);
