import { z } from "../../zod.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { displayName, itemSummary, summarize } from "../shared/items.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";
import { fetchItem, LIBRARY_IDENTIFIER } from "../shared/watch_state.ts";
import { notTaken } from "../shared/readback.ts";

/** `rate_media`: sets or clears the user's rating. */
export const rateMedia = defineTool({
  name: "rate_media",
  title: "Rate media",
  description:
    "Sets your 0-10 rating (10 = five stars), or clears it with -1 after asking; reports the stored rating.",
  toolset: "watch_state",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: ratingKeyInput,
    // A plain number on the wire (clients that convert arguments by the
    // schema's type send 8), and a numeric string ("8", from clients that
    // send what the user typed) is taken too; -1 clears, as in Plex's own
    // API (API.md §10), and null is taken as -1 too.
    rating: z.preprocess(
      (v) =>
        v === null
          ? -1
          : typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)
          ? Number(v)
          : v,
      z.number().min(-1).max(10).refine((v) => v === -1 || v >= 0, {
        message: "must be 0-10, or -1 to clear",
      }),
    ).describe("0-10, or -1 to clear"),
    confirm: confirmInput,
    ...viewerInput,
  },
  output: {
    item: itemSummary,
    rating: z.number().nullable().describe("The rating Plex now has"),
    previous: z.number().nullable(),
  },
  handler: forViewer(async (args, ctx) => {
    const { plex, signal } = ctx;
    const before = await fetchItem(plex, args.ratingKey, signal);
    const clear = args.rating === -1;
    if (clear && before.userRating !== undefined) {
      await requireConfirmation(
        ctx,
        `Clear your ${before.userRating}/10 rating of ${
          displayName(summarize(before))
        }`,
        args.confirm,
      );
    }
    await plex.send("/:/rate", {
      method: "PUT",
      query: {
        key: args.ratingKey,
        identifier: LIBRARY_IDENTIFIER,
        rating: args.rating,
      },
      signal,
    });
    const after = await fetchItem(plex, args.ratingKey, signal);
    const name = displayName(summarize(after));
    const structured = {
      item: summarize(after),
      rating: after.userRating ?? null,
      previous: before.userRating ?? null,
    };
    if ((after.userRating ?? -1) !== args.rating) {
      return notTaken(
        structured,
        `${
          clear ? "clearing your rating of" : `your ${args.rating}/10 for`
        } [${args.ratingKey}] ${name}`,
        after.userRating === undefined
          ? "it has no rating of yours"
          : `your rating of it is ${after.userRating}/10`,
      );
    }
    return {
      structured,
      text: after.userRating === undefined
        ? `Cleared your rating of [${args.ratingKey}] ${name}.`
        : `Rated [${args.ratingKey}] ${name} ${after.userRating}/10${
          before.userRating !== undefined
            ? ` (was ${before.userRating}/10)`
            : ""
        }.`,
    };
  }),
});
