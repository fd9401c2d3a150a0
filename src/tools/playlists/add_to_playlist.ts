import { z } from "../../zod.ts";
import { plural } from "../shared/format.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import {
  libraryUri,
  playableKind,
  playlistItemCount,
  ratingKeysInput,
} from "../shared/playlist_common.ts";
import { nameOrIdInput, resolveEditablePlaylist } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `add_to_playlist`: appends items to a regular playlist. */
export const addToPlaylist = defineTool({
  name: "add_to_playlist",
  title: "Add to a playlist",
  description:
    "Appends 1-100 items to a regular playlist (ratingKey or full title) and reports the new count; items must match its kind.",
  toolset: "playlists",
  annotations: writes({ idempotent: false }),
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    ratingKeys: ratingKeysInput,
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    added: z.number().int(),
    items: z.number().int(),
  },
  handler: async (args, { plex, signal }) => {
    const p = await resolveEditablePlaylist(plex, args.playlist, signal);
    const [{ kind }, machine] = await Promise.all([
      playableKind(plex, args.ratingKeys, signal),
      plex.machineIdentifier({ signal }),
    ]);
    if (p.playlistType && kind !== p.playlistType) {
      throw new ToolInputError(
        `"${p.title}" is a ${p.playlistType} playlist; these items are ${kind}`,
      );
    }
    const before = await playlistItemCount(plex, p.ratingKey, signal);
    await plex.send(`/playlists/${p.ratingKey}/items`, {
      method: "PUT",
      query: { uri: libraryUri(machine, args.ratingKeys) },
      signal,
    });
    const items = await playlistItemCount(plex, p.ratingKey, signal);
    const added = items - before;
    if (added < args.ratingKeys.length) {
      return notTaken(
        {
          ratingKey: p.ratingKey,
          title: p.title,
          added: Math.max(0, added),
          items,
        },
        `${
          plural(args.ratingKeys.length, "item")
        } for [${p.ratingKey}] "${p.title}"`,
        `it holds ${plural(items, "item")}, ${
          added > 0 ? `${added} more than` : "as many as"
        } before`,
      );
    }
    return {
      structured: {
        ratingKey: p.ratingKey,
        title: p.title,
        added: args.ratingKeys.length,
        items,
      },
      text: `Added ${
        plural(args.ratingKeys.length, "item")
      } to [${p.ratingKey}] "${p.title}"; it now has ${plural(items, "item")}.`,
    };
  },
});
