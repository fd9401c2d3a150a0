import { confirmInput, requireConfirmation } from "./confirm.ts";
import { defineTool, writes } from "./define_tool.ts";
import { duration } from "./format.ts";
import { displayName, summarize } from "./items.ts";
import { ratingKeyInput } from "./resolve.ts";
import { forViewer, viewerInput } from "./viewers.ts";
import {
  fetchItem,
  setWatched,
  watchResult,
  watchStateOutput,
} from "./watch_state.ts";

/** `mark_unwatched`: marks an item (or a whole show/season/album) unplayed. */
export const markUnwatched = defineTool({
  name: "mark_unwatched",
  title: "Mark unwatched",
  description:
    "Marks an item, or all episodes/tracks below it, unwatched, erasing play counts and resume points; asks first.",
  toolset: "watch_state",
  annotations: writes({ idempotent: true, destructive: true }),
  input: { ratingKey: ratingKeyInput, confirm: confirmInput, ...viewerInput },
  output: watchStateOutput,
  handler: forViewer(async (args, ctx) => {
    const { plex, signal } = ctx;
    const before = await fetchItem(plex, args.ratingKey, signal);
    const b = summarize(before);
    const played = b.watched || (b.viewedLeafCount ?? 0) > 0 ||
      (before.viewCount ?? 0) > 0 || (b.viewOffsetMs ?? 0) > 0;
    if (!played) {
      return {
        structured: watchResult(before, before),
        text: `[${args.ratingKey}] ${
          displayName(b)
        } was already unwatched; nothing changed.`,
      };
    }
    await requireConfirmation(
      ctx,
      `Mark ${displayName(b)} unwatched, erasing ${
        b.leafCount !== undefined
          ? `the play state of ${
            b.viewedLeafCount ?? 0
          } watched of ${b.leafCount}`
          : `its play count${
            b.viewOffsetMs
              ? ` and resume point at ${duration(b.viewOffsetMs)}`
              : ""
          }`
      }`,
      args.confirm,
    );
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
  }),
});
