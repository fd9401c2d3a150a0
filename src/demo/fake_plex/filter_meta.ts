/**
 * Fake Plex: what each level of a library advertises to filter on
 * (`/library/sections/{id}/all?includeMeta=1`: `Meta.Type[]` with its
 * `Filter[]`, `Sort[]` and `Field[]`), and the check that refuses a field
 * the level of the query does not advertise.
 *
 * Sources, per library type:
 * - movie: recorded, GET__library_sections_{sectionId}.includeDetails.json
 *   (the same `Type` as GET__library_sections_{sectionId}_all.paged.json's
 *   `Meta`): fields bare (`year`, `unwatched`).
 * - show, season, episode: recorded, LukeHagar/plex-api-spec @ 6c561d8
 *   tests/paths/library/[sectionKey]/get-library-all.spec.ts (test "type=4
 *   …", API.md §26.2): a show's "Unwatched" is `show.unwatchedLeaves`;
 *   `unwatched` is an episode's only; a season advertises nothing.
 * - artist, album, track: no recording; assembled from the field keys
 *   Kometa sends for music libraries (Kometa-Team/Kometa modules/plex.py
 *   `search_translation`): no level has `unwatched`, `actor` or
 *   `director`, and only albums have `year`.
 * - photo: unknown, so nothing is advertised and nothing is checked.
 *
 * What a real server does with a field it does not advertise (ignore it,
 * so a filter selects everything, or 400) is unverified: the fake answers
 * 400, the strict choice. Fields python-plexapi adds by hand because Plex
 * takes them unadvertised (library.py:2775 `_manualFields`) are accepted.
 *
 * @module
 */
import { PLEX_TYPE_NUMBERS } from "../../plex/metadata_types.ts";
import type { RawObject } from "../library.ts";

/** One level's vocabulary: filters (with their value kind), sorts, fields. */
interface Level {
  filters: [string, string][];
  sorts: string[];
  fields: [string, string][];
}

const MOVIE: Level = {
  filters: [
    ["genre", "string"],
    ["year", "integer"],
    ["decade", "integer"],
    ["contentRating", "string"],
    ["collection", "string"],
    ["director", "string"],
    ["actor", "string"],
    ["writer", "string"],
    ["producer", "string"],
    ["country", "string"],
    ["studio", "string"],
    ["resolution", "string"],
    ["hdr", "boolean"],
    ["unwatched", "boolean"],
    ["inProgress", "boolean"],
    ["unmatched", "boolean"],
    ["audioLanguage", "string"],
    ["subtitleLanguage", "string"],
    ["label", "string"],
  ],
  sorts: [
    "titleSort",
    "originallyAvailableAt",
    "rating",
    "audienceRating",
    "duration",
    "addedAt",
    "lastViewedAt",
    "mediaHeight",
    "random",
  ],
  fields: [
    ["title", "string"],
    ["studio", "string"],
    ["userRating", "integer"],
    ["contentRating", "tag"],
    ["year", "integer"],
    ["decade", "integer"],
    ["originallyAvailableAt", "date"],
    ["duration", "integer"],
    ["unmatched", "boolean"],
    ["duplicate", "boolean"],
    ["genre", "tag"],
    ["collection", "tag"],
    ["director", "tag"],
    ["writer", "tag"],
    ["producer", "tag"],
    ["actor", "tag"],
    ["country", "tag"],
    ["addedAt", "date"],
    ["viewCount", "integer"],
    ["lastViewedAt", "date"],
    ["unwatched", "boolean"],
    ["resolution", "resolution"],
    ["hdr", "boolean"],
    ["mediaSize", "integer"],
    ["mediaBitrate", "integer"],
    ["subtitleLanguage", "subtitleLanguage"],
    ["audioLanguage", "audioLanguage"],
    ["inProgress", "boolean"],
    ["trash", "boolean"],
    ["label", "tag"],
  ],
};

const SHOW: Level = {
  filters: [
    ["genre", "string"],
    ["year", "integer"],
    ["contentRating", "string"],
    ["studio", "string"],
    ["network", "string"],
    ["country", "string"],
    ["collection", "string"],
    ["director", "string"],
    ["actor", "string"],
    ["writer", "string"],
    ["producer", "string"],
    ["unwatchedLeaves", "boolean"],
    ["unmatched", "boolean"],
  ],
  sorts: [
    "titleSort",
    "originallyAvailableAt",
    "rating",
    "audienceRating",
    "unviewedLeafCount",
    "episode.addedAt",
    "lastViewedAt",
    "random",
  ],
  fields: [
    ["show.title", "string"],
    ["show.studio", "string"],
    ["show.network", "tag"],
    ["show.country", "tag"],
    ["show.userRating", "integer"],
    ["show.contentRating", "tag"],
    ["show.year", "integer"],
    ["show.viewCount", "integer"],
    ["show.lastViewedAt", "date"],
    ["show.genre", "tag"],
    ["show.collection", "tag"],
    ["show.director", "tag"],
    ["show.writer", "tag"],
    ["show.producer", "tag"],
    ["show.actor", "tag"],
    ["show.addedAt", "date"],
    ["show.unmatched", "boolean"],
    ["show.unwatchedLeaves", "boolean"],
  ],
};

const SEASON: Level = {
  filters: [],
  sorts: ["show.titleSort,index", "random"],
  fields: [],
};

const EPISODE: Level = {
  filters: [
    ["year", "integer"],
    ["collection", "string"],
    ["resolution", "string"],
    ["unwatched", "boolean"],
    ["inProgress", "boolean"],
    ["audioLanguage", "string"],
    ["subtitleLanguage", "string"],
    ["unmatched", "boolean"],
  ],
  sorts: [
    "show.titleSort,season.index:nullsLast,episode.index:nullsLast,episode.originallyAvailableAt:nullsLast,episode.titleSort,episode.id",
    "originallyAvailableAt",
    "rating",
    "audienceRating",
    "addedAt",
    "lastViewedAt",
    "random",
  ],
  fields: [
    ["episode.title", "string"],
    ["episode.addedAt", "date"],
    ["episode.originallyAvailableAt", "date"],
    ["episode.year", "integer"],
    ["episode.userRating", "integer"],
    ["episode.viewCount", "integer"],
    ["episode.lastViewedAt", "date"],
    ["episode.unwatched", "boolean"],
    ["episode.inProgress", "boolean"],
    ["episode.duplicate", "boolean"],
    ["episode.hdr", "boolean"],
    ["episode.resolution", "resolution"],
    ["episode.mediaSize", "integer"],
    ["episode.mediaBitrate", "integer"],
    ["episode.subtitleLanguage", "subtitleLanguage"],
    ["episode.audioLanguage", "audioLanguage"],
    ["episode.trash", "boolean"],
    ["episode.unmatched", "boolean"],
    ["episode.location", "tag"],
  ],
};

/** A music level from Kometa's keys: tags are listed as filters too. */
function music(level: string, fields: [string, string][]): Level {
  return {
    filters: fields.filter(([, kind]) => kind === "tag" || kind === "integer")
      .map(([key, kind]) => [key.slice(level.length + 1), kind]),
    sorts: ["titleSort", "addedAt", "lastViewedAt", "random"],
    fields: fields.map(([key, kind]) => [key, kind]),
  };
}

const ARTIST = music("artist", [
  ["artist.title", "string"],
  ["artist.userRating", "integer"],
  ["artist.genre", "tag"],
  ["artist.collection", "tag"],
  ["artist.country", "tag"],
  ["artist.mood", "tag"],
  ["artist.style", "tag"],
  ["artist.addedAt", "date"],
  ["artist.lastViewedAt", "date"],
  ["artist.unmatched", "boolean"],
  ["artist.label", "tag"],
]);

const ALBUM = music("album", [
  ["album.title", "string"],
  ["album.year", "integer"],
  ["album.decade", "integer"],
  ["album.genre", "tag"],
  ["album.viewCount", "integer"],
  ["album.lastViewedAt", "date"],
  ["album.userRating", "integer"],
  ["album.rating", "integer"],
  ["album.studio", "string"],
  ["album.mood", "tag"],
  ["album.style", "tag"],
  ["album.format", "tag"],
  ["album.subformat", "tag"],
  ["album.collection", "tag"],
  ["album.addedAt", "date"],
  ["album.originallyAvailableAt", "date"],
  ["album.unmatched", "boolean"],
  ["album.source", "tag"],
  ["album.label", "tag"],
]);

const TRACK = music("track", [
  ["track.mood", "tag"],
  ["track.title", "string"],
  ["track.viewCount", "integer"],
  ["track.lastViewedAt", "date"],
  ["track.skipCount", "integer"],
  ["track.lastSkippedAt", "date"],
  ["track.userRating", "integer"],
  ["track.lastRatedAt", "date"],
  ["track.addedAt", "date"],
  ["track.trash", "boolean"],
  ["track.source", "tag"],
  ["track.label", "tag"],
]);

/** The levels of each library type, in the order Plex lists them. */
const LEVELS: Record<string, [string, Level][]> = {
  movie: [["movie", MOVIE]],
  show: [["show", SHOW], ["season", SEASON], ["episode", EPISODE]],
  artist: [["artist", ARTIST], ["album", ALBUM], ["track", TRACK]],
};

/**
 * Fields python-plexapi adds to every level by hand (library.py:2775
 * `_manualFields`; bare for movies, level-prefixed for the rest), with the
 * per-level extras.
 */
const MANUAL: Record<string, string[]> = {
  "*": ["guid", "id", "index", "lastRatedAt", "updatedAt"],
  movie: ["audienceRating", "rating", "viewOffset"],
  show: [
    "audienceRating",
    "originallyAvailableAt",
    "rating",
    "unviewedLeafCount",
  ],
  season: ["addedAt", "unviewedLeafCount", "year", "label"],
  episode: ["audienceRating", "duration", "rating", "viewOffset", "label"],
  artist: ["label"],
  track: ["duration", "viewOffset", "label", "ratingCount"],
};

const TITLES: Record<string, string> = {
  movie: "Movies",
  show: "TV Shows",
  season: "Seasons",
  episode: "Episodes",
  artist: "Artists",
  album: "Albums",
  track: "Tracks",
};

/** Every field name any level advertises (what counts as a filter key). */
const KNOWN = new Set([
  ...Object.values(LEVELS).flatMap((ls) =>
    ls.flatMap(([, l]) => [
      ...l.fields.map(([k]) => k.slice(k.lastIndexOf(".") + 1)),
      ...l.filters.map(([f]) => f),
    ])
  ),
  ...Object.values(MANUAL).flat(),
  "inProgress",
]);

function typeNumber(type: string): number | undefined {
  return (PLEX_TYPE_NUMBERS as Record<string, number>)[type];
}

/**
 * `Meta` of `/library/sections/{id}/all?includeMeta=1` for a library of
 * `sectionType` (undefined for a type the fake knows nothing of), shaped
 * as recorded: one `Type` per level with its filters (each with the key
 * that lists its values), sorts and fields.
 */
export function filterMeta(
  sectionId: number,
  sectionType: string,
): RawObject | undefined {
  const levels = LEVELS[sectionType];
  if (!levels) return undefined;
  const base = `/library/sections/${sectionId}`;
  return {
    Type: levels.map(([type, l]) => ({
      key: `${base}/all?type=${typeNumber(type)}`,
      type,
      title: TITLES[type],
      active: false,
      Filter: l.filters.map(([filter, filterType]) => ({
        filter,
        filterType,
        key: `${base}/${filter}?type=${typeNumber(type)}`,
        title: filter,
        type: "filter",
      })),
      Sort: l.sorts.map((key) => ({
        defaultDirection: key === "titleSort" ? "asc" : "desc",
        descKey: `${key}:desc`,
        key,
        title: key,
      })),
      Field: l.fields.map(([key, type]) => ({ key, title: key, type })),
    })),
  };
}

/**
 * The first filter key of `params` that its level does not advertise, for
 * a query of `resultType` items in a library of `sectionType`; undefined
 * when every one is advertised (or the library type is unknown). A key is
 * `[level.]field[operator]`; a bare one is at the level of the items asked
 * for. Keys that name no Plex field (type, sort, paging…) are not filters.
 */
export function unadvertisedField(
  sectionType: string,
  resultType: string,
  params: URLSearchParams,
): string | undefined {
  const levels = LEVELS[sectionType];
  if (!levels) return undefined;
  for (const key of new Set(params.keys())) {
    const m = /^(?:([a-zA-Z]+)\.)?([a-zA-Z]+)[!<>=&]*$/.exec(key);
    if (!m || !KNOWN.has(m[2]!)) continue;
    const level = m[1] ?? resultType;
    const field = m[2]!;
    const at = levels.find(([type]) => type === level)?.[1];
    if (!at) return key;
    const prefixed = `${level}.${field}`;
    const advertised = at.fields.some(([k]) => k === prefixed || k === field) ||
      (m[1] === undefined && at.filters.some(([f]) => f === field)) ||
      (MANUAL["*"]!.includes(field) || (MANUAL[level] ?? []).includes(field));
    if (!advertised) return key;
  }
  return undefined;
}
