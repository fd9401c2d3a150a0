import { z } from "../../zod.ts";
import { matchesSchema } from "../../plex/editable.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { plural } from "../shared/format.ts";
import { fetchEditable } from "./curation_common.ts";
import { matchesQuery } from "./match_search.ts";
import { ratingKeyInput } from "../shared/resolve.ts";

/** `list_matches`: the agent entries an item could be matched to. */
export const listMatches = defineTool({
  name: "list_matches",
  title: "List match candidates",
  description:
    "Lists what Plex's agent could match an item to (for a wrong poster, title or year), best first, optionally searching another title or year; match_item applies one by its guid.",
  toolset: "curation",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput,
    title: z.string().trim().min(1).max(200).optional().describe(
      "Search this title instead",
    ),
    year: z.number().int().min(1800).max(2200).optional(),
  },
  output: {
    ratingKey: z.string(),
    current: z.string().optional().describe("The guid it is matched to"),
    candidates: z.array(z.object({
      guid: z.string(),
      name: z.string(),
      year: z.number().int().optional(),
      score: z.number().optional(),
    })),
  },
  handler: async (args, { plex, signal }) => {
    const item = await fetchEditable(plex, args.ratingKey, signal);
    // GET …/matches?manual=1, what Plex Web asks first; title and year
    // search elsewhere, with the library's agent (API.md §20.4; ppa
    // mixins.py:189).
    const found = await plex.getJson(
      `/library/metadata/${args.ratingKey}/matches`,
      matchesSchema,
      {
        query: await matchesQuery(plex, item, args, signal),
        signal,
        cache: false,
      },
    );
    const candidates = found.sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
      .slice(0, 20).map((c) => ({
        guid: c.guid,
        name: c.name,
        year: c.year === undefined ? undefined : Math.round(c.year),
        score: c.score,
      }));
    return {
      structured: { ratingKey: args.ratingKey, current: item.guid, candidates },
      text: [
        `[${args.ratingKey}] "${item.title}" is matched to ${
          item.guid ?? "nothing"
        }; ${plural(candidates.length, "candidate")}:`,
        ...candidates.map((c) =>
          `${c.guid} · ${c.name}${c.year ? ` (${c.year})` : ""}${
            c.score !== undefined ? ` · score ${c.score}` : ""
          }${c.guid === item.guid ? " · current" : ""}`
        ),
      ].join("\n"),
    };
  },
});
