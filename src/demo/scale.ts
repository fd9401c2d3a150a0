/**
 * Generated libraries for scale tests and benchmarks: a movie section of any
 * size and a show section with any number of episodes, built cheaply (small
 * raw items, already in title order).
 *
 * @module
 */
import { DEMO_EPOCH, type DemoLibrary, LibraryBuilder } from "./library.ts";

/** Sizes of a generated library. */
export interface ScaleOptions {
  /** Movies in the "Generated Movies" section. */
  movies: number;
  /** Episodes in the "Generated Shows" section (10 per season, 5 seasons per show). */
  episodes: number;
}

const GENRES = [
  "Action",
  "Comedy",
  "Drama",
  "Horror",
  "Mystery",
  "Romance",
  "Science Fiction",
  "Western",
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Builds a library with one generated movie and one generated show section. */
export function createScaleLibrary(options: ScaleOptions): DemoLibrary {
  const b = new LibraryBuilder("Plex Scale Server");
  const movies = b.section(
    "Generated Movies",
    "movie",
    "tv.plex.agents.movie",
    "Plex Movie",
  );
  const shows = b.section(
    "Generated Shows",
    "show",
    "tv.plex.agents.series",
    "Plex TV Series",
  );
  const width = String(Math.max(options.movies, options.episodes)).length;
  for (let n = 0; n < options.movies; n++) {
    const duration = (80 + (n % 60)) * 60_000;
    b.add(movies, undefined, {
      guid: `plex://movie/gen${n}`,
      type: "movie",
      title: `Movie ${pad(n, width)}`,
      year: 1930 + (n % 90),
      duration,
      addedAt: DEMO_EPOCH - n * 60,
      updatedAt: DEMO_EPOCH - n * 60,
      rating: (n % 100) / 10,
      Genre: [{ tag: GENRES[n % GENRES.length]! }],
      Media: [{ id: n, duration, videoResolution: "1080", container: "mkv" }],
      ...(n % 7 === 0 ? { viewCount: 1, lastViewedAt: DEMO_EPOCH - n } : {}),
    });
  }
  const perSeason = 10;
  const perShow = perSeason * 5;
  for (let e = 0, show = 0; e < options.episodes; show++) {
    const showKey = b.add(shows, undefined, {
      type: "show",
      title: `Show ${pad(show, width)}`,
      year: 1960 + (show % 60),
      addedAt: DEMO_EPOCH - show * 600,
      leafCount: Math.min(perShow, options.episodes - e),
      viewedLeafCount: 0,
      childCount: Math.ceil(
        Math.min(perShow, options.episodes - e) / perSeason,
      ),
    });
    for (let season = 1; season <= 5 && e < options.episodes; season++) {
      const count = Math.min(perSeason, options.episodes - e);
      const seasonKey = b.add(shows, showKey, {
        type: "season",
        title: `Season ${season}`,
        parentTitle: `Show ${pad(show, width)}`,
        parentRatingKey: showKey,
        index: season,
        leafCount: count,
        viewedLeafCount: 0,
        addedAt: DEMO_EPOCH - show * 600,
      });
      for (let i = 1; i <= count; i++, e++) {
        b.add(shows, seasonKey, {
          type: "episode",
          title: `Episode ${pad(e, width)}`,
          grandparentTitle: `Show ${pad(show, width)}`,
          grandparentRatingKey: showKey,
          parentRatingKey: seasonKey,
          parentIndex: season,
          index: i,
          duration: 25 * 60_000,
          addedAt: DEMO_EPOCH - show * 600 - i,
        });
      }
    }
  }
  return b.library;
}
