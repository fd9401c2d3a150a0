import { z } from "../../zod.ts";
import { artworkSchema } from "../../plex/editable.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { fetchEditable } from "./curation_common.ts";
import { ratingKeyInput } from "../shared/resolve.ts";

/** The list path of each kind (API.md §18.3). */
export const ARTWORK_PATHS = { poster: "posters", background: "arts" } as const;

/** `list_artwork`: the posters or backgrounds an item can show. */
export const listArtwork = defineTool({
  name: "list_artwork",
  title: "List posters or backgrounds",
  description:
    "Lists the posters (or backgrounds) Plex has for an item, which one is shown, where each comes from, with the id set_artwork takes; at most 50.",
  toolset: "curation",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput,
    kind: z.enum(["poster", "background"]).default("poster"),
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    kind: z.string(),
    total: z.number().int(),
    artwork: z.array(z.object({
      id: z.string().describe("What set_artwork takes"),
      provider: z.string().optional(),
      selected: z.boolean(),
      thumb: z.string().optional().describe("Preview"),
    })),
  },
  handler: async (args, { plex, signal }) => {
    const item = await fetchEditable(plex, args.ratingKey, signal);
    const all = await plex.getJson(
      `/library/metadata/${args.ratingKey}/${ARTWORK_PATHS[args.kind]}`,
      artworkSchema,
      { signal, cache: false },
    );
    // The shown one first, then Plex's order; real items can have dozens.
    const artwork = [
      ...all.filter((a) => a.selected),
      ...all.filter((a) => !a.selected),
    ].slice(0, 50);
    return {
      structured: {
        ratingKey: args.ratingKey,
        title: item.title,
        kind: args.kind,
        total: all.length,
        artwork,
      },
      text: [
        `${all.length} ${args.kind}s for [${args.ratingKey}] "${item.title}"${
          all.length > artwork.length ? ` (first ${artwork.length})` : ""
        }:`,
        ...artwork.map((a) =>
          `${a.selected ? "* " : "  "}${a.id}${
            a.provider ? ` (${a.provider})` : ""
          }${a.selected ? " · shown" : ""}`
        ),
      ].join("\n"),
    };
  },
});
