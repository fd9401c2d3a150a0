/**
 * The built-in demo library: public-domain films, TV, music and photos held
 * in memory with the same field names, types and quirks a real Plex Media
 * Server sends (ratingKeys as strings, section ids as numbers, 0/1 flags,
 * omitted empty arrays, epoch seconds, milliseconds for durations).
 *
 * @module
 */
import {
  PLEX_TYPE_NUMBERS,
  type PlexTypeName,
} from "../plex/metadata_types.ts";
import { addLanternCoast, LANTERN_COAST_SEED } from "./lantern_coast.ts";
import type { DemoSubtitle } from "./subtitle_store.ts";

/** A raw Plex JSON object as the fake server stores and sends it. */
export type RawObject = Record<string, unknown>;

/** One library section of the demo library. */
export interface DemoSection {
  /** Section id. */
  id: number;
  /** Raw `Directory` object. */
  raw: RawObject;
  /** ratingKeys of the section's top-level items, in title order. */
  items: string[];
}

/** An item and its place in the tree. */
export interface DemoItem {
  /** Item id. */
  ratingKey: string;
  /** Owning section id. */
  sectionId: number;
  /** Parent ratingKey (season of an episode, show of a season…). */
  parent: string | undefined;
  /** Child ratingKeys, in index order. */
  children: string[];
  /** The raw `Metadata` object. */
  raw: RawObject;
}

/** A collection: a tag-like grouping of items in one section. */
export interface DemoCollection {
  /** Section id. */
  sectionId: number;
  /** Raw `Metadata` of the collection. */
  raw: RawObject;
  /** Member ratingKeys. */
  members: string[];
}

/** A playlist and its entries. */
export interface DemoPlaylist {
  /** Raw `Metadata` of the playlist (without computed counts). */
  raw: RawObject;
  /** Entries: playlist item id and the item's ratingKey. */
  entries: { id: number; ratingKey: string }[];
}

/** One watch history entry. */
export interface DemoHistory {
  /** History id. */
  id: number;
  /** Item watched. */
  ratingKey: string;
  /** Epoch seconds. */
  viewedAt: number;
  /** Account id. */
  accountID: number;
  /** Device id. */
  deviceID: number;
}

/** A player on the LAN, with what it received. */
export interface DemoClient {
  /** Raw `Server` entry of `/clients`. */
  raw: RawObject;
  /** Whether it accepts remote control. */
  acceptsCommands: boolean;
  /** Commands received, e.g. `playback/pause`, with their query. */
  commands: { command: string; params: Record<string, string> }[];
  /** What the player is doing now. */
  state: "stopped" | "playing" | "paused";
  /** ratingKey being played. */
  playing: string | undefined;
  /**
   * Which version (`Media[]` index) of it: a player picks one by its own
   * rules; the fake's players the last of several (see routes_playback).
   */
  media?: number;
  /** Position in ms. */
  offsetMs: number;
}

/** A server activity (e.g. a library scan). */
export interface DemoActivity {
  /** Activity id. */
  uuid: string;
  /** Type. */
  type: string;
  /** Title. */
  title: string;
  /** Percent. */
  progress: number;
  /** Section concerned. */
  sectionId: number;
  /** `/activities` polls before it shows (Plex takes a moment to list it). */
  hiddenPolls?: number;
  /** Activity it waits for: a scan queued behind another section's. */
  after?: string;
}

/** The whole in-memory library. */
export interface DemoLibrary {
  /** Server name. */
  name: string;
  /** Server machine identifier. */
  machineIdentifier: string;
  /** Server version. */
  version: string;
  /** Sections by id. */
  sections: Map<number, DemoSection>;
  /** Items by ratingKey. */
  items: Map<string, DemoItem>;
  /** Next free ratingKey. */
  nextKey: number;
  /** Collections by ratingKey. */
  collections: Map<string, DemoCollection>;
  /** Playlists by ratingKey. */
  playlists: Map<string, DemoPlaylist>;
  /** Next free playlist item id. */
  nextPlaylistItemId: number;
  /** Watch history, oldest first. */
  history: DemoHistory[];
  /** Active playback sessions (raw session `Metadata`). */
  sessions: RawObject[];
  /** Players on the LAN. */
  clients: DemoClient[];
  /** Server accounts. */
  accounts: { id: number; name: string }[];
  /** Butler tasks and whether each runs now. */
  butler: { raw: RawObject; running: boolean; polls: number }[];
  /** Running activities. */
  activities: Map<string, DemoActivity>;
  /** Subtitle streams by stream id (see subtitle_store.ts). */
  subtitles?: Map<string, DemoSubtitle>;
}

/** A fixed "now" for the seed data, so demo output is stable. */
export const DEMO_EPOCH = 1_763_000_000;

interface MovieSeed {
  title: string;
  year: number;
  minutes: number;
  genres: string[];
  director: string;
  cast: [string, string][];
  summary: string;
  imdb: string;
  rating: number;
  contentRating?: string;
  watched?: boolean;
  offsetMinutes?: number;
  collection?: string;
}

const CLASSIC_MOVIES: MovieSeed[] = [
  {
    title: "Night of the Living Dead",
    year: 1968,
    minutes: 96,
    genres: ["Horror", "Thriller"],
    director: "George A. Romero",
    cast: [["Duane Jones", "Ben"], ["Judith O'Dea", "Barbra"], [
      "Karl Hardman",
      "Harry Cooper",
    ]],
    summary:
      "A group of strangers barricade themselves in a farmhouse while the recently dead rise outside.",
    imdb: "tt0063350",
    rating: 7.8,
    contentRating: "Not Rated",
    watched: true,
    collection: "Horror Classics",
  },
  {
    title: "His Girl Friday",
    year: 1940,
    minutes: 92,
    genres: ["Comedy", "Romance"],
    director: "Howard Hawks",
    cast: [["Cary Grant", "Walter Burns"], [
      "Rosalind Russell",
      "Hildy Johnson",
    ], ["Ralph Bellamy", "Bruce Baldwin"]],
    summary:
      "A newspaper editor uses every trick he knows to keep his ex-wife, his best reporter, from remarrying.",
    imdb: "tt0032599",
    rating: 7.8,
    contentRating: "Passed",
    offsetMinutes: 41,
  },
  {
    title: "Charade",
    year: 1963,
    minutes: 113,
    genres: ["Comedy", "Mystery", "Romance"],
    director: "Stanley Donen",
    cast: [
      ["Cary Grant", "Peter Joshua"],
      ["Audrey Hepburn", "Regina Lampert"],
      [
        "Walter Matthau",
        "Hamilton Bartholomew",
      ],
    ],
    summary:
      "A widow is pursued through Paris by men who want the fortune her husband stole.",
    imdb: "tt0056923",
    rating: 7.8,
    contentRating: "Approved",
  },
  {
    title: "Detour",
    year: 1945,
    minutes: 68,
    genres: ["Crime", "Film-Noir"],
    director: "Edgar G. Ulmer",
    cast: [["Tom Neal", "Al Roberts"], ["Ann Savage", "Vera"]],
    summary:
      "A hitchhiking pianist's trip to Los Angeles turns into a nightmare of chance and blackmail.",
    imdb: "tt0037638",
    rating: 7.2,
    contentRating: "Approved",
  },
  {
    title: "D.O.A.",
    year: 1949,
    minutes: 83,
    genres: ["Crime", "Film-Noir", "Thriller"],
    director: "Rudolph Maté",
    cast: [["Edmond O'Brien", "Frank Bigelow"], [
      "Pamela Britton",
      "Paula Gibson",
    ]],
    summary:
      "Poisoned and with days to live, an accountant races to find out who murdered him.",
    imdb: "tt0042369",
    rating: 7.2,
    contentRating: "Approved",
  },
  {
    title: "The Little Shop of Horrors",
    year: 1960,
    minutes: 72,
    genres: ["Comedy", "Horror"],
    director: "Roger Corman",
    cast: [["Jonathan Haze", "Seymour Krelboyne"], [
      "Jackie Joseph",
      "Audrey Fulquard",
    ], ["Jack Nicholson", "Wilbur Force"]],
    summary:
      "A florist's clumsy assistant raises a plant that feeds on human blood.",
    imdb: "tt0054033",
    rating: 6.2,
    contentRating: "Not Rated",
    collection: "Horror Classics",
  },
  {
    title: "Carnival of Souls",
    year: 1962,
    minutes: 78,
    genres: ["Horror", "Mystery"],
    director: "Herk Harvey",
    cast: [["Candace Hilligoss", "Mary Henry"], [
      "Sidney Berger",
      "John Linden",
    ]],
    summary:
      "After surviving a car accident, a church organist is drawn to an abandoned carnival pavilion.",
    imdb: "tt0055830",
    rating: 7.0,
    contentRating: "Not Rated",
    collection: "Horror Classics",
  },
  {
    title: "Plan 9 from Outer Space",
    year: 1957,
    minutes: 79,
    genres: ["Horror", "Science Fiction"],
    director: "Ed Wood",
    cast: [["Gregory Walcott", "Jeff Trent"], ["Mona McKinnon", "Paula Trent"]],
    summary:
      "Aliens resurrect the dead of Earth to stop humanity building a doomsday weapon.",
    imdb: "tt0052077",
    rating: 4.0,
    contentRating: "Not Rated",
  },
];

const SILENT_MOVIES: MovieSeed[] = [
  {
    title: "Nosferatu",
    year: 1922,
    minutes: 94,
    genres: ["Fantasy", "Horror"],
    director: "F. W. Murnau",
    cast: [["Max Schreck", "Count Orlok"], ["Gustav von Wangenheim", "Hutter"]],
    summary:
      "Vampire Count Orlok takes an interest in a real-estate agent's wife and brings plague to her town.",
    imdb: "tt0013442",
    rating: 7.9,
    contentRating: "Not Rated",
    collection: "Horror Classics",
  },
  {
    title: "The General",
    year: 1926,
    minutes: 78,
    genres: ["Action", "Adventure", "Comedy"],
    director: "Buster Keaton",
    cast: [["Buster Keaton", "Johnnie Gray"], ["Marion Mack", "Annabelle Lee"]],
    summary:
      "A train engineer single-handedly chases Union spies who stole his locomotive.",
    imdb: "tt0017925",
    rating: 8.1,
    contentRating: "Passed",
    watched: true,
  },
  {
    title: "Sherlock Jr.",
    year: 1924,
    minutes: 45,
    genres: ["Action", "Comedy"],
    director: "Buster Keaton",
    cast: [["Buster Keaton", "Projectionist"], ["Kathryn McGuire", "The Girl"]],
    summary:
      "A film projectionist dreams himself into the detective movie he is showing.",
    imdb: "tt0015324",
    rating: 8.2,
    contentRating: "Passed",
  },
  {
    title: "Safety Last!",
    year: 1923,
    minutes: 70,
    genres: ["Comedy", "Thriller"],
    director: "Fred C. Newmeyer",
    cast: [["Harold Lloyd", "The Boy"], ["Mildred Davis", "The Girl"]],
    summary:
      "A small-town boy in the big city climbs a department store to win a prize.",
    imdb: "tt0014429",
    rating: 8.1,
    contentRating: "Passed",
  },
  {
    title: "The Cabinet of Dr. Caligari",
    year: 1920,
    minutes: 76,
    genres: ["Horror", "Mystery"],
    director: "Robert Wiene",
    cast: [["Werner Krauss", "Dr. Caligari"], ["Conrad Veidt", "Cesare"]],
    summary:
      "A hypnotist uses a somnambulist to commit murders in a German mountain village.",
    imdb: "tt0010323",
    rating: 8.0,
    contentRating: "Not Rated",
  },
  {
    title: "The Kid",
    year: 1921,
    minutes: 68,
    genres: ["Comedy", "Drama"],
    director: "Charlie Chaplin",
    cast: [["Charlie Chaplin", "A Tramp"], ["Jackie Coogan", "The Child"]],
    summary: "The Tramp raises an abandoned child he finds in an alley.",
    imdb: "tt0012349",
    rating: 8.2,
    contentRating: "Passed",
  },
];

interface ShowSeed {
  title: string;
  year: number;
  studio: string;
  genres: string[];
  summary: string;
  tvdb: string;
  episodeMinutes: number;
  seasons: string[][];
  watchedEpisodes?: number;
}

const SHOWS: ShowSeed[] = [
  {
    title: "Sherlock Holmes",
    year: 1954,
    studio: "Guild Films",
    genres: ["Crime", "Mystery"],
    summary:
      "Holmes and Watson solve cases in Victorian London in this Paris-filmed series.",
    tvdb: "73911",
    episodeMinutes: 26,
    seasons: [[
      "The Case of the Cunningham Heritage",
      "The Case of Lady Beryl",
      "The Case of the Pennsylvania Gun",
      "The Case of the Texas Cowgirl",
      "The Case of the Belligerent Ghost",
      "The Case of the Shy Ballerina",
    ]],
    watchedEpisodes: 2,
  },
  {
    title: "Flash Gordon",
    year: 1954,
    studio: "Inter-Video",
    genres: ["Science Fiction", "Adventure"],
    summary:
      "Flash Gordon, Dale Arden and Dr. Zarkov patrol the galaxy for the Galactic Bureau of Investigation.",
    tvdb: "76547",
    episodeMinutes: 26,
    seasons: [[
      "The Planet of Death",
      "The Brain Machine",
      "Akim the Terrible",
      "The Lure of Light",
    ], ["Saboteurs from Space", "The Claim Jumpers", "Deadline at Noon"]],
  },
  {
    title: "One Step Beyond",
    year: 1959,
    studio: "ABC",
    genres: ["Drama", "Mystery"],
    summary: "Dramatisations of reportedly true paranormal events.",
    tvdb: "76431",
    episodeMinutes: 25,
    seasons: [["The Bride Possessed", "Night of April 14th", "Emergency Only"]],
  },
];

const CARTOONS: ShowSeed[] = [
  {
    title: "Superman",
    year: 1941,
    studio: "Fleischer Studios",
    genres: ["Animation", "Action"],
    summary:
      "The Fleischer and Famous Studios theatrical cartoons of the Man of Steel.",
    tvdb: "77906",
    episodeMinutes: 9,
    seasons: [[
      "Superman",
      "The Mechanical Monsters",
      "Billion Dollar Limited",
      "The Arctic Giant",
    ], ["Terror on the Midway", "Japoteurs"]],
    watchedEpisodes: 1,
  },
  {
    title: "Popeye the Sailor Specials",
    year: 1936,
    studio: "Fleischer Studios",
    genres: ["Animation", "Comedy"],
    summary: "Two-reel Technicolor Popeye specials.",
    tvdb: "79012",
    episodeMinutes: 17,
    seasons: [[
      "Popeye the Sailor Meets Sindbad the Sailor",
      "Popeye the Sailor Meets Ali Baba's Forty Thieves",
      "Aladdin and His Wonderful Lamp",
    ]],
  },
];

interface MusicSeed {
  artist: string;
  genres: string[];
  albums: { title: string; year: number; tracks: [string, number][] }[];
}

const MUSIC: MusicSeed[] = [
  {
    artist: "Scott Joplin",
    genres: ["Ragtime"],
    albums: [{
      title: "Piano Rolls",
      year: 1916,
      tracks: [["Maple Leaf Rag", 192], ["The Entertainer", 223], [
        "Elite Syncopations",
        201,
      ], ["Weeping Willow", 185]],
    }],
  },
  {
    artist: "Bessie Smith",
    genres: ["Blues"],
    albums: [{
      title: "Downhearted Blues",
      year: 1923,
      tracks: [["Downhearted Blues", 206], ["Gulf Coast Blues", 187], [
        "Aggravatin' Papa",
        190,
      ]],
    }],
  },
  {
    artist: "Enrico Caruso",
    genres: ["Opera"],
    albums: [{
      title: "Victor Recordings 1904-1920",
      year: 1920,
      tracks: [["Vesti la giubba", 222], ["Una furtiva lagrima", 201], [
        "O sole mio",
        196,
      ]],
    }, {
      title: "Neapolitan Songs",
      year: 1919,
      tracks: [["Santa Lucia", 188], ["Funiculì, Funiculà", 176]],
    }],
  },
];

const PHOTOS: [string, string][] = [
  ["Earthrise", "1968-12-24"],
  ["Buzz Aldrin on the Moon", "1969-07-20"],
  ["The Blue Marble", "1972-12-07"],
  ["Pale Blue Dot", "1990-02-14"],
];

/** Numeric Plex metadata type of a type name. */
export function typeNumber(type: string): number | undefined {
  return Object.hasOwn(PLEX_TYPE_NUMBERS, type)
    ? PLEX_TYPE_NUMBERS[type as PlexTypeName]
    : undefined;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Builds a library from scratch. Exposed so tests get a fresh one each time. */
export class LibraryBuilder {
  /** The library under construction. */
  readonly library: DemoLibrary;

  /** Starts an empty library. */
  constructor(name = "Plex Demo Server") {
    this.library = {
      name,
      machineIdentifier: "d3m0c0ffee0000000000000000000000000000a1",
      version: "1.41.3.9314-a0bfb8370",
      sections: new Map(),
      items: new Map(),
      nextKey: 1000,
      collections: new Map(),
      playlists: new Map(),
      nextPlaylistItemId: 5000,
      history: [],
      sessions: [],
      clients: [],
      accounts: [],
      butler: [],
      activities: new Map(),
    };
  }

  /** Adds a section and returns its id. */
  section(
    title: string,
    type: "movie" | "show" | "artist" | "photo",
    agent: string,
    scanner: string,
  ): number {
    const id = this.library.sections.size + 1;
    const created = DEMO_EPOCH - 86_400 * 400 + id * 3600;
    this.library.sections.set(id, {
      id,
      items: [],
      raw: {
        allowSync: true,
        art: `/:/resources/${type}-fanart.jpg`,
        composite: `/library/sections/${id}/composite/${DEMO_EPOCH}`,
        filters: true,
        refreshing: false,
        thumb: `/:/resources/${type}.png`,
        key: String(id),
        type,
        title,
        agent,
        scanner,
        language: "en-US",
        uuid: `${hex(id, 8)}-d3m0-4000-8000-${hex(id * 7919, 12)}`,
        updatedAt: DEMO_EPOCH - 3600 * id,
        createdAt: created,
        scannedAt: DEMO_EPOCH - 600 * id,
        content: true,
        directory: true,
        contentChangedAt: 1000 + id,
        hidden: 0,
        Location: [{ id, path: `/data/${slug(title)}` }],
      },
    });
    return id;
  }

  /** Adds an item under a section (and optionally a parent) and returns its ratingKey. */
  add(sectionId: number, parent: string | undefined, raw: RawObject): string {
    const lib = this.library;
    const ratingKey = String(lib.nextKey++);
    const section = lib.sections.get(sectionId);
    if (!section) throw new RangeError(`No demo section ${sectionId}`);
    const full: RawObject = {
      ratingKey,
      key: `/library/metadata/${ratingKey}`,
      ...raw,
      librarySectionTitle: section.raw.title,
      librarySectionID: sectionId,
      librarySectionKey: `/library/sections/${sectionId}`,
    };
    lib.items.set(ratingKey, {
      ratingKey,
      sectionId,
      parent,
      children: [],
      raw: full,
    });
    if (parent) lib.items.get(parent)?.children.push(ratingKey);
    else section.items.push(ratingKey);
    return ratingKey;
  }

  /** Adds a movie with one 1080p file. */
  movie(sectionId: number, seed: MovieSeed, index: number): string {
    const duration = seed.minutes * 60_000;
    const added = DEMO_EPOCH - 86_400 * (30 + index * 9);
    const raw: RawObject = {
      guid: `plex://movie/5d7768${hex(index + sectionId * 100, 18)}`,
      slug: slug(seed.title),
      type: "movie",
      title: seed.title,
      contentRating: seed.contentRating,
      summary: seed.summary,
      rating: seed.rating,
      audienceRating: Math.min(10, seed.rating + 0.3),
      year: seed.year,
      thumb: `/library/metadata/{rk}/thumb/${added}`,
      duration,
      originallyAvailableAt: `${seed.year}-01-01`,
      addedAt: added,
      updatedAt: added + 60,
      hasPremiumPrimaryExtra: "1",
      Media: [{
        id: this.library.nextKey * 10,
        duration,
        bitrate: 4200,
        width: 1440,
        height: 1080,
        aspectRatio: 1.33,
        audioChannels: 2,
        audioCodec: "aac",
        videoCodec: "h264",
        videoResolution: "1080",
        container: "mkv",
        videoFrameRate: "24p",
        optimizedForStreaming: 1,
        Part: [{
          id: this.library.nextKey * 10 + 1,
          key: `/library/parts/${
            this.library.nextKey * 10 + 1
          }/${added}/file.mkv`,
          duration,
          file: `/data/movies/${seed.title} (${seed.year}).mkv`,
          size: Math.round(duration * 525),
          container: "mkv",
        }],
      }],
      Genre: seed.genres.map((tag) => ({ tag })),
      Director: [{ tag: seed.director }],
      Country: [{ tag: "United States of America" }],
      Role: seed.cast.map(([tag, role]) => ({ tag, role })),
      Guid: [{ id: `imdb://${seed.imdb}` }, { id: `tmdb://${index + 900}` }],
    };
    if (seed.collection) raw.Collection = [{ tag: seed.collection }];
    if (seed.watched) {
      raw.viewCount = 1;
      raw.lastViewedAt = DEMO_EPOCH - 86_400 * 3;
    }
    if (seed.offsetMinutes) {
      raw.viewOffset = seed.offsetMinutes * 60_000;
      raw.lastViewedAt = DEMO_EPOCH - 3600 * 5;
    }
    const rk = this.add(sectionId, undefined, raw);
    fixThumb(this.library, rk);
    return rk;
  }

  /** Adds a show with its seasons and episodes. */
  show(sectionId: number, seed: ShowSeed, index: number): string {
    const added = DEMO_EPOCH - 86_400 * (20 + index * 11);
    const episodeCount = seed.seasons.reduce((n, s) => n + s.length, 0);
    const showKey = this.add(sectionId, undefined, {
      guid: `plex://show/5d9c08${hex(index, 18)}`,
      type: "show",
      title: seed.title,
      studio: seed.studio,
      summary: seed.summary,
      year: seed.year,
      index: 1,
      rating: 7.1,
      leafCount: episodeCount,
      viewedLeafCount: Math.min(seed.watchedEpisodes ?? 0, episodeCount),
      childCount: seed.seasons.length,
      addedAt: added,
      updatedAt: added,
      originallyAvailableAt: `${seed.year}-10-18`,
      Genre: seed.genres.map((tag) => ({ tag })),
      Guid: [{ id: `tvdb://${seed.tvdb}` }],
    });
    const show = this.library.items.get(showKey)!;
    show.raw.key = `/library/metadata/${showKey}/children`;
    let watchedLeft = seed.watchedEpisodes ?? 0;
    seed.seasons.forEach((episodes, s) => {
      const seasonKey = this.add(sectionId, showKey, {
        parentRatingKey: showKey,
        guid: `plex://season/602e6${hex(index * 10 + s, 19)}`,
        type: "season",
        title: `Season ${s + 1}`,
        parentTitle: seed.title,
        index: s + 1,
        parentIndex: 1,
        leafCount: episodes.length,
        viewedLeafCount: Math.min(watchedLeft, episodes.length),
        addedAt: added,
        updatedAt: added,
      });
      this.library.items.get(seasonKey)!.raw.key =
        `/library/metadata/${seasonKey}/children`;
      episodes.forEach((title, e) => {
        const duration = seed.episodeMinutes * 60_000;
        const raw: RawObject = {
          parentRatingKey: seasonKey,
          grandparentRatingKey: showKey,
          guid: `plex://episode/5d9c1${hex(index * 1000 + s * 100 + e, 19)}`,
          type: "episode",
          title,
          grandparentTitle: seed.title,
          parentTitle: `Season ${s + 1}`,
          contentRating: "TV-PG",
          summary: `${seed.title}, season ${s + 1} episode ${e + 1}.`,
          index: e + 1,
          parentIndex: s + 1,
          year: seed.year + s,
          duration,
          originallyAvailableAt: `${seed.year + s}-${
            String(e + 1).padStart(2, "0")
          }-05`,
          addedAt: added + e * 60,
          updatedAt: added + e * 60,
          Media: [{
            id: this.library.nextKey * 10,
            duration,
            bitrate: 1800,
            width: 720,
            height: 540,
            audioChannels: 1,
            audioCodec: "mp3",
            videoCodec: "mpeg4",
            videoResolution: "sd",
            container: "avi",
            Part: [{
              id: this.library.nextKey * 10 + 1,
              duration,
              file: `/data/tv/${seed.title}/Season ${s + 1}/${title}.avi`,
              size: duration * 225,
              container: "avi",
            }],
          }],
          Director: [{ tag: "Steve Previn" }],
        };
        if (watchedLeft > 0) {
          raw.viewCount = 1;
          raw.lastViewedAt = DEMO_EPOCH - 86_400 * (10 - e);
          watchedLeft--;
        }
        this.add(sectionId, seasonKey, raw);
      });
    });
    return showKey;
  }

  /** Adds an artist with albums and tracks. */
  artist(sectionId: number, seed: MusicSeed, index: number): string {
    const added = DEMO_EPOCH - 86_400 * (60 + index * 5);
    const artistKey = this.add(sectionId, undefined, {
      guid: `plex://artist/5d07bb${hex(index, 18)}`,
      type: "artist",
      title: seed.artist,
      summary: `Public-domain recordings by ${seed.artist}.`,
      index: 1,
      childCount: seed.albums.length,
      addedAt: added,
      updatedAt: added,
      Genre: seed.genres.map((tag) => ({ tag })),
    });
    this.library.items.get(artistKey)!.raw.key =
      `/library/metadata/${artistKey}/children`;
    seed.albums.forEach((album, a) => {
      const albumKey = this.add(sectionId, artistKey, {
        parentRatingKey: artistKey,
        guid: `plex://album/5d07c0${hex(index * 10 + a, 18)}`,
        type: "album",
        title: album.title,
        parentTitle: seed.artist,
        year: album.year,
        index: 1,
        leafCount: album.tracks.length,
        originallyAvailableAt: `${album.year}-01-01`,
        addedAt: added,
        updatedAt: added,
        Genre: seed.genres.map((tag) => ({ tag })),
      });
      this.library.items.get(albumKey)!.raw.key =
        `/library/metadata/${albumKey}/children`;
      album.tracks.forEach(([title, seconds], t) => {
        this.add(sectionId, albumKey, {
          parentRatingKey: albumKey,
          grandparentRatingKey: artistKey,
          guid: `plex://track/65358${hex(index * 100 + a * 10 + t, 19)}`,
          type: "track",
          title,
          grandparentTitle: seed.artist,
          parentTitle: album.title,
          index: t + 1,
          parentIndex: 1,
          parentYear: album.year,
          duration: seconds * 1000,
          addedAt: added,
          updatedAt: added,
          Media: [{
            id: this.library.nextKey * 10,
            duration: seconds * 1000,
            bitrate: 320,
            audioChannels: 2,
            audioCodec: "mp3",
            container: "mp3",
            Part: [{
              id: this.library.nextKey * 10 + 1,
              duration: seconds * 1000,
              file: `/data/music/${seed.artist}/${album.title}/${
                String(t + 1).padStart(2, "0")
              } ${title}.mp3`,
              size: seconds * 40_000,
              container: "mp3",
              hasThumbnail: "1",
            }],
          }],
        });
      });
    });
    return artistKey;
  }

  /** Adds a photo. */
  photo(sectionId: number, title: string, date: string): string {
    const year = Number(date.slice(0, 4));
    return this.add(sectionId, undefined, {
      guid: `local://${this.library.nextKey}`,
      type: "photo",
      title,
      year,
      originallyAvailableAt: date,
      addedAt: DEMO_EPOCH - 86_400 * 90,
      updatedAt: DEMO_EPOCH - 86_400 * 90,
      Media: [{
        id: this.library.nextKey * 10,
        width: 4000,
        height: 4000,
        aspectRatio: 1,
        container: "jpeg",
        Part: [{
          id: this.library.nextKey * 10 + 1,
          file: `/data/photos/${slug(title)}.jpg`,
          size: 2_400_000,
          container: "jpeg",
        }],
      }],
    });
  }
}

function fixThumb(lib: DemoLibrary, rk: string): void {
  const item = lib.items.get(rk);
  if (item && typeof item.raw.thumb === "string") {
    item.raw.thumb = item.raw.thumb.replace("{rk}", rk);
  }
}

/** Creates the standard demo library (a fresh copy on every call). */
export function createDemoLibrary(): DemoLibrary {
  const b = new LibraryBuilder();
  const classics = b.section(
    "Classic Movies",
    "movie",
    "tv.plex.agents.movie",
    "Plex Movie",
  );
  const silents = b.section(
    "Silent Films",
    "movie",
    "tv.plex.agents.movie",
    "Plex Movie",
  );
  const tv = b.section(
    "TV Shows",
    "show",
    "tv.plex.agents.series",
    "Plex TV Series",
  );
  const cartoons = b.section(
    "Cartoons",
    "show",
    "tv.plex.agents.series",
    "Plex TV Series",
  );
  const music = b.section(
    "Music",
    "artist",
    "tv.plex.agents.music",
    "Plex Music",
  );
  const photos = b.section(
    "Photos",
    "photo",
    "com.plexapp.agents.none",
    "Plex Photo Scanner",
  );
  CLASSIC_MOVIES.forEach((m, i) => b.movie(classics, m, i));
  SILENT_MOVIES.forEach((m, i) => b.movie(silents, m, i + 20));
  SHOWS.forEach((s, i) => b.show(tv, s, i));
  CARTOONS.forEach((s, i) => b.show(cartoons, s, i + 10));
  MUSIC.forEach((m, i) => b.artist(music, m, i));
  PHOTOS.forEach(([title, date]) => b.photo(photos, title, date));
  sortSections(b.library);
  seedCollections(b.library);
  seedActivity(b.library);
  // Added last, so that every other item keeps its ratingKey.
  addLanternCoast(b.library, b.show(tv, LANTERN_COAST_SEED, 3));
  sortSections(b.library);
  return b.library;
}

/** Sorts each section's top-level items by title, as Plex's default sort. */
export function sortSections(lib: DemoLibrary): void {
  for (const section of lib.sections.values()) {
    section.items.sort((a, b) =>
      titleSort(lib.items.get(a)!.raw).localeCompare(
        titleSort(lib.items.get(b)!.raw),
      )
    );
  }
}

/**
 * Plex's sort title: the one set on the item (`titleSort`, sent when it
 * differs from the title), else the title without a leading article.
 */
export function titleSort(raw: RawObject): string {
  if (typeof raw.titleSort === "string" && raw.titleSort) return raw.titleSort;
  return String(raw.title ?? "").replace(/^(the|a|an)\s+/i, "");
}

/** Builds collections from the items' `Collection` tags. */
export function seedCollections(lib: DemoLibrary): void {
  const byName = new Map<string, { sectionId: number; members: string[] }>();
  for (const item of lib.items.values()) {
    for (
      const c of (item.raw.Collection as { tag: string }[] | undefined) ?? []
    ) {
      const key = `${item.sectionId}:${c.tag}`;
      const entry = byName.get(key) ??
        { sectionId: item.sectionId, members: [] };
      entry.members.push(item.ratingKey);
      byName.set(key, entry);
    }
  }
  for (const [key, { sectionId, members }] of byName) {
    const rk = String(lib.nextKey++);
    const title = key.slice(key.indexOf(":") + 1);
    const section = lib.sections.get(sectionId)!;
    lib.collections.set(rk, {
      sectionId,
      members,
      raw: {
        ratingKey: rk,
        key: `/library/collections/${rk}/children`,
        guid: `collection://${hex(Number(rk), 32)}`,
        type: "collection",
        title,
        subtype: section.raw.type,
        summary: `${title} from the demo library.`,
        librarySectionID: sectionId,
        librarySectionTitle: section.raw.title,
        librarySectionKey: `/library/sections/${sectionId}`,
        childCount: String(members.length),
        smart: "0",
        addedAt: DEMO_EPOCH - 86_400 * 7,
        updatedAt: DEMO_EPOCH - 86_400 * 7,
      },
    });
  }
}

function findByTitle(lib: DemoLibrary, title: string): DemoItem {
  for (const item of lib.items.values()) {
    if (item.raw.title === title) return item;
  }
  throw new RangeError(`No demo item titled ${title}`);
}

/** Seeds accounts, history, sessions, players, a playlist and butler tasks. */
export function seedActivity(lib: DemoLibrary): void {
  lib.accounts = [
    { id: 0, name: "" },
    { id: 1, name: "demo-owner" },
    { id: 2, name: "Alex" },
    { id: 3, name: "Sam" },
  ];
  let historyId = 1;
  const watched = [...lib.items.values()].filter((i) => i.raw.viewCount);
  for (const item of watched) {
    lib.history.push({
      id: historyId++,
      ratingKey: item.ratingKey,
      viewedAt: Number(item.raw.lastViewedAt ?? DEMO_EPOCH - 86_400),
      accountID: 1,
      deviceID: 1,
    });
  }
  // Alex has watched some music.
  const tracks = [...lib.items.values()].filter((i) => i.raw.type === "track")
    .slice(0, 5);
  tracks.forEach((t, n) =>
    lib.history.push({
      id: historyId++,
      ratingKey: t.ratingKey,
      viewedAt: DEMO_EPOCH - 86_400 * 2 + n * 200,
      accountID: 2,
      deviceID: 2,
    })
  );
  lib.history.sort((a, b) => a.viewedAt - b.viewedAt);

  lib.clients = [
    {
      raw: {
        name: "Living Room TV",
        host: "127.0.0.1",
        address: "127.0.0.1",
        port: 32500,
        machineIdentifier: "demo-living-room-tv",
        version: "8.30.1",
        protocol: "plex",
        product: "Plex for Android (TV)",
        deviceClass: "stb",
        protocolVersion: 1,
        protocolCapabilities: "timeline,playback,navigation,playqueues",
      },
      acceptsCommands: true,
      commands: [],
      state: "stopped",
      playing: undefined,
      offsetMs: 0,
    },
    {
      raw: {
        name: "Kitchen iPad",
        host: "127.0.0.1",
        address: "127.0.0.1",
        port: 32501,
        machineIdentifier: "demo-kitchen-ipad",
        version: "8.17",
        protocol: "plex",
        product: "Plex for iOS",
        deviceClass: "tablet",
        protocolVersion: 2,
        protocolCapabilities: "timeline,playqueues",
      },
      acceptsCommands: false,
      commands: [],
      state: "stopped",
      playing: undefined,
      offsetMs: 0,
    },
  ];

  const charade = findByTitle(lib, "Charade");
  const charadeMedia = (charade.raw.Media as RawObject[])[0]!;
  const charadePart = (charadeMedia.Part as RawObject[])[0]!;
  const track = tracks[1] ?? tracks[0]!;
  lib.sessions = [
    {
      ...charade.raw,
      sessionKey: "41",
      viewOffset: 2_460_000,
      User: { id: "2", title: "Alex", thumb: "" },
      // A remote player (API.md §7: `local`, `Session.location` wan)
      // watching a 1080p file scaled to 720p with image subtitles burned
      // in, the transcoder slower than real time: what diagnose_playback
      // explains. The session's `Media` is the played rendition, with each
      // stream's `decision` (API.md §7; the recorded GET__status_sessions
      // carries `Part.decision`, `Stream.location`); the TranscodeSession
      // fields are the recorded GET__transcode_sessions.json's.
      Media: [{
        id: String(charadeMedia.id),
        videoResolution: "720",
        videoCodec: "h264",
        audioCodec: "aac",
        audioChannels: 2,
        bitrate: 4400,
        container: "mpegts",
        width: 1280,
        height: 720,
        selected: true,
        Part: [{
          id: String(charadePart.id),
          container: "mpegts",
          decision: "transcode",
          selected: true,
          Stream: [
            {
              id: String(Number(charadePart.id) * 10),
              streamType: 1,
              codec: "h264",
              width: 1280,
              height: 720,
              decision: "transcode",
              location: "segments-video",
            },
            {
              id: String(Number(charadePart.id) * 10 + 1),
              streamType: 2,
              codec: "aac",
              channels: 2,
              language: "English",
              decision: "copy",
              location: "segments-audio",
            },
            {
              // The demo's French image track (fake_plex/routes/watch.ts).
              id: String(Number(charadePart.id) * 10 + 3),
              streamType: 3,
              codec: "pgs",
              language: "French",
              displayTitle: "French (PGS)",
              decision: "burn",
              location: "segments-video",
            },
          ],
        }],
      }],
      Player: {
        address: "192.0.2.10",
        machineIdentifier: "demo-bedroom-roku",
        platform: "Roku",
        product: "Plex for Roku",
        state: "playing",
        title: "Bedroom Roku",
        local: false,
        relayed: false,
        secure: true,
        userID: 2,
      },
      Session: { id: "demo-session-41", bandwidth: 4600, location: "wan" },
      TranscodeSession: {
        key: "/transcode/sessions/demo41",
        throttled: false,
        complete: false,
        progress: 38.5,
        speed: 0.8,
        context: "streaming",
        sourceVideoCodec: "h264",
        sourceAudioCodec: "aac",
        videoDecision: "transcode",
        audioDecision: "copy",
        subtitleDecision: "burn",
        protocol: "hls",
        container: "mpegts",
        videoCodec: "h264",
        audioCodec: "aac",
        audioChannels: 2,
        width: 1280,
        height: 720,
        transcodeHwRequested: true,
      },
    },
    {
      ...track.raw,
      librarySectionID: String(track.raw.librarySectionID),
      sessionKey: "42",
      viewOffset: 61_000,
      User: { id: "1", title: "demo-owner", thumb: "" },
      Player: {
        address: "192.0.2.11",
        machineIdentifier: "demo-desk-app",
        platform: "windows",
        product: "Plexamp",
        state: "paused",
        title: "Desk",
        local: true,
        relayed: false,
        secure: true,
        userID: 1,
      },
      Session: { id: "demo-session-42", bandwidth: 320, location: "lan" },
    },
  ];

  const playlistKey = String(lib.nextKey++);
  const picks = ["Night of the Living Dead", "Nosferatu", "Carnival of Souls"]
    .map((t) => findByTitle(lib, t).ratingKey);
  lib.playlists.set(playlistKey, {
    raw: {
      ratingKey: playlistKey,
      key: `/playlists/${playlistKey}/items`,
      guid: `com.plexapp.agents.none://demo-${playlistKey}`,
      type: "playlist",
      title: "Halloween Night",
      summary: "Scary classics for October.",
      smart: false,
      playlistType: "video",
      composite: `/playlists/${playlistKey}/composite/${DEMO_EPOCH}`,
      icon: "playlist://image.smart",
      addedAt: DEMO_EPOCH - 86_400 * 20,
      updatedAt: DEMO_EPOCH - 86_400 * 20,
    },
    entries: picks.map((ratingKey) => ({
      id: lib.nextPlaylistItemId++,
      ratingKey,
    })),
  });

  lib.butler = [
    [
      "BackupDatabase",
      "Backup Database",
      3,
      "Create a backup copy of the server's database in the configured backup directory",
    ],
    [
      "OptimizeDatabase",
      "Optimize Database",
      7,
      "Optimize the server's database",
    ],
    ["CleanOldBundles", "Clean Old Bundles", 7, "Remove old metadata bundles"],
    [
      "RefreshLibraries",
      "Refresh Libraries",
      1,
      "Scan all libraries for new media",
    ],
    [
      "DeepMediaAnalysis",
      "Deep Media Analysis",
      1,
      "Analyze bitrates of media files",
    ],
  ].map(([name, title, interval, description]) => ({
    raw: {
      name,
      title,
      interval,
      description,
      enabled: true,
      scheduleRandomized: false,
    },
    running: false,
    polls: 0,
  }));
}
