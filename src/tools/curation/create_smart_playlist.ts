import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import {
  describeFilter,
  filterQuery,
  sectionUri,
  type SmartFilter,
  smartFilterInput,
} from "./curation_common.ts";
import { plural } from "../shared/format.ts";
import { safeId, shown } from "../shared/ids.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { notTaken, NotTakenError } from "../shared/readback.ts";

/** Playlist kind and default item type of each library type (ppa playlist.py:385). */
const KINDS: Record<
  string,
  { kind: string; leaf: NonNullable<SmartFilter["type"]> }
> = {
  movie: { kind: "video", leaf: "movie" },
  show: { kind: "video", leaf: "episode" },
  artist: { kind: "audio", leaf: "track" },
  photo: { kind: "photo", leaf: "photo" },
};

const LEAVES = new Set(["movie", "episode", "track", "photo"]);

/** `create_smart_playlist`: a playlist Plex fills from a filter. */
export const createSmartPlaylist = defineTool({
  name: "create_smart_playlist",
  title: "Create a smart playlist",
  description:
    "Creates a smart playlist that Plex keeps filled from a filter on one library (browse_library's vocabulary; movies, episodes, tracks or photos). Reads it back with its item count.",
  toolset: "curation",
  annotations: writes({ idempotent: false }),
  input: {
    title: z.string().trim().min(1).max(200),
    library: libraryInput,
    filter: smartFilterInput,
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    type: z.string(),
    items: z.number().int(),
  },
  handler: async (args, { plex, signal }) => {
    const section = await resolveLibrary(plex, args.library, signal, {
      exact: true,
    });
    const kind = KINDS[section.type];
    const filter: SmartFilter = {
      ...args.filter,
      type: args.filter.type ?? kind?.leaf,
    };
    if (!kind || !filter.type || !LEAVES.has(filter.type)) {
      throw new ToolInputError(
        `A playlist holds movies, episodes, tracks or photos, not ${
          filter.type ?? section.type
        }s; set filter.type`,
      );
    }
    const all = await plex.getJson("/playlists", itemsContainerSchema, {
      signal,
      cache: false,
    });
    const clash = all.Metadata.find((p) =>
      p.title.trim().toLowerCase() === args.title.toLowerCase()
    );
    if (clash) {
      throw new ToolInputError(
        `Playlist ${
          shown(clash.title)
        } (${clash.ratingKey}) already has that title; pick another`,
      );
    }
    const [{ query, resultType }, machine] = await Promise.all([
      filterQuery(plex, section, filter, signal),
      plex.machineIdentifier({ signal }),
    ]);
    // API.md §21: outer type = the library's kind, smart=1, and the section
    // query as `uri`; no sectionID.
    const created = await plex.getJson("/playlists", itemsContainerSchema, {
      method: "POST",
      query: {
        type: kind.kind,
        title: args.title,
        smart: 1,
        uri: sectionUri(machine, section.key, query),
      },
      signal,
    });
    const made = created.Metadata[0];
    if (!made?.ratingKey) {
      throw new Error("Plex accepted the playlist but did not return it");
    }
    const id = safeId(made.ratingKey, "playlist");
    // The create reply lacks the filter; read the playlist back
    // (@ctrl/plex playlist.ts:208).
    const back = await plex.getJson(`/playlists/${id}`, itemsContainerSchema, {
      signal,
      cache: false,
    }).catch((e: unknown) => {
      if (e instanceof PlexNotFoundError) {
        throw new NotTakenError(
          `the smart ${kind.kind} playlist "${args.title}"`,
          `it answered with playlist ${id} and then has no such playlist`,
        );
      }
      throw e;
    });
    const now = back.Metadata[0];
    const items = Math.round(now?.leafCount ?? 0);
    const title = now?.title ?? made.title;
    const structured = { ratingKey: id, title, type: kind.kind, items };
    const missed = [
      title !== args.title && `its title is ${shown(title)}`,
      now?.smart === false && "it is not smart",
    ].filter((m): m is string => typeof m === "string");
    if (missed.length) {
      return notTaken(
        structured,
        `the smart ${kind.kind} playlist "${args.title}"`,
        `playlist [${id}] exists but ${missed.join(", ")}`,
      );
    }
    return {
      structured,
      text: `Created smart ${kind.kind} playlist [${id}] "${
        now?.title ?? made.title
      }" from ${section.title} (${describeFilter(filter, resultType)}): ${
        plural(items, "item")
      } now.`,
    };
  },
});
