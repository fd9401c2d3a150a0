import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { shown } from "../shared/ids.ts";
import { nameOrIdInput, resolvePlaylist } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

const playlistView = z.object({
  title: z.string(),
  summary: z.string().optional(),
});

/** `edit_playlist`: renames a playlist or edits its summary. */
export const editPlaylist = defineTool({
  name: "edit_playlist",
  title: "Edit a playlist",
  description:
    "Renames a playlist (ratingKey or full title) or edits its summary, smart ones too; clearing the summary asks first. Returns before and after.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    title: z.string().trim().min(1).max(200).optional(),
    summary: z.string().max(2000).optional(),
    confirm: confirmInput,
  },
  output: {
    ratingKey: z.string(),
    before: playlistView,
    after: playlistView,
    changed: z.array(z.string()),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    if (args.title === undefined && args.summary === undefined) {
      throw new ToolInputError("Nothing to change: give title or summary");
    }
    const p = await resolvePlaylist(plex, args.playlist, signal, {
      exact: true,
    });
    const read = async () => {
      const c = await plex.getJson(
        `/playlists/${p.ratingKey}`,
        itemsContainerSchema,
        {
          signal,
          cache: false,
        },
      );
      const m = c.Metadata[0];
      return { title: m?.title ?? p.title, summary: m?.summary || undefined };
    };
    const before = await read();
    if (args.title !== undefined && args.title !== before.title) {
      // Writes find playlists by whole title: two of one name could not be
      // told apart.
      const all = await plex.getJson("/playlists", itemsContainerSchema, {
        signal,
        cache: false,
      });
      const clash = all.Metadata.find((o) =>
        o.ratingKey !== p.ratingKey &&
        o.title.trim().toLowerCase() === args.title!.toLowerCase()
      );
      if (clash) {
        throw new ToolInputError(
          `Playlist ${
            shown(clash.title)
          } (${clash.ratingKey}) already has that title; pick another`,
        );
      }
    }
    if (args.summary === "" && before.summary) {
      await requireConfirmation(
        ctx,
        `Clear the summary of playlist "${before.title}"`,
        args.confirm,
      );
    }
    // API.md §21: "in the same manner as editing metadata" (spec), as
    // python-plexapi's editTitle/editSummary send it (live-tested).
    await plex.send(`/playlists/${p.ratingKey}`, {
      method: "PUT",
      query: {
        "title.value": args.title,
        "title.locked": args.title === undefined ? undefined : 1,
        "summary.value": args.summary,
        "summary.locked": args.summary === undefined ? undefined : 1,
      },
      signal,
    });
    const after = await read();
    const changed = (["title", "summary"] as const).filter((k) =>
      (before[k] ?? "") !== (after[k] ?? "")
    );
    const missed = [
      args.title !== undefined && after.title !== args.title && "title",
      args.summary !== undefined && (after.summary ?? "") !== args.summary &&
      "summary",
    ].filter(Boolean);
    if (missed.length) {
      return notTaken(
        { ratingKey: p.ratingKey, before, after, changed },
        `the edit of playlist [${p.ratingKey}] "${before.title}"`,
        `${
          missed.map((k) => `its ${k} is ${shown(after[k as "title"] ?? "")}`)
            .join(", ")
        }${changed.length ? `; changed: ${changed.join(", ")}` : ""}`,
      );
    }
    return {
      structured: { ratingKey: p.ratingKey, before, after, changed },
      text: [
        `Playlist [${p.ratingKey}] "${after.title}": ${
          changed.length ? `changed ${changed.join(", ")}` : "nothing changed"
        }.`,
        ...changed.map((k) =>
          `${k}: ${shown(before[k] ?? "")} → ${shown(after[k] ?? "")}`
        ),
      ].join("\n"),
    };
  },
});
