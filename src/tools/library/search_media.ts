import { z } from "../../zod.ts";
import { hubsBriefSchema, type SearchHub } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { plural } from "../shared/format.ts";
import { itemLine, itemSummary, summarize } from "../shared/items.ts";
import {
  pageHeader,
  pageInput,
  pageOutput,
  slicePage,
} from "../shared/paging.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";
import { FILTER_TYPES } from "../shared/section_filter.ts";

/** What search finds: the kinds a listing filters to, and collections. */
const TYPES = [...FILTER_TYPES, "collection"] as const;

/** Results asked of Plex per item type (one request serves every page). */
const SEARCH_PER_TYPE = 100;

/**
 * Results per type asked again when a library is named and a hub came back
 * full: Plex's per-hub limit counts every library's hits, so the named
 * one's may have been cut off behind others'.
 */
const SEARCH_PER_TYPE_IN_LIBRARY = 1_000;

/** `search_media`: Plex's own search across libraries. */
export const searchMedia = defineTool({
  name: "search_media",
  title: "Search media",
  description:
    "Searches titles in all libraries or one, best first, paged. Also names matching genres, actors and directors for browse_library.",
  toolset: "library",
  annotations: READ_ONLY,
  spansServers: true,
  input: {
    query: z.string().trim().min(1).max(200).describe("Words to search for"),
    type: z.enum(TYPES).optional(),
    library: libraryInput.optional(),
    ...pageInput,
  },
  output: {
    query: z.string(),
    tags: z.array(z.object({
      kind: z.string().describe("genre, actor, director…"),
      name: z.string(),
      library: z.string().optional(),
      libraryKey: z.string().optional(),
      count: z.number().int().optional().describe("Items in that library"),
    })).describe(
      "People and genres whose name matches; browse_library filters by genre, actor and director",
    ),
    more_available: z.boolean().describe(
      "Plex has more matches than it returned; refine the query",
    ),
    ...pageOutput(itemSummary),
  },
  handler: async (args, { plex, signal }) => {
    const section = args.library
      ? await resolveLibrary(plex, args.library, signal)
      : undefined;
    const wanted = (h: SearchHub) => !args.type || h.type === args.type;
    const search = (limit: number) =>
      // Only summarized: items read in brief.
      plex.getJson("/hubs/search", hubsBriefSchema, {
        query: {
          query: args.query,
          sectionId: section?.key,
          limit,
          // Collections are promised above; Plex leaves them out unless asked.
          includeCollections: 1,
        },
        signal,
      });
    const full = (h: SearchHub, limit: number) =>
      Math.max(h.Metadata.length, h.Directory.length) >= limit;
    // A fixed per-type limit keeps the order, and so the pages, stable.
    let perHub = SEARCH_PER_TYPE;
    let hubs = await search(perHub);
    // Plex treats sectionId as a hint for the order (API.md §26.1) and its
    // limit is per hub over all libraries: when a hub came back full, the
    // named library's hits may be behind the cut, so ask for more.
    if (section && hubs.some((h) => wanted(h) && full(h, perHub))) {
      perHub = SEARCH_PER_TYPE_IN_LIBRARY;
      hubs = await search(perHub);
    }
    // Keep only that library's results when one was named.
    const inLibrary = (libraryKey: string | undefined) =>
      !section || libraryKey === section.key;
    const items = hubs
      .filter(wanted)
      .flatMap((h) => h.Metadata)
      .filter((i) =>
        (!args.type || i.type === args.type) && inLibrary(i.librarySectionID)
      )
      .map(summarize);
    // After filtering: more may exist only where a hub was cut at the limit.
    const more = hubs.some((h) => wanted(h) && h.Metadata.length >= perHub);
    const page = slicePage(items, args.offset, args.limit);
    // Tag hits (a genre, an actor…) only on the first page: they are not items.
    const tags = args.offset > 0
      ? []
      : hubs.flatMap((h) =>
        h.Directory.flatMap((d) =>
          d.tag === undefined || !inLibrary(d.librarySectionID) ? [] : [{
            kind: h.type ?? d.type ?? "tag",
            name: d.tag,
            library: d.librarySectionTitle,
            libraryKey: d.librarySectionID,
            count: d.count === undefined ? undefined : Math.round(d.count),
          }]
        )
      ).slice(0, 10);
    const text = [
      pageHeader(`results for "${args.query}"`, page, page.items.length),
      ...page.items.map(itemLine),
      ...tags.map((t) =>
        `${t.kind} "${t.name}"${
          t.library ? ` in [${t.libraryKey}] ${t.library}` : ""
        }${t.count === undefined ? "" : ` (${plural(t.count, "item")})`}`
      ),
      ...(more
        ? ["Plex has more matches; refine the query or add a type."]
        : []),
    ].join("\n");
    return {
      structured: { query: args.query, tags, more_available: more, ...page },
      text,
    };
  },
});
