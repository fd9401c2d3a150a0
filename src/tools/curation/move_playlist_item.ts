import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { safeId } from "../shared/ids.ts";
import {
  nameOrIdInput,
  numericIdInput,
  resolveEditablePlaylist,
} from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** The entries of a playlist, in order. */
async function entries(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<{ playlistItemId: string; title: string }[]> {
  const out: { playlistItemId: string; title: string }[] = [];
  for await (
    const item of plex.iterate(`/playlists/${ratingKey}/items`, {
      limit: 100,
      signal,
      cache: false,
    })
  ) {
    out.push({ playlistItemId: item.playlistItemID ?? "", title: item.title });
  }
  return out;
}

/** `move_playlist_item`: moves one entry of a regular playlist. */
export const movePlaylistItem = defineTool({
  name: "move_playlist_item",
  title: "Move a playlist entry",
  description:
    "Moves one entry of a regular playlist (its playlistItemId from get_playlist) to just after another entry, or to the top without after. Reports its new position.",
  toolset: "curation",
  annotations: writes({ idempotent: true }),
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    playlistItemId: numericIdInput("playlistItemId").describe(
      "Entry to move, from get_playlist",
    ),
    after: numericIdInput("playlistItemId").optional().describe(
      "Entry to put it after; omit for the top",
    ),
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    moved: z.string(),
    position: z.number().int().describe("1 = first"),
    items: z.number().int(),
  },
  handler: async (args, { plex, signal }) => {
    const p = await resolveEditablePlaylist(plex, args.playlist, signal);
    if (args.after === args.playlistItemId) {
      throw new ToolInputError("An entry cannot be moved after itself");
    }
    const list = await entries(plex, p.ratingKey, signal);
    const ids = list.map((e) => e.playlistItemId);
    for (const id of [args.playlistItemId, args.after]) {
      if (id !== undefined && !ids.includes(id)) {
        throw new ToolInputError(
          `"${p.title}" has no entry ${id}; get_playlist lists its entries`,
        );
      }
    }
    const entry = list[ids.indexOf(args.playlistItemId)]!;
    // API.md §21: PUT /playlists/{id}/items/{playlistItemID}/move
    // [?after={playlistItemID}] (spec:13034; ppa playlist.py:276).
    await plex.send(
      `/playlists/${p.ratingKey}/items/${
        safeId(args.playlistItemId, "playlist entry")
      }/move`,
      { method: "PUT", query: { after: args.after }, signal },
    );
    const now = await entries(plex, p.ratingKey, signal);
    const position = now.findIndex((e) =>
      e.playlistItemId === args.playlistItemId
    ) + 1;
    const expected = args.after === undefined
      ? 1
      : now.findIndex((e) => e.playlistItemId === args.after) + 2;
    const structured = {
      ratingKey: p.ratingKey,
      title: p.title,
      moved: entry.title,
      position,
      items: now.length,
    };
    if (position !== expected) {
      return notTaken(
        structured,
        `the move of "${entry.title}" (entry ${args.playlistItemId}) to position ${expected} of [${p.ratingKey}] "${p.title}"`,
        position === 0
          ? "the playlist no longer lists that entry"
          : `it is at position ${position} of ${now.length}`,
      );
    }
    return {
      structured,
      text:
        `Moved "${entry.title}" (entry ${args.playlistItemId}) to position ${position} of ${now.length} in [${p.ratingKey}] "${p.title}".`,
    };
  },
});
