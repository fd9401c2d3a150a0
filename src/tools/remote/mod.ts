/**
 * The `remote` toolset: remote control (opt-in) of a player. One tool per
 * file; this face lists them in catalogue order for the registry
 * (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { getPlayerTimeline } from "./get_player_timeline.ts";
import { navigatePlayer } from "./navigate_player.ts";
import { setPlayerStreams } from "./set_player_streams.ts";
import { setPlayerVolume } from "./set_player_volume.ts";

export { getPlayerTimeline, navigatePlayer, setPlayerStreams, setPlayerVolume };

/** The `remote` tools, in catalogue order. */
export const REMOTE_TOOLS: readonly ToolDefinition[] = [
  getPlayerTimeline,
  navigatePlayer,
  setPlayerVolume,
  setPlayerStreams,
];
