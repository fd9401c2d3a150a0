/**
 * The tool registry: the single source of truth for which tools exist. The
 * README table and both manifests are generated from / checked against it.
 *
 * @module
 */
import type { ToolDefinition } from "./define_tool.ts";
import { addToPlaylist } from "./add_to_playlist.ts";
import { browseLibrary } from "./browse_library.ts";
import { controlPlayback } from "./control_playback.ts";
import { createPlaylist } from "./create_playlist.ts";
import { deletePlaylist } from "./delete_playlist.ts";
import { getActiveSessions } from "./get_active_sessions.ts";
import { getChildren } from "./get_children.ts";
import { getCollection } from "./get_collection.ts";
import { getLibraries } from "./get_libraries.ts";
import { getMediaDetails } from "./get_media_details.ts";
import { getOnDeck } from "./get_on_deck.ts";
import { getPlaylist } from "./get_playlist.ts";
import { getPlexStatus } from "./get_plex_status.ts";
import { getRecentlyAdded } from "./get_recently_added.ts";
import { getWatchHistory } from "./get_watch_history.ts";
import { listButlerTasks } from "./list_butler_tasks.ts";
import { listClients } from "./list_clients.ts";
import { listCollections } from "./list_collections.ts";
import { listPlaylists } from "./list_playlists.ts";
import { listServers } from "./list_servers.ts";
import { listUsers } from "./list_users.ts";
import { markUnwatched } from "./mark_unwatched.ts";
import { markWatched } from "./mark_watched.ts";
import { playMedia } from "./play_media.ts";
import { rateMedia } from "./rate_media.ts";
import { removeFromPlaylist } from "./remove_from_playlist.ts";
import { runButlerTask } from "./run_butler_task.ts";
import { scanLibrary } from "./scan_library.ts";
import { searchMedia } from "./search_media.ts";
import { addToCollection } from "./add_to_collection.ts";
import { createCollection } from "./create_collection.ts";
import { createSmartPlaylist } from "./create_smart_playlist.ts";
import { deleteCollection } from "./delete_collection.ts";
import { editCollection } from "./edit_collection.ts";
import { editPlaylist } from "./edit_playlist.ts";
import { movePlaylistItem } from "./move_playlist_item.ts";
import { copyPlaylistToUser } from "./copy_playlist_to_user.ts";
import { refreshMetadata } from "./refresh_metadata.ts";
import { removeFromCollection } from "./remove_from_collection.ts";
import { updateMetadata } from "./update_metadata.ts";
import { listArtwork } from "./list_artwork.ts";
import { listMatches } from "./list_matches.ts";
import { matchItem } from "./match_item.ts";
import { setArtwork } from "./set_artwork.ts";
import { cleanBundles } from "./clean_bundles.ts";
import { emptyTrash } from "./empty_trash.ts";
import { getBandwidthStats } from "./get_bandwidth_stats.ts";
import { getResourceStats } from "./get_resource_stats.ts";
import { listActivities } from "./list_activities.ts";
import { optimizeDatabase } from "./optimize_database.ts";
import { getServerLogs } from "./get_server_logs.ts";
import { getPlayerTimeline } from "./get_player_timeline.ts";
import { navigatePlayer } from "./navigate_player.ts";
import { setPlayerStreams } from "./set_player_streams.ts";
import { setPlayerVolume } from "./set_player_volume.ts";
import { getWatchStats } from "./get_watch_stats.ts";
import { getRecommendations } from "./get_recommendations.ts";
import { getWatchlist } from "./get_watchlist.ts";
import { addToWatchlist } from "./add_to_watchlist.ts";
import { removeFromWatchlist } from "./remove_from_watchlist.ts";
import { listHomeUsers } from "./list_home_users.ts";
import { findDialogue, getStorySoFar } from "./watch/mod.ts";

export { selectTools, type ToolSelection } from "./select.ts";
export {
  type Confirm,
  DEFAULT_TOOLSETS,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
  type ToolResult,
  type Toolset,
  TOOLSETS,
  type TypedToolDefinition,
} from "./define_tool.ts";

/** Every tool, in catalogue order. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  // server
  getPlexStatus,
  getLibraries,
  listServers,
  // library
  searchMedia,
  browseLibrary,
  getMediaDetails,
  getChildren,
  getRecentlyAdded,
  getOnDeck,
  listCollections,
  getCollection,
  // activity
  getActiveSessions,
  getWatchHistory,
  // playlists
  listPlaylists,
  getPlaylist,
  createPlaylist,
  addToPlaylist,
  removeFromPlaylist,
  deletePlaylist,
  // watch state
  markWatched,
  markUnwatched,
  rateMedia,
  // playback
  listClients,
  playMedia,
  controlPlayback,
  // admin
  scanLibrary,
  listUsers,
  listButlerTasks,
  runButlerTask,
  // curation (opt-in)
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
  // server care (opt-in)
  listActivities,
  getBandwidthStats,
  getResourceStats,
  emptyTrash,
  cleanBundles,
  optimizeDatabase,
  getServerLogs,
  // remote control (opt-in)
  getPlayerTimeline,
  navigatePlayer,
  setPlayerVolume,
  setPlayerStreams,
  // insights (opt-in)
  getWatchStats,
  getRecommendations,
  getWatchlist,
  addToWatchlist,
  removeFromWatchlist,
  listHomeUsers,
  // watch (opt-in)
  findDialogue,
  getStorySoFar,
];

export { toolCatalog, type ToolInfo } from "./catalog_info.ts";
