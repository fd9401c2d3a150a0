/**
 * The watch toolset: what helps while watching (finding a line, a
 * spoiler-safe recap).
 *
 * @module
 */
export { findDialogue } from "./find_dialogue.ts";
export { getStorySoFar } from "./get_story_so_far.ts";
