import { accountOf } from "../account/mod.ts";
import { z } from "../zod.ts";
import { defineTool, writes } from "./define_tool.ts";
import { ratingKeyInput } from "./resolve.ts";
import { forViewer, viewerInput } from "./viewers.ts";
import {
  setOnWatchlist,
  targetOf,
  watchlistWriteOutput,
  type WatchTarget,
} from "./watchlist_common.ts";

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
    const account = await accountOf(plex);
    const target: WatchTarget = await targetOf(args, plex, account, signal);
    const { entries } = await account.allWatchlist(signal);
    return await setOnWatchlist(account, target, entries, true, signal);
  }),
});
