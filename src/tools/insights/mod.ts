/**
 * The `insights` toolset: insights (opt-in): stats, recommendations,
 * watchlist, home users. One tool per file; this face lists them in catalogue
 * order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { addToWatchlist } from "./add_to_watchlist.ts";
import { getRecommendations } from "./get_recommendations.ts";
import { getWatchStats } from "./get_watch_stats.ts";
import { getWatchlist } from "./get_watchlist.ts";
import { listHomeUsers } from "./list_home_users.ts";
import { removeFromWatchlist } from "./remove_from_watchlist.ts";

export {
  addToWatchlist,
  getRecommendations,
  getWatchlist,
  getWatchStats,
  listHomeUsers,
  removeFromWatchlist,
};

/** The `insights` tools, in catalogue order. */
export const INSIGHTS_TOOLS: readonly ToolDefinition[] = [
  getWatchStats,
  getRecommendations,
  getWatchlist,
  addToWatchlist,
  removeFromWatchlist,
  listHomeUsers,
];
