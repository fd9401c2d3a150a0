/**
 * The `activity` toolset: what is playing and what was watched. One tool per
 * file; this face lists them in catalogue order for the registry
 * (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { getActiveSessions } from "./get_active_sessions.ts";
import { getWatchHistory } from "./get_watch_history.ts";

export { getActiveSessions, getWatchHistory };

/** The `activity` tools, in catalogue order. */
export const ACTIVITY_TOOLS: readonly ToolDefinition[] = [
  getActiveSessions,
  getWatchHistory,
];
