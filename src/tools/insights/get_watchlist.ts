import { accountOf } from "../../account/mod.ts";
import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { isoDate, isoTime, parts } from "../shared/format.ts";
import {
  pageFields,
  pageHeader,
  pageInput,
  pageOutput,
} from "../shared/paging.ts";
import { forViewer, viewerInput } from "../shared/viewers.ts";
import { inLibrary, locate, videoSections } from "./watchlist_common.ts";

const SORTS = {
  added: "watchlistedAt:desc",
  title: "titleSort:asc",
  release: "originallyAvailableAt:desc",
  rating: "rating:desc",
} as const;

/** `get_watchlist`: the plex.tv watchlist, with where each title is here. */
export const getWatchlist = defineTool({
  name: "get_watchlist",
  title: "Watchlist",
  description:
    "The account's plex.tv watchlist (films and shows), newest first, paged, each marked with the libraries here that have it (their ratingKeys). Filter by type, or released/available only.",
  toolset: "insights",
  annotations: READ_ONLY,
  input: {
    type: z.enum(["movie", "show"]).optional(),
    filter: z.enum(["all", "available", "released"]).default("all"),
    sort: z.enum(["added", "title", "release", "rating"]).default("added"),
    ...pageInput,
    ...viewerInput,
  },
  output: pageOutput(z.object({
    id: z.string().describe("plex.tv id, for remove_from_watchlist"),
    ratingKey: z.string().optional().describe("This title in a library"),
    type: z.string(),
    title: z.string(),
    year: z.number().int().optional(),
    watchlistedAt: z.string().optional(),
    inLibrary,
  })),
  handler: forViewer(async (args, { plex, signal }) => {
    // The libraries first: a server that cannot answer fails the call
    // before plex.tv is asked.
    const sections = await videoSections(plex, signal);
    const account = await accountOf(plex);
    const page = await account.watchlist({
      filter: args.filter,
      type: args.type,
      sort: SORTS[args.sort],
      offset: args.offset,
      limit: args.limit,
    }, signal);
    const where = await locate(plex, sections, page.entries, signal);
    const items = page.entries.map((e) => ({
      id: e.id,
      type: e.type,
      title: e.title,
      year: e.year === undefined ? undefined : Math.round(e.year),
      watchlistedAt: isoTime(e.watchlistedAt),
      ratingKey: where.get(e.id)?.[0]?.ratingKey,
      inLibrary: where.get(e.id) ?? [],
    }));
    // Without a total from plex.tv, a full page may have more after it.
    const total = page.total ??
      args.offset + items.length + (items.length === args.limit ? 1 : 0);
    const fields = pageFields(total, args.offset, args.limit, items.length);
    const text = items.length
      ? [
        pageHeader("watchlist entries", fields, items.length),
        ...items.map((i) =>
          parts([
            `${i.title}${i.year ? ` (${i.year})` : ""}`,
            i.type,
            i.watchlistedAt &&
            `added ${isoDate(Date.parse(i.watchlistedAt) / 1000)}`,
            i.inLibrary.length
              ? `in ${
                i.inLibrary.map((l) => `${l.library} [${l.ratingKey}]`).join(
                  ", ",
                )
              }`
              : "not in a library here",
            `id ${i.id}`,
          ])
        ),
      ].join("\n")
      : args.offset > 0
      ? pageHeader("watchlist entries", fields, 0)
      : "The watchlist is empty.";
    return { structured: { items, ...fields }, text };
  }),
});
