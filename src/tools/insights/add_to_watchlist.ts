import { accountOf } from "../../account/mod.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";
import {
  setOnWatchlist,
  targetOf,
  watchlistWriteOutput,
  type WatchTarget,
  watchTargetInput,
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
    ...watchTargetInput,
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
