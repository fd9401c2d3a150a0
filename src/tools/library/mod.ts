/**
 * The `library` toolset: browsing and searching libraries. One tool per file;
 * this face lists them in catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { browseLibrary } from "./browse_library.ts";
import { getChildren } from "./get_children.ts";
import { getCollection } from "./get_collection.ts";
import { getMediaDetails } from "./get_media_details.ts";
import { getOnDeck } from "./get_on_deck.ts";
import { getRecentlyAdded } from "./get_recently_added.ts";
import { listCollections } from "./list_collections.ts";
import { searchMedia } from "./search_media.ts";

export {
  browseLibrary,
  getChildren,
  getCollection,
  getMediaDetails,
  getOnDeck,
  getRecentlyAdded,
  listCollections,
  searchMedia,
};

/** The `library` tools, in catalogue order. */
export const LIBRARY_TOOLS: readonly ToolDefinition[] = [
  searchMedia,
  browseLibrary,
  getMediaDetails,
  getChildren,
  getRecentlyAdded,
  getOnDeck,
  listCollections,
  getCollection,
];
