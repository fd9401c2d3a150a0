import { z } from "../zod.ts";
import { defineTool, ToolInputError, writes } from "./define_tool.ts";
import { ratingKeyInput } from "./resolve.ts";
import { forViewer, viewerInput } from "./viewers.ts";
import {
  targetOfItem,
  targetOfTitle,
  videoSections,
  type WatchTarget,
} from "./watchlist_common.ts";

/** What the two watchlist writes answer. */
export const watchlistWriteOutput = {
  id: z.string(),
  title: z.string(),
  type: z.string(),
  onWatchlist: z.boolean().describe("As plex.tv lists it afterwards"),
  changed: z.boolean(),
};

/** `add_to_watchlist`: puts a film or show on the plex.tv watchlist. */
export const addToWatchlist = defineTool({
  name: "add_to_watchlist",
  title: "Add to watchlist",
  description:
    "Puts a film or show on the account's plex.tv watchlist: a library item (an episode stands for its show), or a title plex.tv knows (year or type to tell titles apart). Already on it: nothing changes.",
  toolset: "insights",
  annotations: writes({ idempotent: true }),
  input: {
    ratingKey: ratingKeyInput.optional(),
    title: z.string().min(1).max(200).optional(),
    year: z.number().int().min(1870).max(2100).optional(),
    type: z.enum(["movie", "show"]).optional(),
    ...viewerInput,
  },
  output: watchlistWriteOutput,
  handler: forViewer(async (args, { plex, signal }) => {
    const account = await plex.account();
    const target: WatchTarget = await targetOf(args, plex, account, signal);
    const { entries } = await account.allWatchlist(signal);
    if (entries.some((e) => e.id === target.id)) {
      return {
        structured: {
          ...target,
          title: target.name,
          onWatchlist: true,
          changed: false,
        },
        text: `${target.name} is already on the watchlist; nothing changed.`,
      };
    }
    await account.addToWatchlist(target.id, signal);
    const after = await account.allWatchlist(signal);
    const on = after.entries.some((e) => e.id === target.id);
    return {
      structured: {
        ...target,
        title: target.name,
        onWatchlist: on,
        changed: on,
      },
      text: on
        ? `Put ${target.name} on the watchlist (id ${target.id}).`
        : `plex.tv accepted ${target.name} but does not list it on the watchlist afterwards; try get_watchlist in a moment.`,
    };
  }),
});

/** The title a write names: by ratingKey, or by title on plex.tv. */
export async function targetOf(
  args: {
    ratingKey?: string;
    title?: string;
    year?: number;
    type?: "movie" | "show";
  },
  plex: import("../plex/client.ts").PlexClient,
  account: import("../plex/models.ts").PlexTvAccountApi,
  signal: AbortSignal,
): Promise<WatchTarget> {
  if ((args.ratingKey === undefined) === (args.title === undefined)) {
    throw new ToolInputError(
      "Give either ratingKey (a library item) or title (a film or show plex.tv knows)",
    );
  }
  if (args.ratingKey !== undefined) {
    return await targetOfItem(plex, args.ratingKey, signal);
  }
  // The server is asked first, as for a ratingKey: its failures come first.
  await videoSections(plex, signal);
  return await targetOfTitle(account, args.title!, args, signal);
}
