import { accountOf } from "../../account/mod.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";
import {
  discoverIdInput,
  setOnWatchlist,
  targetOf,
  videoSections,
  watchlistWriteOutput,
  watchTargetInput,
} from "./watchlist_common.ts";
import { ToolInputError } from "../shared/define_tool.ts";

/** `remove_from_watchlist`: takes a title off the plex.tv watchlist. */
export const removeFromWatchlist = defineTool({
  name: "remove_from_watchlist",
  title: "Remove from watchlist",
  description:
    "Takes a film or show off the account's plex.tv watchlist: by id (get_watchlist), a library item, or a title. Not on it: nothing changes.",
  toolset: "insights",
  annotations: writes({ idempotent: true }),
  input: {
    id: discoverIdInput.optional(),
    ...watchTargetInput,
    ...viewerInput,
  },
  output: watchlistWriteOutput,
  handler: forViewer(async (args, { plex, signal }) => {
    const account = await accountOf(plex);
    if (args.id !== undefined && (args.ratingKey ?? args.title) !== undefined) {
      throw new ToolInputError("Give one of id, ratingKey or title");
    }
    if (args.id !== undefined) await videoSections(plex, signal);
    const { entries } = await account.allWatchlist(signal);
    let target;
    if (args.id !== undefined) {
      const e = entries.find((x) => x.id === args.id);
      if (!e) {
        return {
          structured: {
            id: args.id,
            title: "",
            type: "",
            onWatchlist: false,
            changed: false,
          },
          text:
            `Nothing with id ${args.id} is on the watchlist; nothing changed.`,
        };
      }
      target = {
        id: e.id,
        name: `${e.title}${e.year ? ` (${e.year})` : ""}`,
        type: e.type,
      };
    } else {
      target = await targetOf(args, plex, account, signal);
    }
    return await setOnWatchlist(account, target, entries, false, signal);
  }),
});
