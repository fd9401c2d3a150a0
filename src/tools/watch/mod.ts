/**
 * The `watch` toolset: markers, subtitles, where to watch and playback
 * diagnosis (off by default).
 *
 * @module
 */
export { searchSubtitles } from "./search_subtitles.ts";
export { setSubtitles } from "./set_subtitles.ts";
export { whereToWatch } from "./where_to_watch.ts";
export { diagnosePlayback } from "./diagnose_playback.ts";
