import { z } from "../../zod.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { itemSummary } from "../shared/items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "../shared/paging.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";
import {
  FILTER_SORTS,
  FILTER_TYPES,
  sectionQuery,
} from "../shared/section_filter.ts";

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
    type: z.enum(FILTER_TYPES).optional().describe(
      "Default: the library's own",
    ),
    sort: z.enum(Object.keys(FILTER_SORTS) as [keyof typeof FILTER_SORTS])
      .default("title"),
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
    // A numeric key with nothing that needs the library's kind (no type, no
    // filter field) is one request: the page names its library
    // (`librarySectionTitle`, recorded in
    // GET__library_sections_{sectionId}_all.movies.json). Plex answers an
    // unknown key with 404; then the key is resolved as before (a library
    // may be titled "1999"), so a wrong key gets the list of valid choices.
    const key = args.library.trim();
    const plain = args.type === undefined && args.genre === undefined &&
      args.actor === undefined && args.director === undefined &&
      args.year === undefined && !args.unwatched && !args.title;
    if (plain && /^[1-9]\d{0,8}$/.test(key)) {
      try {
        const page = await listPage(
          plex,
          `/library/sections/${key}/all`,
          "items",
          {
            query: { sort: FILTER_SORTS[args.sort] },
            offset: args.offset,
            limit: args.limit,
            signal,
          },
        );
        const title = page.title ?? key;
        return {
          structured: { library: title, ...page.structured },
          text: `Library [${key}] ${title}\n${page.text}`,
        };
      } catch (e) {
        if (!(e instanceof PlexNotFoundError)) throw e;
      }
    }
    const section = await resolveLibrary(plex, args.library, signal);
    const { query } = await sectionQuery(plex, section, args, signal);
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
