import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { itemSummary } from "../shared/items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "../shared/paging.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";

/** `list_collections`: collections of one library. */
export const listCollections = defineTool({
  name: "list_collections",
  title: "List collections",
  description:
    "Lists one library's collections, paged; get_collection lists a collection's items.",
  toolset: "library",
  annotations: READ_ONLY,
  input: { library: libraryInput, ...pageInput },
  output: { library: z.string(), ...pageOutput(itemSummary) },
  handler: async (args, { plex, signal }) => {
    const section = await resolveLibrary(plex, args.library, signal);
    const page = await listPage(
      plex,
      `/library/sections/${section.key}/collections`,
      "collections",
      { offset: args.offset, limit: args.limit, signal },
      `Library [${section.key}] ${section.title}`,
    );
    return {
      structured: { library: section.title, ...page.structured },
      text: page.text,
    };
  },
});
