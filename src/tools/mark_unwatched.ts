import { defineTool, writes } from "./define_tool.ts";
import { displayName, summarize } from "./items.ts";
import { ratingKeyInput } from "./resolve.ts";
import {
  fetchItem,
  setWatched,
  watchResult,
  watchStateOutput,
} from "./watch_state.ts";

/** `mark_unwatched`: marks an item (or a whole show/season/album) unplayed. */
export const markUnwatched = defineTool({
  name: "mark_unwatched",
  title: "Mark as unwatched",
  description:
    "Marks a movie, episode or track as unwatched (clearing its resume position), or every episode/track of a show, season, artist or album. Reads the item back and reports the change.",
  toolset: "watch_state",
  annotations: writes({ idempotent: true }),
  input: { ratingKey: ratingKeyInput },
  output: watchStateOutput,
  handler: async (args, { plex, signal }) => {
    const before = await fetchItem(plex, args.ratingKey, signal);
    await setWatched(plex, args.ratingKey, false, signal);
    const after = await fetchItem(plex, args.ratingKey, signal);
    const result = watchResult(before, after);
    const name = displayName(summarize(after));
    return {
      structured: result,
      text: !result.changed
        ? `[${args.ratingKey}] ${name} was already unwatched; nothing changed.`
        : `Marked [${args.ratingKey}] ${name} as unwatched.`,
    };
  },
});
