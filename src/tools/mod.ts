/**
 * The tool registry: the single source of truth for which tools exist. The
 * README table and both manifests are generated from / checked against it.
 *
 * @module
 */
import type { ToolDefinition } from "./shared/define_tool.ts";
import { addToPlaylist } from "./playlists/add_to_playlist.ts";
import { browseLibrary } from "./library/browse_library.ts";
import { controlPlayback } from "./playback/control_playback.ts";
import { createPlaylist } from "./playlists/create_playlist.ts";
import { deletePlaylist } from "./playlists/delete_playlist.ts";
import { getActiveSessions } from "./activity/get_active_sessions.ts";
import { getChildren } from "./library/get_children.ts";
import { getCollection } from "./library/get_collection.ts";
import { getLibraries } from "./server/get_libraries.ts";
import { getMediaDetails } from "./library/get_media_details.ts";
import { getOnDeck } from "./library/get_on_deck.ts";
import { getPlaylist } from "./playlists/get_playlist.ts";
import { getPlexStatus } from "./server/get_plex_status.ts";
import { getRecentlyAdded } from "./library/get_recently_added.ts";
import { getWatchHistory } from "./activity/get_watch_history.ts";
import { listButlerTasks } from "./admin/list_butler_tasks.ts";
import { listClients } from "./playback/list_clients.ts";
import { listCollections } from "./library/list_collections.ts";
import { listPlaylists } from "./playlists/list_playlists.ts";
import { listServers } from "./server/list_servers.ts";
import { listUsers } from "./admin/list_users.ts";
import { markUnwatched } from "./watch_state/mark_unwatched.ts";
import { markWatched } from "./watch_state/mark_watched.ts";
import { playMedia } from "./playback/play_media.ts";
import { rateMedia } from "./watch_state/rate_media.ts";
import { removeFromPlaylist } from "./playlists/remove_from_playlist.ts";
import { runButlerTask } from "./admin/run_butler_task.ts";
import { scanLibrary } from "./admin/scan_library.ts";
import { searchMedia } from "./library/search_media.ts";
import { addToCollection } from "./curation/add_to_collection.ts";
import { createCollection } from "./curation/create_collection.ts";
import { createSmartPlaylist } from "./curation/create_smart_playlist.ts";
import { deleteCollection } from "./curation/delete_collection.ts";
import { editCollection } from "./curation/edit_collection.ts";
import { editPlaylist } from "./curation/edit_playlist.ts";
import { movePlaylistItem } from "./curation/move_playlist_item.ts";
import { copyPlaylistToUser } from "./curation/copy_playlist_to_user.ts";
import { refreshMetadata } from "./curation/refresh_metadata.ts";
import { removeFromCollection } from "./curation/remove_from_collection.ts";
import { updateMetadata } from "./curation/update_metadata.ts";
import { listArtwork } from "./curation/list_artwork.ts";
import { listMatches } from "./curation/list_matches.ts";
import { matchItem } from "./curation/match_item.ts";
import { setArtwork } from "./curation/set_artwork.ts";
import { cleanBundles } from "./server_care/clean_bundles.ts";
import { emptyTrash } from "./server_care/empty_trash.ts";
import { getBandwidthStats } from "./server_care/get_bandwidth_stats.ts";
import { getResourceStats } from "./server_care/get_resource_stats.ts";
import { listActivities } from "./server_care/list_activities.ts";
import { optimizeDatabase } from "./server_care/optimize_database.ts";
import { getServerLogs } from "./server_care/get_server_logs.ts";
import { getPlayerTimeline } from "./remote/get_player_timeline.ts";
import { navigatePlayer } from "./remote/navigate_player.ts";
import { setPlayerStreams } from "./remote/set_player_streams.ts";
import { setPlayerVolume } from "./remote/set_player_volume.ts";
import { getWatchStats } from "./insights/get_watch_stats.ts";
import { getRecommendations } from "./insights/get_recommendations.ts";
import { getWatchlist } from "./insights/get_watchlist.ts";
import { addToWatchlist } from "./insights/add_to_watchlist.ts";
import { removeFromWatchlist } from "./insights/remove_from_watchlist.ts";
import { listHomeUsers } from "./insights/list_home_users.ts";

export { selectTools, type ToolSelection } from "./shared/select.ts";
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
} from "./shared/define_tool.ts";

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
];

export { toolCatalog, type ToolInfo } from "./catalog_info.ts";
