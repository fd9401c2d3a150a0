/**
 * "The Lantern Coast" in the demo library: a season of ten episodes with
 * original dialogue (lantern_coast_script.ts) as subtitle streams of every
 * kind the dialogue tools meet: SRT sidecars (one in Spanish too), a
 * WebVTT and an ASS sidecar, an episode with only image (PGS) subtitles and
 * one with only a text stream embedded in the video file, which Plex
 * cannot serve. The first four episodes are watched and the fifth is in
 * progress at 11:00, so a recap there has a past and a future.
 *
 * @module
 */
import {
  FIRST_LIGHT_SPANISH,
  HARBOUR_SOUNDS,
  LANTERN_COAST,
  LANTERN_COAST_EPISODES,
  LANTERN_COAST_SUMMARY,
} from "./lantern_coast_script.ts";
import { timeLines, toAss, toSrt, toVtt } from "./subtitle_files.ts";
import type { DemoSubtitle } from "./subtitle_store.ts";

/** Minutes per episode. */
export const LANTERN_COAST_MINUTES = 24;
/** Where the user stopped in episode 5, ms. */
export const LANTERN_COAST_PROGRESS_MS = 11 * 60_000;

/** What {@link addLanternCoast} needs of a library (structurally). */
export interface LanternCoastTarget {
  /** Items by ratingKey. */
  items: Map<string, { children: string[]; raw: Record<string, unknown> }>;
  /** Subtitle streams by stream id. */
  subtitles?: Map<string, DemoSubtitle>;
}

/** The seed `LibraryBuilder.show` takes. */
export const LANTERN_COAST_SEED = {
  title: LANTERN_COAST,
  year: 2024,
  studio: "Skerry Point Pictures",
  genres: ["Drama", "Mystery"],
  summary: LANTERN_COAST_SUMMARY,
  tvdb: "990001",
  episodeMinutes: LANTERN_COAST_MINUTES,
  seasons: [LANTERN_COAST_EPISODES.map((e) => e.title)],
  watchedEpisodes: 4,
};

function sidecar(
  id: number,
  codec: string,
  language: [string, string, string],
  selected: boolean,
): Record<string, unknown> {
  const [name, tag, code] = language;
  const shown = `${name} (${codec.toUpperCase()} External)`;
  return {
    id,
    key: `/library/streams/${id}`,
    streamType: 3,
    canAutoSync: false,
    codec,
    language: name,
    languageTag: tag,
    languageCode: code,
    format: codec,
    ...(selected ? { selected: true } : {}),
    displayTitle: shown,
    extendedDisplayTitle: shown,
  };
}

function embedded(
  id: number,
  codec: string,
  index: number,
): Record<string, unknown> {
  const shown = `English (${codec.toUpperCase()})`;
  return {
    id,
    streamType: 3,
    canAutoSync: false,
    codec,
    index,
    language: "English",
    languageTag: "en",
    languageCode: "eng",
    ...(codec === "pgs" ? { headerCompression: true } : {}),
    displayTitle: shown,
    extendedDisplayTitle: shown,
  };
}

const ENGLISH: [string, string, string] = ["English", "en", "eng"];
const SPANISH: [string, string, string] = ["Spanish", "es", "spa"];

/**
 * Fills in the show `showKey` (made by `LibraryBuilder.show` from
 * {@link LANTERN_COAST_SEED}): episode summaries, the user's progress in
 * episode 5, and every episode's subtitle streams.
 */
export function addLanternCoast(
  lib: LanternCoastTarget,
  showKey: string,
): void {
  const subtitles = lib.subtitles ??= new Map();
  const show = lib.items.get(showKey)!;
  const season = lib.items.get(show.children[0]!)!;
  season.children.forEach((rk, e) => {
    const episode = lib.items.get(rk)!;
    const script = LANTERN_COAST_EPISODES[e]!;
    episode.raw.summary = script.summary;
    const duration = Number(episode.raw.duration);
    const media = (episode.raw.Media as Record<string, unknown>[])[0]!;
    const part = (media.Part as Record<string, unknown>[])[0]!;
    // A recent show: H.264 in Matroska, which holds subtitle streams.
    Object.assign(media, { container: "mkv", videoCodec: "h264" });
    part.container = "mkv";
    part.file = String(part.file).replace(/\.avi$/, ".mkv");
    const partId = Number(part.id);
    const add = (stream: Record<string, unknown>, body?: string) =>
      subtitles.set(String(stream.id), { partId, stream, body });
    const cues = timeLines(script.lines, HARBOUR_SOUNDS, duration);
    const id = partId * 10 + 2;
    if (e === 5) {
      // The Albatross: only image subtitles, burned from a disc.
      add(embedded(id, "pgs", 2));
    } else if (e === 7) {
      // Fog Bank: its text subtitles are inside the video file.
      add(embedded(id, "srt", 2));
    } else if (e === 6) {
      add(sidecar(id, "vtt", ENGLISH, true), toVtt(cues));
    } else if (e === 8) {
      add(sidecar(id, "ass", ENGLISH, true), toAss(cues));
    } else {
      add(sidecar(id, "srt", ENGLISH, true), toSrt(cues));
    }
    if (e === 0) {
      add(
        sidecar(id + 1, "srt", SPANISH, false),
        toSrt(timeLines(FIRST_LIGHT_SPANISH, HARBOUR_SOUNDS, duration)),
      );
    }
    if (e === 4) {
      episode.raw.viewOffset = LANTERN_COAST_PROGRESS_MS;
      episode.raw.lastViewedAt = Number(episode.raw.addedAt) + 86_400;
    }
  });
}
