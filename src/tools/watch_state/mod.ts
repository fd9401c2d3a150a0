/**
 * The `watch_state` toolset: watched state and ratings. One tool per file;
 * this face lists them in catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { markUnwatched } from "./mark_unwatched.ts";
import { markWatched } from "./mark_watched.ts";
import { rateMedia } from "./rate_media.ts";

export { markUnwatched, markWatched, rateMedia };

/** The `watch_state` tools, in catalogue order. */
export const WATCH_STATE_TOOLS: readonly ToolDefinition[] = [
  markWatched,
  markUnwatched,
  rateMedia,
];
