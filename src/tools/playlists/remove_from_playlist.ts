import { z } from "../../zod.ts";
import { plural } from "../shared/format.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { safeId } from "../shared/ids.ts";
import { playlistItemCount } from "../shared/playlist_common.ts";
import { notTaken } from "../shared/readback.ts";
import {
  nameOrIdInput,
  numericIdInput,
  resolveEditablePlaylist,
} from "../shared/resolve.ts";

/** `remove_from_playlist`: removes one entry from a playlist. */
export const removeFromPlaylist = defineTool({
  name: "remove_from_playlist",
  title: "Remove from a playlist",
  description:
    "Removes one entry (playlistItemId, or an item's first occurrence by ratingKey) from a regular playlist, asking the user first. Reports the new count.",
  toolset: "playlists",
  annotations: writes({ idempotent: false, destructive: true }),
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    playlistItemId: numericIdInput("playlistItemId").optional().describe(
      "Entry id from get_playlist",
    ),
    ratingKey: numericIdInput("ratingKey").optional().describe(
      "Or: its ratingKey, from get_playlist",
    ),
    confirm: confirmInput,
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    removed: z.object({
      playlistItemId: z.string(),
      ratingKey: z.string(),
      title: z.string(),
    }),
    items: z.number().int(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    if (!args.playlistItemId === !args.ratingKey) {
      throw new ToolInputError(
        "Give exactly one of playlistItemId or ratingKey",
      );
    }
    const p = await resolveEditablePlaylist(plex, args.playlist, signal);
    // Find the entry, page by page.
    let entry:
      | { playlistItemId: string; ratingKey: string; title: string }
      | undefined;
    for await (
      const item of plex.iterate(`/playlists/${p.ratingKey}/items`, {
        limit: 100,
        signal,
      })
    ) {
      if (
        (args.playlistItemId && item.playlistItemID === args.playlistItemId) ||
        (args.ratingKey && item.ratingKey === args.ratingKey)
      ) {
        entry = {
          playlistItemId: item.playlistItemID ?? "",
          ratingKey: item.ratingKey,
          title: item.title,
        };
        break;
      }
    }
    if (!entry?.playlistItemId) {
      throw new ToolInputError(
        `"${p.title}" has no entry ${
          args.playlistItemId
            ? `with playlistItemId ${args.playlistItemId}`
            : `for ratingKey ${args.ratingKey}`
        }; call get_playlist to see its entries`,
      );
    }
    await requireConfirmation(
      ctx,
      `Remove "${entry.title}" from playlist "${p.title}"`,
      args.confirm,
    );
    const entryId = safeId(entry.playlistItemId, "playlist entry");
    const before = await playlistItemCount(plex, p.ratingKey, signal);
    await plex.send(`/playlists/${p.ratingKey}/items/${entryId}`, {
      method: "DELETE",
      signal,
    });
    const items = await playlistItemCount(plex, p.ratingKey, signal);
    if (items >= before) {
      return notTaken(
        { ratingKey: p.ratingKey, title: p.title, removed: entry, items },
        `the removal of "${entry.title}" (entry ${entry.playlistItemId}) from [${p.ratingKey}] "${p.title}"`,
        `it still holds ${plural(items, "item")}, as before`,
      );
    }
    return {
      structured: {
        ratingKey: p.ratingKey,
        title: p.title,
        removed: entry,
        items,
      },
      text:
        `Removed "${entry.title}" (entry ${entry.playlistItemId}) from [${p.ratingKey}] "${p.title}"; ${
          plural(items, "item")
        } left.`,
    };
  },
});
