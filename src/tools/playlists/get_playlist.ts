import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { itemLine, itemSummary, summarize } from "../shared/items.ts";
import {
  pageFields,
  pageHeader,
  pageInput,
  pageOutput,
} from "../shared/paging.ts";
import { nameOrIdInput, resolvePlaylist } from "../shared/resolve.ts";

/** `get_playlist`: a playlist and a page of its items. */
export const getPlaylist = defineTool({
  name: "get_playlist",
  title: "Playlist items",
  description:
    "Returns one playlist (ratingKey or title) and its items in order, paged, each with the playlistItemId that remove_from_playlist takes.",
  toolset: "playlists",
  annotations: READ_ONLY,
  input: {
    playlist: nameOrIdInput().describe("Playlist ratingKey or title"),
    ...pageInput,
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    smart: z.boolean(),
    ...pageOutput(
      itemSummary.extend({ playlistItemId: z.string().optional() }),
    ),
  },
  handler: async (args, { plex, signal }) => {
    const p = await resolvePlaylist(plex, args.playlist, signal);
    const { data: c, headerTotal } = await plex.getJsonPaged(
      `/playlists/${p.ratingKey}/items`,
      itemsContainerSchema,
      {
        query: {
          "X-Plex-Container-Start": args.offset,
          "X-Plex-Container-Size": args.limit,
        },
        signal,
      },
    );
    let rows = c.Metadata;
    if (rows.length > args.limit) {
      rows = rows.slice(args.offset, args.offset + args.limit);
    }
    const items = rows.map((i) => ({
      ...summarize(i),
      playlistItemId: i.playlistItemID,
    }));
    const fields = pageFields(
      c.totalSize ?? headerTotal ?? c.leafCount ?? args.offset + items.length,
      args.offset,
      args.limit,
      items.length,
    );
    const text = [
      `Playlist [${p.ratingKey}] ${p.title}${p.smart ? " (smart)" : ""}`,
      pageHeader("items", fields, items.length),
      ...items.map((i) => `${itemLine(i)} · entry ${i.playlistItemId ?? "?"}`),
    ].join("\n");
    return {
      structured: {
        ratingKey: p.ratingKey,
        title: p.title,
        smart: p.smart,
        items,
        ...fields,
      },
      text,
    };
  },
});
