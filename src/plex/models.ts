/**
 * Clean, typed models returned by {@link PlexClient}. Units follow Plex:
 * fields ending in `At` are epoch **seconds**; `duration` and `viewOffset`
 * are **milliseconds**.
 *
 * @module
 */

/** Server identity and capabilities from `GET /`. */
export interface ServerInfo {
  /** Friendly name shown in Plex apps. */
  name: string;
  /** Unique server id; used in `server://` URIs. */
  machineIdentifier: string;
  /** Plex Media Server version. */
  version: string;
  /** Operating system, e.g. `Linux`. */
  platform: string | undefined;
  /** Operating system version. */
  platformVersion: string | undefined;
  /** Whether the server is signed in to plex.tv. */
  myPlex: boolean;
  /** The plex.tv account the server is signed in with. */
  myPlexUsername: string | undefined;
  /** plex.tv sign-in state, e.g. `ok`. */
  myPlexSigninState: string | undefined;
  /** Remote-access mapping state, e.g. `mapped`. */
  myPlexMappingState: string | undefined;
  /** Whether the account has Plex Pass. */
  myPlexSubscription: boolean | undefined;
  /** Video transcodes running now, when the server reports it. */
  transcoderActiveVideoSessions: number | undefined;
  /** Last server settings change, epoch seconds. */
  updatedAt: number | undefined;
}

/** One library section (`Directory` of `/library/sections`). */
export interface Section {
  /** Section id (a numeric string). */
  key: string;
  /** Section title. */
  title: string;
  /** `movie`, `show`, `artist` or `photo`. */
  type: string;
  /** Metadata agent id. */
  agent: string | undefined;
  /** Scanner name. */
  scanner: string | undefined;
  /** Metadata language, e.g. `en-US`. */
  language: string | undefined;
  /** Section UUID. */
  uuid: string | undefined;
  /** Whether a scan runs now. */
  refreshing: boolean;
  /** Whether the section is hidden from home. */
  hidden: boolean;
  /** Creation time, epoch seconds. */
  createdAt: number | undefined;
  /** Last update, epoch seconds. */
  updatedAt: number | undefined;
  /** Last scan, epoch seconds. */
  scannedAt: number | undefined;
  /** Folder paths on the server. */
  locations: string[];
}

/** One stream of a media part. */
export interface MediaStream {
  /** Kind of stream. */
  kind: "video" | "audio" | "subtitle" | "lyrics" | "other";
  /** Codec name. */
  codec: string | undefined;
  /** Language name. */
  language: string | undefined;
  /** ISO 639-2 code. */
  languageCode: string | undefined;
  /** Display title from Plex. */
  title: string | undefined;
  /** Selected for playback. */
  selected: boolean | undefined;
  /** Audio channels. */
  channels: number | undefined;
  /** Bitrate in kbps. */
  bitrate: number | undefined;
}

/** One file of a media version. */
export interface MediaPart {
  /** Part id. */
  id: string | undefined;
  /** File path on the server. */
  file: string | undefined;
  /** Size in bytes. */
  size: number | undefined;
  /** Duration in milliseconds. */
  duration: number | undefined;
  /** Container format. */
  container: string | undefined;
  /** In sessions: `directplay` or `transcode`. */
  decision: string | undefined;
  /** Streams (only on the metadata endpoint and sessions). */
  streams: MediaStream[];
}

/** One version (`Media`) of a playable item. */
export interface MediaVersion {
  /** Media id. */
  id: string | undefined;
  /** Duration in milliseconds. */
  duration: number | undefined;
  /** Bitrate in kbps. */
  bitrate: number | undefined;
  /** Video width in pixels. */
  width: number | undefined;
  /** Video height in pixels. */
  height: number | undefined;
  /** `sd`, `480`, `720`, `1080`, `4k`. */
  videoResolution: string | undefined;
  /** Video codec. */
  videoCodec: string | undefined;
  /** Audio codec. */
  audioCodec: string | undefined;
  /** Audio channels. */
  audioChannels: number | undefined;
  /** Container format. */
  container: string | undefined;
  /** Files. */
  parts: MediaPart[];
}

/** A library item: movie, show, season, episode, artist, album, track, photo, playlist, collection. */
export interface PlexItem {
  /** Item id used by every follow-up call. */
  ratingKey: string;
  /** Plex path of the item. */
  key: string | undefined;
  /** Agent GUID. */
  guid: string | undefined;
  /** Item type, e.g. `movie`. */
  type: string;
  /** Collection subtype, e.g. `movie`. */
  subtype: string | undefined;
  /** Title. */
  title: string;
  /** Original title. */
  originalTitle: string | undefined;
  /** Summary. */
  summary: string | undefined;
  /** Tagline. */
  tagline: string | undefined;
  /** Studio. */
  studio: string | undefined;
  /** Content rating, e.g. `PG`. */
  contentRating: string | undefined;
  /** Release year. */
  year: number | undefined;
  /** Episode/track/season number. */
  index: number | undefined;
  /** Season number (episodes) or disc (tracks). */
  parentIndex: number | undefined;
  /** Season/album ratingKey. */
  parentRatingKey: string | undefined;
  /** Season/album title. */
  parentTitle: string | undefined;
  /** Show/artist ratingKey. */
  grandparentRatingKey: string | undefined;
  /** Show/artist title. */
  grandparentTitle: string | undefined;
  /** Section id. */
  librarySectionID: string | undefined;
  /** Section title. */
  librarySectionTitle: string | undefined;
  /** Duration in milliseconds. */
  duration: number | undefined;
  /** Resume position in milliseconds. */
  viewOffset: number | undefined;
  /** Times watched (0 when Plex omits it). */
  viewCount: number;
  /** Last watched, epoch seconds. */
  lastViewedAt: number | undefined;
  /** Added, epoch seconds. */
  addedAt: number | undefined;
  /** Updated, epoch seconds. */
  updatedAt: number | undefined;
  /** Release date `YYYY-MM-DD`. */
  originallyAvailableAt: string | undefined;
  /** Critic rating 0–10. */
  rating: number | undefined;
  /** Audience rating 0–10. */
  audienceRating: number | undefined;
  /** The user's rating 0–10. */
  userRating: number | undefined;
  /** Episodes/tracks/items below this item. */
  leafCount: number | undefined;
  /** Watched episodes/tracks below this item. */
  viewedLeafCount: number | undefined;
  /** Seasons/albums/children. */
  childCount: number | undefined;
  /** Smart playlist/collection. */
  smart: boolean | undefined;
  /** Playlist kind: `video`, `audio`, `photo`. */
  playlistType: string | undefined;
  /** Id of this entry inside a playlist (for removal). */
  playlistItemID: string | undefined;
  /** Search score. */
  score: number | undefined;
  /** Genres. */
  genres: string[];
  /** Directors. */
  directors: string[];
  /** Writers. */
  writers: string[];
  /** Countries. */
  countries: string[];
  /** Collections the item belongs to. */
  collections: string[];
  /** Cast, billing order. */
  roles: { name: string; role: string | undefined }[];
  /** External ids such as `imdb://tt…`, `tmdb://…`, `tvdb://…`. */
  externalIds: string[];
  /** Media versions. */
  media: MediaVersion[];
  /** Poster path (`/library/metadata/{id}/thumb/{ts}`), when it has one. */
  thumb?: string;
  /** Season's poster (episodes) or album cover (tracks). */
  parentThumb?: string;
  /** Show's poster (episodes) or artist's picture (tracks). */
  grandparentThumb?: string;
  /** Background art path. */
  art?: string;
}

/** The transcode part of a session. */
export interface TranscodeInfo {
  /** `transcode`, `copy` or `burn`. */
  videoDecision: string | undefined;
  /** `transcode` or `copy`. */
  audioDecision: string | undefined;
  /** `transcode`, `copy`, `burn`. */
  subtitleDecision: string | undefined;
  /** Percent done. */
  progress: number | undefined;
  /** Speed relative to real time. */
  speed: number | undefined;
  /** Whether the transcoder is throttled. */
  throttled: boolean | undefined;
}

/** A player as seen in a session. */
export interface SessionPlayer {
  /** Player name. */
  title: string | undefined;
  /** App, e.g. `Plex for Windows`. */
  product: string | undefined;
  /** Platform. */
  platform: string | undefined;
  /** Device. */
  device: string | undefined;
  /** `playing`, `paused`, `buffering`. */
  state: string | undefined;
  /** IP address. */
  address: string | undefined;
  /** Player id. */
  machineIdentifier: string | undefined;
  /** On the local network. */
  local: boolean | undefined;
}

/** One active playback session. */
export interface SessionInfo {
  /** What is playing. */
  item: PlexItem;
  /** Session key. */
  sessionKey: string | undefined;
  /** User name. */
  user: string | undefined;
  /** User id. */
  userId: string | undefined;
  /** The player. */
  player: SessionPlayer | undefined;
  /** Session id (for termination). */
  sessionId: string | undefined;
  /** Bandwidth in kbps. */
  bandwidthKbps: number | undefined;
  /** `lan`, `wan`, `cellular`. */
  location: string | undefined;
  /** Present only while transcoding. */
  transcode: TranscodeInfo | undefined;
}

/** One watch history entry. */
export interface HistoryEntry {
  /** History path. */
  historyKey: string | undefined;
  /** What was watched (may reference a deleted item). */
  item: PlexItem;
  /** When, epoch seconds. */
  viewedAt: number | undefined;
  /** Account id (see `/accounts`). */
  accountID: string | undefined;
  /** Device id. */
  deviceID: string | undefined;
}

/** A player advertising on the LAN (`/clients`). */
export interface PlayerClient {
  /** Name. */
  name: string;
  /** Player id, for playback commands. */
  machineIdentifier: string;
  /** IP address. */
  address: string | undefined;
  /** Port. */
  port: number | undefined;
  /** App. */
  product: string | undefined;
  /** Device class. */
  deviceClass: string | undefined;
  /** App version. */
  version: string | undefined;
  /** Protocol capabilities, e.g. `playback`, `timeline`. */
  capabilities: string[];
}

/** One entry of the server's view of itself (`GET /servers`). */
export interface OwnServer {
  /** The server's id. */
  machineIdentifier: string;
  /** Its `address` and `host`, as reported (distinct, non-empty). */
  addresses: string[];
  /** Port it listens on. */
  port: number | undefined;
}

/** A scheduled maintenance task. */
export interface ButlerTask {
  /** Task name for `POST /butler/{name}`. */
  name: string;
  /** Title. */
  title: string;
  /** Description. */
  description: string | undefined;
  /** Interval in days. */
  intervalDays: number | undefined;
  /** Enabled. */
  enabled: boolean | undefined;
}

/** A server account (`/accounts`). */
export interface PlexAccount {
  /** Account id (history `accountID`). */
  id: string;
  /** Name. */
  name: string;
}

/** A running server activity (`/activities`). */
export interface PlexActivity {
  /** Activity id. */
  uuid: string;
  /** Type, e.g. `library.update.section`. */
  type: string;
  /** Title. */
  title: string;
  /** Subtitle. */
  subtitle: string | undefined;
  /** Percent, −1 when unknown. */
  progress: number | undefined;
  /** Section the activity concerns. */
  librarySectionID: string | undefined;
}

/** One page of a list. */
export interface Page<T> {
  /** Items of this page. */
  items: T[];
  /** All matches, when Plex says. */
  total: number | undefined;
  /** Start of this page. */
  offset: number;
  /**
   * The container's title (`librarySectionTitle`, else `title1`): a
   * library page names its library.
   */
  title?: string | undefined;
}

export type { BytesAnswer } from "../transport/types.ts";
