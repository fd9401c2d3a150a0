import { z } from "../../zod.ts";
import { artworkSchema } from "../../plex/editable.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { fetchEditable } from "./curation_common.ts";
import { shown } from "../shared/ids.ts";
import { ARTWORK_PATHS } from "./list_artwork.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** The selection path of each kind (ppa media.py:1073: the list path minus `s`). */
const SELECT_PATHS = { poster: "poster", background: "art" } as const;

/** `set_artwork`: shows another of an item's posters or backgrounds. */
export const setArtwork = defineTool({
  name: "set_artwork",
  title: "Choose a poster or background",
  description:
    "Shows another of an item's posters (or backgrounds), by its id from list_artwork, and reads the choice back; the one it replaces is returned so it can be put back.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: ratingKeyInput,
    kind: z.enum(["poster", "background"]).default("poster"),
    id: z.string().min(1).max(2000).describe("From list_artwork"),
  },
  output: {
    ratingKey: z.string(),
    kind: z.string(),
    previous: z.string().nullable(),
    selected: z.string().nullable(),
    applied: z.boolean(),
  },
  handler: async (args, { plex, signal }) => {
    const item = await fetchEditable(plex, args.ratingKey, signal);
    const list = () =>
      plex.getJson(
        `/library/metadata/${args.ratingKey}/${ARTWORK_PATHS[args.kind]}`,
        artworkSchema,
        { signal, cache: false },
      );
    const before = await list();
    if (!before.some((a) => a.id === args.id)) {
      throw new ToolInputError(
        `"${item.title}" has no ${args.kind} ${
          shown(args.id)
        }; list_artwork lists its ${args.kind}s`,
      );
    }
    const previous = before.find((a) => a.selected)?.id ?? null;
    // PUT /library/metadata/{rk}/poster?url={entry ratingKey} (API.md §18.3).
    await plex.send(
      `/library/metadata/${args.ratingKey}/${SELECT_PATHS[args.kind]}`,
      { method: "PUT", query: { url: args.id }, signal },
    );
    const selected = (await list()).find((a) => a.selected)?.id ?? null;
    const applied = selected === args.id;
    const structured = {
      ratingKey: args.ratingKey,
      kind: args.kind,
      previous,
      selected,
      applied,
    };
    if (!applied) {
      return notTaken(
        structured,
        `${args.kind} ${shown(args.id)} for "${item.title}"`,
        `it shows ${selected === null ? "none" : shown(selected)}`,
      );
    }
    return {
      structured,
      text: `"${item.title}" now shows ${args.kind} ${args.id}${
        previous && previous !== args.id ? ` (was ${previous})` : ""
      }.`,
    };
  },
});
