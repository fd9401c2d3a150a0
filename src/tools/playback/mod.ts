/**
 * The `playback` toolset: starting and steering playback on a player. One tool
 * per file; this face lists them in catalogue order for the registry
 * (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { controlPlayback } from "./control_playback.ts";
import { listClients } from "./list_clients.ts";
import { playMedia } from "./play_media.ts";

export { controlPlayback, listClients, playMedia };

/** The `playback` tools, in catalogue order. */
export const PLAYBACK_TOOLS: readonly ToolDefinition[] = [
  listClients,
  playMedia,
  controlPlayback,
];
