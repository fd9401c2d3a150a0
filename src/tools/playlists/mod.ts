/**
 * The `playlists` toolset: playlists. One tool per file; this face lists them
 * in catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { addToPlaylist } from "./add_to_playlist.ts";
import { createPlaylist } from "./create_playlist.ts";
import { deletePlaylist } from "./delete_playlist.ts";
import { getPlaylist } from "./get_playlist.ts";
import { listPlaylists } from "./list_playlists.ts";
import { removeFromPlaylist } from "./remove_from_playlist.ts";

export {
  addToPlaylist,
  createPlaylist,
  deletePlaylist,
  getPlaylist,
  listPlaylists,
  removeFromPlaylist,
};

/** The `playlists` tools, in catalogue order. */
export const PLAYLISTS_TOOLS: readonly ToolDefinition[] = [
  listPlaylists,
  getPlaylist,
  createPlaylist,
  addToPlaylist,
  removeFromPlaylist,
  deletePlaylist,
];
