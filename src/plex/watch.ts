/**
 * Readers of the answers the watch tools need: an item's markers
 * (`includeMarkers=1`, API.md §5), its parts with their subtitle streams,
 * Plex's own subtitle search (`/library/metadata/{id}/subtitles`,
 * python-plexapi video.py:120-160) and a playing session's decisions
 * (`/status/sessions`, API.md §7). Tolerant as the other readers: lists
 * Plex omits when empty, numbers as strings, elements that are not
 * objects dropped.
 *
 * @module
 */
import { bool, containerReader, num, objects, str } from "./readers.ts";
import type { ResponseSchema } from "./client.ts";
import type { PlexItem } from "./models.ts";
import { itemsContainerSchema } from "./schemas.ts";

/** One marker of an item (python-plexapi media.py:1153 `Marker`). */
export interface Marker {
  /** `intro`, `credits`, `commercial` (others passed on as Plex names them). */
  type: string;
  /** Start, ms. */
  startMs: number;
  /** End, ms. */
  endMs: number;
  /** Plex's flag on the last credits marker. */
  final: boolean;
}

/** An item read with its markers. */
export interface ItemWithMarkers {
  /** The item (undefined: Plex listed none). */
  item: PlexItem | undefined;
  /** The library the container names. */
  librarySectionTitle: string | undefined;
  /** Its markers, by start. */
  markers: Marker[];
}

function readMarkers(raw: Record<string, unknown> | undefined): Marker[] {
  return objects(raw?.Marker).flatMap((m): Marker[] => {
    const type = str(m.type);
    // ppa reads startTimeOffset/endTimeOffset (media.py:1176-1180).
    const startMs = num(m.startTimeOffset);
    const endMs = num(m.endTimeOffset);
    if (!type || startMs === undefined || endMs === undefined) return [];
    if (startMs < 0 || endMs < startMs) return [];
    return [{ type, startMs, endMs, final: bool(m.final) === true }];
  }).sort((a, b) => a.startMs - b.startMs);
}

/**
 * `GET /library/metadata/{rk}?includeMarkers=1`: the item as
 * {@link itemsContainerSchema} reads it, and its `Marker[]`.
 */
export const itemWithMarkersSchema: ResponseSchema<ItemWithMarkers> = {
  safeParse(data) {
    const parsed = itemsContainerSchema.safeParse(data);
    if (!parsed.success) return parsed;
    const c = (data as { MediaContainer: Record<string, unknown> })
      .MediaContainer;
    return {
      success: true,
      data: {
        item: parsed.data.Metadata[0],
        librarySectionTitle: parsed.data.librarySectionTitle,
        markers: readMarkers(objects(c.Metadata)[0]),
      },
    };
  },
};

/** What the markers say, in the words a viewer asks in. */
export interface MarkerSummary {
  /** The intro, when Plex found one. */
  intro: { startMs: number; endMs: number } | undefined;
  /** Where the final credits start, when Plex found them. */
  creditsStartMs: number | undefined;
  /**
   * Whether the final credits run to the end (within 5 s): false means
   * something follows them (a scene after the credits); undefined without
   * credits markers or a duration.
   */
  creditsToEnd: boolean | undefined;
}

/** Slack at the end before "the credits run to the end" stops holding. */
const END_SLACK_MS = 5_000;

/** Summarises markers against the item's duration. */
export function summarizeMarkers(
  markers: readonly Marker[],
  durationMs: number | undefined,
): MarkerSummary {
  const intro = markers.find((m) => m.type === "intro");
  const credits = markers.filter((m) => m.type === "credits");
  // The final one: Plex's `final` flag, else the latest.
  const last = credits.find((m) => m.final) ?? credits.at(-1);
  return {
    intro: intro && { startMs: intro.startMs, endMs: intro.endMs },
    creditsStartMs: last?.startMs,
    creditsToEnd: last === undefined || durationMs === undefined
      ? undefined
      : last.endMs >= durationMs - END_SLACK_MS,
  };
}

/** A subtitle stream of a part. */
export interface SubtitleStream {
  /** Stream id (what `/library/parts/{id}` takes). */
  id: string;
  /** Language name. */
  language: string | undefined;
  /** ISO 639-2 code. */
  languageCode: string | undefined;
  /** Codec (srt, ass, pgs…). */
  codec: string | undefined;
  /** Plex's display title. */
  title: string | undefined;
  /** Selected for the token's user. */
  selected: boolean;
  /** Forced subtitles. */
  forced: boolean;
  /** For the deaf and hard of hearing (SDH). */
  hearingImpaired: boolean;
  /** A sidecar or downloaded file (it has a `key`), not embedded. */
  external: boolean;
}

/** One part of one version of an item with its subtitle streams. */
export interface PartSubtitles {
  /** Part id. */
  partId: string;
  /** Which version (`Media[]` index). */
  mediaIndex: number;
  /** Its subtitle streams. */
  streams: SubtitleStream[];
}

/** An item's parts and their subtitle streams. */
export interface ItemSubtitles {
  /** Item type. */
  type: string | undefined;
  /** Title. */
  title: string | undefined;
  /** Parts, in order. */
  parts: PartSubtitles[];
}

function readSubtitle(s: Record<string, unknown>): SubtitleStream[] {
  const id = str(s.id);
  if (id === undefined || num(s.streamType) !== 3) return [];
  return [{
    id,
    language: str(s.language),
    languageCode: str(s.languageCode),
    codec: str(s.codec),
    title: str(s.extendedDisplayTitle) ?? str(s.displayTitle) ?? str(s.title),
    selected: bool(s.selected) === true,
    forced: bool(s.forced) === true,
    hearingImpaired: bool(s.hearingImpaired) === true,
    external: str(s.key) !== undefined,
  }];
}

/** `GET /library/metadata/{rk}` → its parts and their subtitle streams. */
export const itemSubtitlesSchema: ResponseSchema<ItemSubtitles> =
  containerReader((c) => {
    const item = objects(c.Metadata)[0];
    return {
      type: str(item?.type),
      title: str(item?.title),
      parts: objects(item?.Media).flatMap((media, mediaIndex) =>
        objects(media.Part).flatMap((part): PartSubtitles[] => {
          const partId = str(part.id);
          if (partId === undefined) return [];
          return [{
            partId,
            mediaIndex,
            streams: objects(part.Stream).flatMap(readSubtitle),
          }];
        })
      ),
    };
  });

/** One result of Plex's subtitle search. */
export interface FoundSubtitle {
  /** What `PUT …/subtitles?key=` takes to download it. */
  key: string;
  /** Language name. */
  language: string | undefined;
  /** ISO code. */
  languageCode: string | undefined;
  /** Codec (srt…). */
  codec: string | undefined;
  /** Title (usually the release file name). */
  title: string | undefined;
  /** Where it comes from (OpenSubtitles…). */
  provider: string | undefined;
  /** Match score (download count, ppa media.py:454). */
  score: number | undefined;
  /** Made for this very file (hash match). */
  perfectMatch: boolean;
  /** SDH. */
  hearingImpaired: boolean;
  /** Forced. */
  forced: boolean;
}

/**
 * `GET /library/metadata/{rk}/subtitles?language&hearingImpaired&forced`:
 * `Stream[]` (ppa fetchItems over SubtitleStream, TAG `Stream`,
 * media.py:440-476); results without a `key` cannot be downloaded and are
 * dropped.
 */
export const foundSubtitlesSchema: ResponseSchema<FoundSubtitle[]> =
  containerReader((c) =>
    objects(c.Stream).flatMap((s): FoundSubtitle[] => {
      const key = str(s.key);
      if (!key) return [];
      return [{
        key,
        language: str(s.language),
        languageCode: str(s.languageCode),
        codec: str(s.codec),
        title: str(s.title) ?? str(s.displayTitle),
        provider: str(s.providerTitle),
        score: num(s.score),
        perfectMatch: bool(s.perfectMatch) === true,
        hearingImpaired: bool(s.hearingImpaired) === true,
        forced: bool(s.forced) === true,
      }];
    })
  );

/** One stream of a playing session, with what Plex decided for it. */
export interface SessionStream {
  /** `video`, `audio` or `subtitle`. */
  kind: "video" | "audio" | "subtitle";
  /** Codec. */
  codec: string | undefined;
  /** `directplay`, `copy`, `transcode`, `burn` (Plex's word). */
  decision: string | undefined;
  /** Bitrate, kbps. */
  bitrate: number | undefined;
  /** Language. */
  language: string | undefined;
  /** Width, px (video). */
  width: number | undefined;
  /** Height, px (video). */
  height: number | undefined;
  /** Channels (audio). */
  channels: number | undefined;
  /** Title (subtitles: Plex's display title). */
  title: string | undefined;
}

/** One playing session, as far as a diagnosis needs it. */
export interface PlaybackSession {
  /** Session key. */
  sessionKey: string | undefined;
  /** Item played. */
  ratingKey: string | undefined;
  /** What to call it. */
  title: string;
  /** Who. */
  user: string | undefined;
  /** The player. */
  player: {
    title: string | undefined;
    product: string | undefined;
    platform: string | undefined;
    state: string | undefined;
    local: boolean | undefined;
    relayed: boolean | undefined;
  };
  /** `lan`, `wan`, `cellular`. */
  location: string | undefined;
  /** Bandwidth, kbps. */
  bandwidthKbps: number | undefined;
  /** The played rendition. */
  media: {
    videoResolution: string | undefined;
    videoCodec: string | undefined;
    audioCodec: string | undefined;
    bitrate: number | undefined;
    container: string | undefined;
  };
  /** `directplay` or `transcode` (Part.decision). */
  partDecision: string | undefined;
  /** Streams played. */
  streams: SessionStream[];
  /** Only when Plex transcodes (API.md §7). */
  transcode: {
    videoDecision: string | undefined;
    audioDecision: string | undefined;
    subtitleDecision: string | undefined;
    sourceVideoCodec: string | undefined;
    sourceAudioCodec: string | undefined;
    videoCodec: string | undefined;
    audioCodec: string | undefined;
    width: number | undefined;
    height: number | undefined;
    speed: number | undefined;
    throttled: boolean | undefined;
    hwRequested: boolean | undefined;
    hwDecoding: string | undefined;
    hwEncoding: string | undefined;
  } | undefined;
}

const KINDS: Record<number, SessionStream["kind"]> = {
  1: "video",
  2: "audio",
  3: "subtitle",
};

function name(m: Record<string, unknown>): string {
  const title = str(m.title) ?? "?";
  const show = str(m.grandparentTitle);
  if (str(m.type) === "episode" && show) {
    const s = num(m.parentIndex);
    const e = num(m.index);
    return `${show} S${String(s ?? 0).padStart(2, "0")}E${
      String(e ?? 0).padStart(2, "0")
    } ${title}`;
  }
  return title;
}

/** `GET /status/sessions` → the sessions with their decisions. */
export const playbackSessionsSchema: ResponseSchema<PlaybackSession[]> =
  containerReader((c) =>
    objects(c.Metadata).map((m): PlaybackSession => {
      const player = objects(m.Player)[0];
      const session = objects(m.Session)[0];
      const t = objects(m.TranscodeSession)[0];
      // The played rendition is the selected one (API.md §7).
      const medias = objects(m.Media);
      const media = medias.find((x) => bool(x.selected)) ?? medias[0];
      const parts = objects(media?.Part);
      const part = parts.find((p) => bool(p.selected)) ?? parts[0];
      const user = objects(m.User)[0];
      return {
        sessionKey: str(m.sessionKey),
        ratingKey: str(m.ratingKey),
        title: name(m),
        user: str(user?.title),
        player: {
          title: str(player?.title),
          product: str(player?.product),
          platform: str(player?.platform),
          state: str(player?.state),
          local: bool(player?.local),
          relayed: bool(player?.relayed),
        },
        location: str(session?.location),
        bandwidthKbps: num(session?.bandwidth),
        media: {
          videoResolution: str(media?.videoResolution),
          videoCodec: str(media?.videoCodec),
          audioCodec: str(media?.audioCodec),
          bitrate: num(media?.bitrate),
          container: str(media?.container),
        },
        partDecision: str(part?.decision),
        streams: objects(part?.Stream).flatMap((s): SessionStream[] => {
          const kind = KINDS[num(s.streamType) ?? 0];
          if (!kind) return [];
          return [{
            kind,
            codec: str(s.codec),
            decision: str(s.decision),
            bitrate: num(s.bitrate),
            language: str(s.language),
            width: num(s.width),
            height: num(s.height),
            channels: num(s.channels),
            title: str(s.extendedDisplayTitle) ?? str(s.displayTitle),
          }];
        }),
        transcode: t && {
          videoDecision: str(t.videoDecision),
          audioDecision: str(t.audioDecision),
          subtitleDecision: str(t.subtitleDecision),
          sourceVideoCodec: str(t.sourceVideoCodec),
          sourceAudioCodec: str(t.sourceAudioCodec),
          videoCodec: str(t.videoCodec),
          audioCodec: str(t.audioCodec),
          width: num(t.width),
          height: num(t.height),
          speed: num(t.speed),
          throttled: bool(t.throttled),
          hwRequested: bool(t.transcodeHwRequested),
          hwDecoding: str(t.transcodeHwDecoding),
          hwEncoding: str(t.transcodeHwEncoding),
        },
      };
    })
  );
