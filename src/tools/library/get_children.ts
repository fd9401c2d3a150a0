import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { itemSummary } from "../shared/items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "../shared/paging.ts";
import { ratingKeyInput } from "../shared/resolve.ts";

/** `get_children`: seasons, episodes, albums or tracks below an item. */
export const getChildren = defineTool({
  name: "get_children",
  title: "Children of an item",
  description:
    "Lists what is inside an item, paged: a show's seasons, a season's episodes, an artist's albums, an album's tracks, a photo album's photos.",
  toolset: "library",
  annotations: READ_ONLY,
  input: { ratingKey: ratingKeyInput, ...pageInput },
  output: pageOutput(itemSummary),
  handler: (args, { plex, signal }) =>
    listPage(plex, `/library/metadata/${args.ratingKey}/children`, "children", {
      // Without it a show's answer holds an "All episodes" directory that
      // counts in size and totalSize, so the pages and total would be off
      // by one (python-plexapi video.py:641, 654; @ctrl/plex video.ts:574).
      query: { excludeAllLeaves: 1 },
      offset: args.offset,
      limit: args.limit,
      signal,
    }),
});
