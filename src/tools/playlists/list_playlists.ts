import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { duration, parts, plural } from "../shared/format.ts";
import {
  pageHeader,
  pageInput,
  pageOutput,
  slicePage,
} from "../shared/paging.ts";

/** A playlist as list tools return it. */
export const playlistSummary = z.object({
  ratingKey: z.string(),
  title: z.string(),
  type: z.string().describe("video, audio or photo"),
  smart: z.boolean(),
  items: z.number().int(),
  durationMs: z.number().int().optional(),
  summary: z.string().optional(),
});

/** `list_playlists`: the token's playlists. */
export const listPlaylists = defineTool({
  name: "list_playlists",
  title: "List playlists",
  description:
    "Lists this account's playlists (kind, smart, item count, duration), paged.",
  toolset: "playlists",
  annotations: READ_ONLY,
  input: {
    type: z.enum(["video", "audio", "photo"]).optional(),
    ...pageInput,
  },
  output: pageOutput(playlistSummary),
  handler: async (args, { plex, signal }) => {
    const c = await plex.getJson("/playlists", itemsContainerSchema, {
      query: { playlistType: args.type },
      signal,
    });
    const all = c.Metadata.map((p) => ({
      ratingKey: p.ratingKey,
      title: p.title,
      type: p.playlistType ?? "unknown",
      smart: p.smart ?? false,
      items: Math.round(p.leafCount ?? 0),
      durationMs: p.duration === undefined ? undefined : Math.round(p.duration),
      summary: p.summary || undefined,
    }));
    const page = slicePage(all, args.offset, args.limit);
    const text = [
      pageHeader("playlists", page, page.items.length),
      ...page.items.map((p) =>
        parts([
          `[${p.ratingKey}] ${p.title}`,
          p.type,
          p.smart && "smart",
          plural(p.items, "item"),
          duration(p.durationMs),
        ])
      ),
    ].join("\n");
    return { structured: page, text };
  },
});
