/**
 * The `watch` toolset (opt-in): markers, subtitles, dialogue search,
 * recaps, where to watch and playback diagnosis. One tool per file; this
 * face lists them in catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { diagnosePlayback } from "./diagnose_playback.ts";
import { findDialogue } from "./find_dialogue.ts";
import { getStorySoFar } from "./get_story_so_far.ts";
import { searchSubtitles } from "./search_subtitles.ts";
import { setSubtitles } from "./set_subtitles.ts";
import { whereToWatch } from "./where_to_watch.ts";

export {
  diagnosePlayback,
  findDialogue,
  getStorySoFar,
  searchSubtitles,
  setSubtitles,
  whereToWatch,
};

/** The `watch` tools, in catalogue order. */
export const WATCH_TOOLS: readonly ToolDefinition[] = [
  searchSubtitles,
  setSubtitles,
  findDialogue,
  getStorySoFar,
  whereToWatch,
  diagnosePlayback,
];
