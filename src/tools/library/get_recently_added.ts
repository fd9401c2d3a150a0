import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { itemSummary } from "../shared/items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "../shared/paging.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";

/** `get_recently_added`: newest additions, server-wide or per library. */
export const getRecentlyAdded = defineTool({
  name: "get_recently_added",
  title: "Recently added",
  description:
    "Lists the newest additions, newest first, server-wide or in one library, paged. New episodes appear as their season, new music as albums.",
  toolset: "library",
  annotations: READ_ONLY,
  spansServers: true,
  input: { library: libraryInput.optional(), ...pageInput },
  output: pageOutput(itemSummary),
  handler: async (args, { plex, signal }) => {
    const section = args.library
      ? await resolveLibrary(plex, args.library, signal)
      : undefined;
    return listPage(
      plex,
      section
        ? `/library/sections/${section.key}/recentlyAdded`
        : "/library/recentlyAdded",
      "recently added items",
      { offset: args.offset, limit: args.limit, signal },
    );
  },
});
