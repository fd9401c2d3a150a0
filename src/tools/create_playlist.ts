import { z } from "zod";
import { itemsContainerSchema } from "../plex/schemas.ts";
import { plural } from "./format.ts";
import { defineTool, writes } from "./define_tool.ts";
import {
  libraryUri,
  playableKind,
  playlistItemCount,
  ratingKeysInput,
} from "./playlist_common.ts";

/** `create_playlist`: a new regular playlist from items. */
export const createPlaylist = defineTool({
  name: "create_playlist",
  title: "Create a playlist",
  description:
    "Creates a regular playlist from 1-100 items (ratingKeys of movies and episodes, or tracks, or photos: one kind per playlist), then reads it back and reports its ratingKey and item count.",
  toolset: "playlists",
  annotations: writes({ idempotent: false }),
  input: {
    title: z.string().trim().min(1).max(200),
    ratingKeys: ratingKeysInput,
    summary: z.string().max(2000).optional(),
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    type: z.string(),
    items: z.number().int(),
  },
  handler: async (args, { plex, signal }) => {
    const [{ kind }, machine] = await Promise.all([
      playableKind(plex, args.ratingKeys, signal),
      plex.machineIdentifier({ signal }),
    ]);
    const created = await plex.getJson("/playlists", itemsContainerSchema, {
      method: "POST",
      query: {
        type: kind,
        title: args.title,
        smart: 0,
        uri: libraryUri(machine, args.ratingKeys),
        summary: args.summary,
      },
      signal,
    });
    const p = created.Metadata[0];
    if (!p?.ratingKey) {
      throw new Error("Plex accepted the playlist but did not return it");
    }
    // Verify by reading it back.
    const items = await playlistItemCount(plex, p.ratingKey, signal);
    return {
      structured: { ratingKey: p.ratingKey, title: p.title, type: kind, items },
      text: `Created ${kind} playlist [${p.ratingKey}] "${p.title}" with ${
        plural(items, "item")
      }.`,
    };
  },
});
