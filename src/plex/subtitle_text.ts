/**
 * The subtitle streams of an item, and their text through Plex.
 *
 * Plex lists every stream of a part in `Media[].Part[].Stream[]`
 * (`streamType` 3 for subtitles). A sidecar file (an `.srt` beside the
 * video, or one Plex downloaded) carries a `key`, `/library/streams/{id}`;
 * a stream inside the video file carries an `index` and no key (recorded
 * in GET__library_metadata_{ratingKey}.episode.json: an embedded `pgs`
 * stream with `index`, a `Portuguese (SRT External)` stream with `key`
 * and `format: srt`; python-plexapi media.py `SubtitleStream`: `key`,
 * `format`, `forced`, `hearingImpaired`).
 *
 * The text comes from `GET /library/streams/{id}.{ext}` (Plex's OpenAPI
 * description, operation `libraryGetStreamsStream`): `ext` is the file's
 * extension, `encoding` asks for a text encoding; the server answers 404
 * when "the stream doesn't exist or has no data" and 501 when "the stream
 * is not a sidecar subtitle", so embedded streams cannot be read this way.
 *
 * @module
 */
import type { PlexClient } from "./client.ts";
import { PlexError, PlexResponseError } from "../transport/errors.ts";
import { containerReader, num, objects, str } from "./readers.ts";
import type { ResponseSchema } from "./client.ts";
import {
  textFormat,
  type TextSubtitleFormat,
} from "../watch/subtitle_parse.ts";

/** One subtitle stream of an item. */
export interface SubtitleStreamInfo {
  /** Stream id. */
  id: string;
  /** `/library/streams/{id}` for a sidecar file; undefined when embedded. */
  key: string | undefined;
  /** Codec (`srt`, `ass`, `pgs`…). */
  codec: string | undefined;
  /** File format of a sidecar (`srt`, `ass`, `vtt`…). */
  format: string | undefined;
  /** Language name. */
  language: string | undefined;
  /** ISO 639-2 code. */
  languageCode: string | undefined;
  /** IETF tag, e.g. `en`. */
  languageTag: string | undefined;
  /** Plex's display title, e.g. `English (SRT External)`. */
  title: string | undefined;
  /** Forced subtitles (foreign parts only). */
  forced: boolean;
  /** For the deaf and hard of hearing. */
  hearingImpaired: boolean;
  /** Selected for the user. */
  selected: boolean;
}

/** An item with what the dialogue tools need of it. */
export interface SubtitledItem {
  /** ratingKey. */
  ratingKey: string;
  /** `movie`, `episode`, `season`, `show`… */
  type: string;
  /** Title. */
  title: string;
  /** Show of an episode. */
  grandparentTitle: string | undefined;
  /** Show of a season, season of an episode. */
  parentTitle: string | undefined;
  /** Season's show ratingKey / episode's season ratingKey. */
  parentRatingKey: string | undefined;
  /** Show of an episode. */
  grandparentRatingKey: string | undefined;
  /** Episode number, season number. */
  index: number | undefined;
  /** Season number of an episode. */
  parentIndex: number | undefined;
  /** Summary. */
  summary: string | undefined;
  /** The user's position, ms. */
  viewOffset: number | undefined;
  /** Duration, ms. */
  duration: number | undefined;
  /** Subtitle streams of the first version's parts. */
  subtitles: SubtitleStreamInfo[];
}

const IMAGE_CODECS = new Set([
  "pgs",
  "hdmv_pgs_subtitle",
  "vobsub",
  "dvd_subtitle",
  "dvdsub",
  "dvb_subtitle",
  "dvbsub",
  "xsub",
]);

function readStream(s: Record<string, unknown>): SubtitleStreamInfo {
  const flag = (v: unknown) => v === true || v === 1 || v === "1";
  return {
    id: String(num(s.id) ?? str(s.id) ?? ""),
    key: str(s.key),
    codec: str(s.codec)?.toLowerCase(),
    format: str(s.format)?.toLowerCase(),
    language: str(s.language),
    languageCode: str(s.languageCode),
    languageTag: str(s.languageTag),
    title: str(s.extendedDisplayTitle) ?? str(s.displayTitle) ?? str(s.title),
    forced: flag(s.forced),
    hearingImpaired: flag(s.hearingImpaired),
    selected: flag(s.selected),
  };
}

function readItem(m: Record<string, unknown>): SubtitledItem {
  const media = objects(m.Media)[0];
  const parts = media ? objects(media.Part) : [];
  return {
    ratingKey: String(num(m.ratingKey) ?? str(m.ratingKey) ?? ""),
    type: str(m.type) ?? "",
    title: str(m.title) ?? "",
    grandparentTitle: str(m.grandparentTitle),
    parentTitle: str(m.parentTitle),
    parentRatingKey: str(m.parentRatingKey) ??
      (num(m.parentRatingKey)?.toString()),
    grandparentRatingKey: str(m.grandparentRatingKey) ??
      (num(m.grandparentRatingKey)?.toString()),
    index: num(m.index),
    parentIndex: num(m.parentIndex),
    summary: str(m.summary),
    viewOffset: num(m.viewOffset),
    duration: num(m.duration),
    subtitles: parts.flatMap((p) =>
      objects(p.Stream).filter((s) => num(s.streamType) === 3).map(readStream)
    ).filter((s) => s.id !== ""),
  };
}

/** Items of a container (`Metadata[]`), read for the dialogue tools. */
export const subtitledItemsSchema: ResponseSchema<SubtitledItem[]> =
  containerReader((c) => objects(c.Metadata).map(readItem));

/** Whether the text of a stream can be read, and how. */
export type Readability =
  | { readable: true; format: TextSubtitleFormat; ext: string }
  | { readable: false; reason: string };

/** Whether {@link fetchSubtitleText} can read `stream`, or why not. */
export function readability(stream: SubtitleStreamInfo): Readability {
  const codec = stream.codec ?? stream.format ?? "";
  if (!/^\d+$/.test(stream.id)) {
    return {
      readable: false,
      reason: "Plex gave it an id that is not a number",
    };
  }
  if (IMAGE_CODECS.has(codec) || IMAGE_CODECS.has(stream.format ?? "")) {
    return {
      readable: false,
      reason: `image subtitles (${codec}): pictures of text, no text to read`,
    };
  }
  if (!stream.key) {
    return {
      readable: false,
      reason:
        "embedded in the video file: Plex serves only sidecar subtitle files (501 for others)",
    };
  }
  const named = stream.format ?? stream.codec;
  const format = textFormat(named);
  if (!format) {
    return {
      readable: false,
      reason: `a subtitle format this server cannot read (${
        named ?? "unknown"
      }); SRT, WebVTT and ASS/SSA are read`,
    };
  }
  // The file's extension: Plex's `format` when it is one (srt, vtt, ass,
  // ssa), else the usual one of the format (a codec named `subrip`).
  const ext = named && /^(srt|vtt|ass|ssa)$/.test(named) ? named : format;
  return { readable: true, format, ext };
}

/** A subtitle file Plex would not or could not give. */
export class SubtitleUnavailableError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "SubtitleUnavailableError";
  }
}

/**
 * Fetches the text of a sidecar subtitle stream, at most `maxBytes` of it
 * (more is refused: {@link SubtitleUnavailableError}). The path carries no
 * token: the client sends it in a header, so no URL here holds it.
 */
export async function fetchSubtitleText(
  plex: PlexClient,
  stream: SubtitleStreamInfo,
  ext: string,
  options: { maxBytes: number; signal: AbortSignal },
): Promise<{ text: string; bytes: number }> {
  // readability() let only numeric ids and known extensions through.
  const path = `/library/streams/${stream.id}.${ext}`;
  try {
    const answer = await plex.requestBytes(path, {
      query: { encoding: "utf-8" },
      maxBytes: options.maxBytes,
      signal: options.signal,
    });
    return {
      text: new TextDecoder("utf-8").decode(answer.bytes),
      bytes: answer.bytes.byteLength,
    };
  } catch (error) {
    if (error instanceof PlexResponseError && /more than/.test(error.message)) {
      throw new SubtitleUnavailableError(
        `larger than ${options.maxBytes} bytes (the limit for one file in this call); not read`,
      );
    }
    if (error instanceof PlexError && error.status === 501) {
      throw new SubtitleUnavailableError(
        "Plex cannot extract it (501: not a sidecar subtitle)",
      );
    }
    if (error instanceof PlexError && error.status === 404) {
      throw new SubtitleUnavailableError("Plex has no data for it (404)");
    }
    throw error;
  }
}
