import { z } from "../../zod.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { displayName, summarize } from "../shared/items.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";
import {
  fetchItem,
  setWatched,
  watchResult,
  watchStateOutput,
} from "../shared/watch_state.ts";
import { notTaken } from "../shared/readback.ts";

/** `mark_watched`: marks an item (or a whole show/season/album) played. */
export const markWatched = defineTool({
  name: "mark_watched",
  title: "Mark watched",
  description:
    "Marks an item, or all episodes/tracks below it, watched; one already watched keeps its date unless force.",
  toolset: "watch_state",
  annotations: writes({ idempotent: true }),
  input: {
    ratingKey: ratingKeyInput,
    force: z.boolean().default(false).describe(
      "Mark again even if already watched",
    ),
    ...viewerInput,
  },
  output: watchStateOutput,
  handler: forViewer(async (args, { plex, signal }) => {
    const before = await fetchItem(plex, args.ratingKey, signal);
    const name = displayName(summarize(before));
    if (summarize(before).watched && !args.force) {
      return {
        structured: watchResult(before, before),
        text:
          `[${args.ratingKey}] ${name} was already watched; nothing changed.`,
      };
    }
    await setWatched(plex, args.ratingKey, true, signal);
    const after = await fetchItem(plex, args.ratingKey, signal);
    const result = watchResult(before, after);
    if (!result.item.watched) {
      return notTaken(
        result,
        `marking [${args.ratingKey}] ${name} watched`,
        `it still reads as unwatched${
          result.item.leafCount !== undefined
            ? ` (${
              result.item.viewedLeafCount ?? 0
            } of ${result.item.leafCount} watched)`
            : ""
        }`,
      );
    }
    return {
      structured: result,
      text: `Marked [${args.ratingKey}] ${name} as watched.`,
    };
  }),
});
