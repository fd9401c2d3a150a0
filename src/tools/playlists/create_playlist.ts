import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { plural } from "../shared/format.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { safeId, shown } from "../shared/ids.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { notTaken, NotTakenError } from "../shared/readback.ts";
import {
  libraryUri,
  playableKind,
  ratingKeysInput,
} from "../shared/playlist_common.ts";

/** `create_playlist`: a new regular playlist from items. */
export const createPlaylist = defineTool({
  name: "create_playlist",
  title: "Create a playlist",
  description:
    "Creates a regular playlist from 1-100 items of one kind (video, audio or photo), with an optional summary, and reads it back.",
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
    summary: z.string().optional(),
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
      },
      signal,
    });
    const p = created.Metadata[0];
    if (!p?.ratingKey) {
      throw new Error("Plex accepted the playlist but did not return it");
    }
    const id = safeId(p.ratingKey, "playlist");
    // Plex takes the summary only as an edit of the new playlist, made "in
    // the same manner as editing metadata" (current spec): `summary.value`
    // with `summary.locked=1`, as python-plexapi's editSummary sends it and
    // its live test checks (API.md §21); plain `summary=` is the older form.
    if (args.summary) {
      await plex.send(`/playlists/${id}`, {
        method: "PUT",
        query: { "summary.value": args.summary, "summary.locked": 1 },
        signal,
      });
    }
    // Verify by reading it back.
    const request = `the ${kind} playlist "${args.title}" (${
      plural(args.ratingKeys.length, "item")
    })`;
    const back = await plex.getJson(`/playlists/${id}`, itemsContainerSchema, {
      signal,
      cache: false,
    }).catch((e: unknown) => {
      if (e instanceof PlexNotFoundError) {
        throw new NotTakenError(
          request,
          `it answered with playlist ${id} and then has no such playlist`,
        );
      }
      throw e;
    });
    const now = back.Metadata[0];
    const items = Math.round(now?.leafCount ?? 0);
    const summary = now?.summary || undefined;
    const title = now?.title ?? p.title;
    const structured = { ratingKey: id, title, type: kind, items, summary };
    const missed = [
      title !== args.title && `its title is ${shown(title)}`,
      items < new Set(args.ratingKeys).size &&
      `it holds ${plural(items, "item")}`,
      args.summary !== undefined && (summary ?? "") !== args.summary &&
      `its summary is ${shown(summary ?? "")}`,
    ].filter((m): m is string => typeof m === "string");
    if (missed.length) {
      return notTaken(
        structured,
        request,
        `playlist [${id}] exists but ${missed.join(", ")}`,
      );
    }
    return {
      structured,
      text: `Created ${kind} playlist [${id}] "${title}" with ${
        plural(items, "item")
      }${summary ? `, summary "${summary}"` : ""}.`,
    };
  },
});
