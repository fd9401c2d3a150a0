/**
 * Valid arguments for every tool against the demo library, for tests that
 * run the whole catalogue (fault matrix, soak benchmark).
 */
import type { DemoLibrary } from "../../src/demo/library.ts";
import { ALL_TOOLS, DEFAULT_TOOLSETS } from "../../src/tools/mod.ts";
import type { ToolDefinition } from "../../src/tools/shared/define_tool.ts";

function key(lib: DemoLibrary, title: string, type?: string): string {
  for (const i of lib.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(`no demo item ${title}`);
}

/** Tool name → arguments that succeed on a fresh demo library. */
export function validArgs(
  lib: DemoLibrary,
): Record<string, Record<string, unknown>> {
  const movie = key(lib, "Detour");
  const lanternSeason = lib.items.get(key(lib, "The Lantern Coast", "show"))!
    .children[0]!;
  const collection = [...lib.collections.keys()][0]!;
  const [halloween, { entries: halloweenEntries }] = [
    ...lib.playlists.entries(),
  ].find(([, p]) => p.raw.title === "Halloween Night")!;
  return {
    get_plex_status: {},
    get_libraries: {},
    search_media: { query: "the" },
    browse_library: { library: "Classic Movies", genre: "Horror", limit: 5 },
    get_media_details: { ratingKey: movie },
    get_children: { ratingKey: key(lib, "Flash Gordon", "show") },
    get_recently_added: { limit: 5 },
    get_on_deck: {},
    list_collections: { library: "1" },
    get_collection: { ratingKey: collection },
    get_active_sessions: {},
    get_watch_history: { limit: 5 },
    list_playlists: {},
    get_playlist: { playlist: "Halloween Night" },
    create_playlist: { title: "Noir", ratingKeys: [movie] },
    add_to_playlist: { playlist: "Halloween Night", ratingKeys: [movie] },
    remove_from_playlist: {
      playlist: "Halloween Night",
      ratingKey: key(lib, "Nosferatu"),
      confirm: true,
    },
    delete_playlist: { playlist: "Halloween Night", confirm: true },
    mark_watched: { ratingKey: movie },
    mark_unwatched: {
      ratingKey: key(lib, "Night of the Living Dead"),
      confirm: true,
    },
    rate_media: { ratingKey: movie, rating: 7 },
    list_clients: {},
    play_media: { client: "Living Room TV", ratingKey: movie },
    control_playback: { client: "Living Room TV", action: "pause" },
    scan_library: { library: "1", wait: false },
    list_users: {},
    list_butler_tasks: {},
    run_butler_task: { name: "BackupDatabase" },
    // curation (opt-in)
    create_collection: {
      library: "Classic Movies",
      title: "Noir",
      ratingKeys: [movie, key(lib, "Charade")],
    },
    add_to_collection: { ratingKey: collection, ratingKeys: [movie] },
    remove_from_collection: {
      ratingKey: collection,
      ratingKeys: [lib.collections.get(collection)!.members[0]!],
      confirm: true,
    },
    edit_collection: {
      ratingKey: collection,
      summary: "Frights",
      sort: "alphabetical",
    },
    delete_collection: { ratingKey: collection, confirm: true },
    update_metadata: {
      ratingKey: movie,
      summary: "A hitchhiker's bad luck.",
      genres: { add: ["Noir"] },
    },
    refresh_metadata: { ratingKey: movie, confirm: true },
    list_artwork: { ratingKey: movie },
    set_artwork: {
      ratingKey: movie,
      id: `https://image.tmdb.org/t/p/original/posters${movie}.jpg`,
    },
    list_matches: { ratingKey: movie },
    match_item: { ratingKey: movie, unmatch: true, confirm: true },
    edit_playlist: { playlist: "Halloween Night", summary: "For October" },
    move_playlist_item: {
      playlist: halloween,
      playlistItemId: String(halloweenEntries.at(-1)!.id),
    },
    create_smart_playlist: {
      title: "Unwatched horror",
      library: "Classic Movies",
      filter: { genre: "Horror", unwatched: true },
    },
    // talks to plex.tv too (see PLEX_TV_TOOLS); confirmed, as a second run
    // makes a second copy
    copy_playlist_to_user: {
      playlist: "Halloween Night",
      user: "Riley",
      confirm: true,
    },
    // server care (opt-in)
    list_activities: {},
    get_bandwidth_stats: { since_hours: 48, account: "demo-owner" },
    get_resource_stats: {},
    empty_trash: { library: "Classic Movies", confirm: true },
    clean_bundles: { confirm: true },
    optimize_database: { confirm: true },
    get_server_logs: { lines: 20, level: "warning" },
    // remote control (opt-in); set_player_streams needs the player to be
    // playing something (see playOnLivingRoomTv)
    get_player_timeline: { client: "Living Room TV" },
    navigate_player: { client: "Living Room TV", action: "down", times: 2 },
    set_player_volume: { client: "Living Room TV", volume: 40 },
    set_player_streams: { client: "Living Room TV", subtitle: "off" },
    // insights (opt-in)
    get_watch_stats: {
      since: "2020-01-01",
      library: "Classic Movies",
      account: "demo-owner",
    },
    get_recommendations: { library: "Classic Movies", count: 5 },
    // insights that talk to plex.tv too (see PLEX_TV_TOOLS)
    get_watchlist: { limit: 10 },
    add_to_watchlist: { ratingKey: movie },
    remove_from_watchlist: { ratingKey: key(lib, "Charade") },
    list_home_users: {},
    // watch (opt-in); where_to_watch talks to plex.tv too (PLEX_TV_TOOLS)
    search_subtitles: { ratingKey: key(lib, "Charade"), language: "en" },
    set_subtitles: { ratingKey: key(lib, "Charade"), subtitle: "off" },
    where_to_watch: { ratingKey: movie },
    diagnose_playback: {},
    // watch (opt-in): The Lantern Coast's season, and its episode 5 in
    // progress
    find_dialogue: { ratingKey: lanternSeason, query: "the lamp never lies" },
    get_story_so_far: {
      ratingKey: lib.items.get(lanternSeason)!.children[4]!,
    },
  };
}

/**
 * Puts the demo library's Living Room TV in the middle of playing Detour,
 * as after play_media: what the remote-control tools need to act on.
 */
export function playOnLivingRoomTv(lib: DemoLibrary): void {
  const tv = lib.clients.find((c) => c.raw.name === "Living Room TV")!;
  tv.playing = key(lib, "Detour");
  tv.state = "playing";
  tv.offsetMs = 600_000;
}

/**
 * The tools a server with one Plex server offers when PLEX_TOOLSETS is
 * unset: every tool of the default toolsets but those for several servers
 * (which tests/mcp/several_servers_test.ts covers).
 */
export const ONE_SERVER_TOOLS: readonly ToolDefinition[] = ALL_TOOLS.filter((
  t,
) => !t.severalServersOnly && DEFAULT_TOOLSETS.includes(t.toolset));

/**
 * The tools of the opt-in toolsets (PLEX_TOOLSETS names them, or `all`):
 * tests/tools/opt_in_toolsets_test.ts runs them through the fault matrix, the
 * echoing Plex, redirects and numeric ids.
 */
/**
 * The tools that talk to plex.tv as well as to Plex (the watchlist, Plex
 * Home, the shares a playlist is copied through): a server over stdio reaches plex.tv only in demo mode, where
 * plex.tv answers in process, so the catalogue-wide tests that run a
 * loopback Plex leave them out of OPT_IN_TOOLS and
 * tests/tools/insights/watchlist_and_home_users_test.ts gives them the same checks with a fake
 * plex.tv.
 */
export const PLEX_TV_TOOLS: readonly string[] = [
  "get_watchlist",
  "add_to_watchlist",
  "remove_from_watchlist",
  "list_home_users",
  "copy_playlist_to_user",
  "where_to_watch",
];

export const OPT_IN_TOOLS: readonly ToolDefinition[] = ALL_TOOLS.filter((t) =>
  !DEFAULT_TOOLSETS.includes(t.toolset) && !PLEX_TV_TOOLS.includes(t.name)
);
