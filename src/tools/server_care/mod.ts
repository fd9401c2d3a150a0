/**
 * The `server_care` toolset: server care (opt-in): activities, dashboards,
 * housekeeping. One tool per file; this face lists them in catalogue order for
 * the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { cleanBundles } from "./clean_bundles.ts";
import { emptyTrash } from "./empty_trash.ts";
import { getBandwidthStats } from "./get_bandwidth_stats.ts";
import { getResourceStats } from "./get_resource_stats.ts";
import { getServerLogs } from "./get_server_logs.ts";
import { listActivities } from "./list_activities.ts";
import { optimizeDatabase } from "./optimize_database.ts";

export {
  cleanBundles,
  emptyTrash,
  getBandwidthStats,
  getResourceStats,
  getServerLogs,
  listActivities,
  optimizeDatabase,
};

/** The `server_care` tools, in catalogue order. */
export const SERVER_CARE_TOOLS: readonly ToolDefinition[] = [
  listActivities,
  getBandwidthStats,
  getResourceStats,
  emptyTrash,
  cleanBundles,
  optimizeDatabase,
  getServerLogs,
];
