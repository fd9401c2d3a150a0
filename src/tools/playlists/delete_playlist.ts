import { z } from "../../zod.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { plural } from "../shared/format.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { nameOrIdInput, resolvePlaylist } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `delete_playlist`: deletes a playlist (not its media). */
export const deletePlaylist = defineTool({
  name: "delete_playlist",
  title: "Delete a playlist",
  description:
    "Deletes a playlist (ratingKey or full title), not its media, asking the user first; checks it is gone.",
  toolset: "playlists",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    confirm: confirmInput,
  },
  output: { ratingKey: z.string(), title: z.string(), deleted: z.boolean() },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const p = await resolvePlaylist(plex, args.playlist, signal, {
      exact: true,
    });
    await requireConfirmation(
      ctx,
      `Delete playlist "${p.title}" (${
        p.leafCount === undefined ? "? items" : plural(p.leafCount, "item")
      })`,
      args.confirm,
    );
    await plex.send(`/playlists/${p.ratingKey}`, { method: "DELETE", signal });
    const gone = await plex.send(`/playlists/${p.ratingKey}`, { signal }).then(
      () => false,
      (e: unknown) => {
        if (e instanceof PlexNotFoundError) return true;
        throw e;
      },
    );
    const structured = {
      ratingKey: p.ratingKey,
      title: p.title,
      deleted: gone,
    };
    if (!gone) {
      return notTaken(
        structured,
        `the delete of playlist [${p.ratingKey}] "${p.title}"`,
        "it still has the playlist",
      );
    }
    return {
      structured,
      text: `Deleted playlist [${p.ratingKey}] "${p.title}".`,
    };
  },
});
