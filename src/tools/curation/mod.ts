/**
 * The `curation` toolset: curation (opt-in): collections, metadata, artwork,
 * matches, playlist editing. One tool per file; this face lists them in
 * catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { addToCollection } from "./add_to_collection.ts";
import { copyPlaylistToUser } from "./copy_playlist_to_user.ts";
import { createCollection } from "./create_collection.ts";
import { createSmartPlaylist } from "./create_smart_playlist.ts";
import { deleteCollection } from "./delete_collection.ts";
import { editCollection } from "./edit_collection.ts";
import { editPlaylist } from "./edit_playlist.ts";
import { listArtwork } from "./list_artwork.ts";
import { listMatches } from "./list_matches.ts";
import { matchItem } from "./match_item.ts";
import { movePlaylistItem } from "./move_playlist_item.ts";
import { refreshMetadata } from "./refresh_metadata.ts";
import { removeFromCollection } from "./remove_from_collection.ts";
import { setArtwork } from "./set_artwork.ts";
import { updateMetadata } from "./update_metadata.ts";

export {
  addToCollection,
  copyPlaylistToUser,
  createCollection,
  createSmartPlaylist,
  deleteCollection,
  editCollection,
  editPlaylist,
  listArtwork,
  listMatches,
  matchItem,
  movePlaylistItem,
  refreshMetadata,
  removeFromCollection,
  setArtwork,
  updateMetadata,
};

/** The `curation` tools, in catalogue order. */
export const CURATION_TOOLS: readonly ToolDefinition[] = [
  createCollection,
  addToCollection,
  removeFromCollection,
  editCollection,
  deleteCollection,
  updateMetadata,
  refreshMetadata,
  listArtwork,
  setArtwork,
  listMatches,
  matchItem,
  editPlaylist,
  movePlaylistItem,
  createSmartPlaylist,
  copyPlaylistToUser,
];
