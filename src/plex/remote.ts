/**
 * What the remote-control tools read: a player's timeline (the answer to
 * `/player/timeline/poll`, XML from Plex's own players, API.md §17.5; JSON
 * is read too, as @ctrl/plex reads it) and an item's selectable streams.
 *
 * @module
 */
import { containerReader, num, objects, str } from "./readers.ts";
import type { ResponseSchema } from "../transport/types.ts";

/** One of a player's three timelines (music, video, photo). */
export interface Timeline {
  /** `music`, `video` or `photo`. */
  type: string;
  /** `stopped`, `paused`, `playing` or `buffering`. */
  state: string;
  /** Item being played. */
  ratingKey: string | undefined;
  /** Position, ms. */
  time: number | undefined;
  /** Length, ms. */
  duration: number | undefined;
  /** Volume 0–100. */
  volume: number | undefined;
  /** Selected audio stream id. */
  audioStreamID: string | undefined;
  /** Selected subtitle stream id (0 or absent: none). */
  subtitleStreamID: string | undefined;
  /** Video stream played (python-plexapi reads `videoStreamId`). */
  videoStreamID: string | undefined;
  /** What the player accepts now (comma list, unverified value set). */
  controllable: string[];
  /** Server the item comes from. */
  machineIdentifier: string | undefined;
}

/** A player's timelines and where it is (`location`). */
export interface PlayerTimeline {
  /** `navigation`, `fullScreenVideo`… */
  location: string | undefined;
  /** The timelines. */
  timelines: Timeline[];
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
};

function unescapeXml(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g,
    (m) =>
      ENTITIES[m] ??
        String.fromCodePoint(
          m[2] === "x" ? parseInt(m.slice(3, -1), 16) : Number(m.slice(2, -1)),
        ),
  );
}

/** The attributes of the first `<tag …>` element, or undefined. */
function attributes(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
    out[m[1]!] = unescapeXml(m[2]!);
  }
  return out;
}

function timeline(a: Record<string, unknown>): Timeline {
  return {
    type: str(a.type) ?? "",
    state: str(a.state) ?? "stopped",
    ratingKey: str(a.ratingKey),
    time: num(a.time),
    duration: num(a.duration),
    volume: num(a.volume),
    audioStreamID: str(a.audioStreamID) ?? str(a.audioStreamId),
    subtitleStreamID: str(a.subtitleStreamID) ?? str(a.subtitleStreamId),
    videoStreamID: str(a.videoStreamID) ?? str(a.videoStreamId),
    controllable: (str(a.controllable) ?? "").split(",").filter(Boolean),
    machineIdentifier: str(a.machineIdentifier),
  };
}

/**
 * Reads a timeline answer, XML (`<MediaContainer location=…><Timeline …/>`)
 * or JSON (`{"MediaContainer":{"Timeline":[…]}}`); undefined when it is
 * neither.
 */
export function readTimeline(text: string): PlayerTimeline | undefined {
  const body = text.trim();
  if (body.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return undefined;
    }
    const c = (json as { MediaContainer?: Record<string, unknown> })
      ?.MediaContainer;
    if (!c || typeof c !== "object") return undefined;
    const list = Array.isArray(c.Timeline)
      ? c.Timeline
      : c.Timeline
      ? [c.Timeline]
      : [];
    return {
      location: str(c.location),
      timelines: list.filter((t): t is Record<string, unknown> =>
        typeof t === "object" && t !== null
      ).map(timeline),
    };
  }
  const container = /<MediaContainer\b([^>]*)>/.exec(body);
  if (!container) return undefined;
  return {
    location: attributes(container[1]!).location,
    timelines: [...body.matchAll(/<Timeline\b([^>]*?)\/?>/g)].map((m) =>
      timeline(attributes(m[1]!))
    ),
  };
}

/** One selectable stream of an item. */
export interface SelectableStream {
  /** Stream id (what `setStreams` takes). */
  id: string;
  /** `audio` or `subtitle`. */
  kind: "audio" | "subtitle";
  /** ISO 639-2 code, e.g. `eng`. */
  languageCode: string | undefined;
  /** Language name. */
  language: string | undefined;
  /** Plex's display title. */
  title: string | undefined;
  /** Selected now. */
  selected: boolean;
}

/** One file (part) of one version of an item, with its streams. */
export interface VersionPart {
  /** Which version (`Media[]` index). */
  mediaIndex: number;
  /** Which file of that version (`Part[]` index). */
  partIndex: number;
  /** Its selectable audio and subtitle streams. */
  streams: SelectableStream[];
  /** The ids of all its streams (video too): what a timeline may name. */
  streamIds: string[];
}

/**
 * `GET /library/metadata/{rk}` → every part of every version with its
 * audio and subtitle streams (`Stream.streamType` 2 audio, 3 subtitle;
 * API.md §0.3). Stream ids belong to one part: an item with a 4K and a
 * 1080p version has two sets.
 */
export const streamsSchema: ResponseSchema<VersionPart[]> = containerReader(
  (c) => {
    const item = objects(c.Metadata)[0];
    return objects(item?.Media).flatMap((media, mediaIndex) =>
      objects(media.Part).map((part, partIndex) => {
        const all = objects(part.Stream);
        const streams = all.flatMap((s): SelectableStream[] => {
          const type = num(s.streamType);
          const id = str(s.id);
          if (id === undefined || (type !== 2 && type !== 3)) return [];
          return [{
            id,
            kind: type === 2 ? "audio" : "subtitle",
            languageCode: str(s.languageCode),
            language: str(s.language),
            title: str(s.extendedDisplayTitle) ?? str(s.displayTitle),
            selected: s.selected === true || s.selected === 1 ||
              s.selected === "1",
          }];
        });
        return {
          mediaIndex,
          partIndex,
          streams,
          streamIds: all.flatMap((s) => str(s.id) ?? []),
        };
      })
    );
  },
);
