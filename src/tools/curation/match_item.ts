import { z } from "../../zod.ts";
import { matchesSchema } from "../../plex/editable.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { fetchEditable } from "./curation_common.ts";
import { matchesQuery } from "./match_search.ts";
import {
  REFRESH_WAIT_MS,
  refreshOf,
  sendAndSettle,
} from "../shared/care_common.ts";
import { shown } from "../shared/ids.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `match_item`: matches an item to another agent entry, or unmatches it. */
export const matchItem = defineTool({
  name: "match_item",
  title: "Fix an item's match",
  description:
    "Matches an item to another agent entry (a guid from list_matches, with the same title and year search), replacing its unlocked metadata, or unmatches it (unmatch: true); asks the user first and returns the guid and title before and after.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: ratingKeyInput,
    guid: z.string().min(1).max(500).optional().describe("From list_matches"),
    title: z.string().trim().min(1).max(200).optional().describe(
      "The search list_matches was given",
    ),
    year: z.number().int().min(1800).max(2200).optional(),
    unmatch: z.boolean().optional(),
    confirm: confirmInput,
  },
  output: {
    ratingKey: z.string(),
    before: z.object({ guid: z.string().optional(), title: z.string() }),
    after: z.object({ guid: z.string().optional(), title: z.string() }),
    applied: z.boolean(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    if (!args.guid === !args.unmatch) {
      throw new ToolInputError("Give exactly one of guid or unmatch: true");
    }
    const item = await fetchEditable(plex, args.ratingKey, signal);
    const before = { guid: item.guid, title: item.title };
    let name = "";
    if (args.guid) {
      // Only an entry the agent offers for this item (the same search).
      const offered = await plex.getJson(
        `/library/metadata/${args.ratingKey}/matches`,
        matchesSchema,
        {
          query: await matchesQuery(plex, item, args, signal),
          signal,
          cache: false,
        },
      );
      const pick = offered.find((c) => c.guid === args.guid);
      if (!pick) {
        throw new ToolInputError(
          `${
            shown(args.guid)
          } is not among the matches Plex offers for "${item.title}"${
            args.title ? ` searching ${shown(args.title)}` : ""
          }; call list_matches (with the same title and year)`,
        );
      }
      name = pick.name;
    }
    await requireConfirmation(
      ctx,
      args.unmatch
        ? `Unmatch "${item.title}" from ${item.guid ?? "its agent entry"}`
        : `Match "${item.title}" to "${name}" (${args.guid}), replacing its unlocked metadata`,
      args.confirm,
    );
    // API.md §20.4: PUT …/match?guid=&name= (spec:6858), PUT …/unmatch.
    // Answered at once; the new match lands with the refresh it starts:
    // wait a little for it.
    await sendAndSettle(
      plex,
      () =>
        plex.send(
          `/library/metadata/${args.ratingKey}/${
            args.unmatch ? "unmatch" : "match"
          }`,
          {
            method: "PUT",
            query: args.unmatch ? {} : { guid: args.guid, name },
            signal,
          },
        ),
      signal,
      { waitMs: REFRESH_WAIT_MS, mine: refreshOf(args.ratingKey) },
    );
    const now = await fetchEditable(plex, args.ratingKey, signal);
    const after = { guid: now.guid, title: now.title };
    const applied = args.unmatch
      ? now.guid !== item.guid
      : now.guid === args.guid;
    const structured = { ratingKey: args.ratingKey, before, after, applied };
    if (!applied) {
      return notTaken(
        structured,
        `the ${
          args.unmatch ? "unmatch" : "match"
        } of [${args.ratingKey}] "${item.title}"`,
        `it is still matched to ${now.guid ?? "none"}`,
      );
    }
    return {
      structured,
      text: `[${args.ratingKey}] is now ${
        args.unmatch ? "unmatched" : `matched to ${now.guid}`
      }: "${before.title}" → "${after.title}" (was ${before.guid ?? "none"}).`,
    };
  },
});
