import { z } from "zod";
import { PLEX_TYPE_NUMBERS } from "../plex/metadata_types.ts";
import { genresSchema } from "../plex/schemas.ts";
import { defineTool, READ_ONLY, ToolInputError } from "./define_tool.ts";
import { itemSummary } from "./items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "./paging.ts";
import { libraryInput, pick, resolveLibrary } from "./resolve.ts";

/** The kinds of item a library listing can be filtered to. */
const TYPES = [
  "movie",
  "show",
  "season",
  "episode",
  "artist",
  "album",
  "track",
  "photo",
] as const;

const SORTS = {
  title: "titleSort",
  title_desc: "titleSort:desc",
  added_desc: "addedAt:desc",
  added_asc: "addedAt",
  year_desc: "year:desc",
  year_asc: "year",
  rating_desc: "rating:desc",
  last_viewed_desc: "lastViewedAt:desc",
  release_desc: "originallyAvailableAt:desc",
} as const;

/** `browse_library`: a filtered, sorted page of one library. */
export const browseLibrary = defineTool({
  name: "browse_library",
  title: "Browse a library",
  description:
    "Lists one library's items, filtered and sorted, paged: 'unwatched horror movies', 'newest albums'. To find a title, use search_media.",
  toolset: "library",
  annotations: READ_ONLY,
  input: {
    library: libraryInput,
    type: z.enum(TYPES).optional().describe("Default: the library's own"),
    sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS]).default("title"),
    genre: z.string().min(1).optional().describe("e.g. Horror"),
    actor: z.string().min(1).optional(),
    director: z.string().min(1).optional(),
    year: z.number().int().min(1800).max(2200).optional(),
    unwatched: z.boolean().optional(),
    title: z.string().min(1).optional().describe("Part of the title"),
    ...pageInput,
  },
  output: { library: z.string(), ...pageOutput(itemSummary) },
  handler: async (args, { plex, signal }) => {
    const section = await resolveLibrary(plex, args.library, signal);
    // Below the library's own level (episodes of a TV library, tracks of a
    // music library) Plex addresses fields by level (API.md §26.2): the
    // result's own fields as episode.year, and tags where they live, on the
    // show or artist (show.genre), directors on episodes.
    const resultType = args.type ?? section.type;
    const below = resultType !== section.type;
    const own = (field: string) => below ? `${resultType}.${field}` : field;
    const tagLevel = (kind: "genre" | "actor" | "director") =>
      !below
        ? kind
        : kind === "director" && resultType === "episode"
        ? "episode.director"
        : `${section.type}.${kind}`;
    const query: Record<string, string | number | undefined> = {
      type: args.type ? PLEX_TYPE_NUMBERS[args.type] : undefined,
      sort: SORTS[args.sort].split(",").map(own).join(","),
      [own("year")]: args.year,
      [own("unwatched")]: args.unwatched ? 1 : undefined,
      [own("title")]: args.title,
    };
    // Tag filters take Plex's tag ids: resolve each name in this library.
    for (const kind of ["genre", "actor", "director"] as const) {
      const wanted = args[kind];
      if (!wanted) continue;
      const tags = await plex.getJson(
        `/library/sections/${section.key}/${kind}`,
        genresSchema,
        { signal },
      );
      if (tags.length === 0) {
        throw new ToolInputError(
          `Library "${section.title}" has no ${kind}s to filter by`,
        );
      }
      query[tagLevel(kind)] = pick(kind, wanted, tags, (g) =>
        g.key, (g) => g.title).key;
    }
    const page = await listPage(
      plex,
      `/library/sections/${section.key}/all`,
      "items",
      { query, offset: args.offset, limit: args.limit, signal },
      `Library [${section.key}] ${section.title}`,
    );
    return {
      structured: { library: section.title, ...page.structured },
      text: page.text,
    };
  },
});
