import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { itemSummary } from "../shared/items.ts";
import { listPage } from "./listing.ts";
import { pageInput, pageOutput } from "../shared/paging.ts";
import { ratingKeyInput } from "../shared/resolve.ts";

/** `get_collection`: one collection and a page of its items. */
export const getCollection = defineTool({
  name: "get_collection",
  title: "Collection items",
  description:
    "Returns one collection (title, summary) and its items, paged, by its ratingKey.",
  toolset: "library",
  annotations: READ_ONLY,
  input: { ratingKey: ratingKeyInput, ...pageInput },
  output: {
    title: z.string(),
    summary: z.string().optional(),
    ...pageOutput(itemSummary),
  },
  handler: async (args, { plex, signal }) => {
    const c = await plex.getJson(
      `/library/metadata/${args.ratingKey}`,
      itemsContainerSchema,
      {
        signal,
      },
    );
    const collection = c.Metadata[0];
    if (!collection || collection.type !== "collection") {
      throw new ToolInputError(
        `Item ${args.ratingKey} is ${
          collection ? `a ${collection.type}` : "missing"
        }, not a collection; use list_collections to find one`,
      );
    }
    const page = await listPage(
      plex,
      `/library/collections/${args.ratingKey}/children`,
      "items",
      { offset: args.offset, limit: args.limit, signal },
      `Collection [${collection.ratingKey}] ${collection.title}`,
    );
    return {
      structured: {
        title: collection.title,
        summary: collection.summary,
        ...page.structured,
      },
      text: page.text,
    };
  },
});
