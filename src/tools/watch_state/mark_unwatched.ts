import type { PlexItem } from "../../plex/models.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { duration } from "../shared/format.ts";
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

/** Whether anything of the item was played: a count, a leaf, a resume point. */
function played(item: PlexItem): boolean {
  const s = summarize(item);
  return s.watched || (s.viewedLeafCount ?? 0) > 0 ||
    (item.viewCount ?? 0) > 0 || (s.viewOffsetMs ?? 0) > 0;
}

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
    if (!played(before)) {
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
    if (played(after)) {
      const a = summarize(after);
      return notTaken(
        result,
        `marking [${args.ratingKey}] ${name} unwatched`,
        `it still reads as ${
          a.leafCount !== undefined
            ? `${a.viewedLeafCount ?? 0} of ${a.leafCount} watched`
            : a.watched
            ? "watched"
            : `started (resume at ${duration(a.viewOffsetMs ?? 0)})`
        }`,
      );
    }
    return {
      structured: result,
      text: `Marked [${args.ratingKey}] ${name} as unwatched.`,
    };
  }),
});
