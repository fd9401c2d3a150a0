/**
 * The `server` toolset: the server itself. One tool per file; this face lists
 * them in catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { getLibraries } from "./get_libraries.ts";
import { getPlexStatus } from "./get_plex_status.ts";
import { listServers } from "./list_servers.ts";

export { getLibraries, getPlexStatus, listServers };

/** The `server` tools, in catalogue order. */
export const SERVER_TOOLS: readonly ToolDefinition[] = [
  getPlexStatus,
  getLibraries,
  listServers,
];
