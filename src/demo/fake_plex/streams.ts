/**
 * The video and audio streams the fake's `/library/metadata/{id}` shows
 * on a part, made from its media's codecs.
 *
 * @module
 */
import type { RawObject } from "../library.ts";

/** The video and audio streams of `part` of `media`. */
export function mediaStreams(media: RawObject, part: RawObject): RawObject[] {
  const streams: RawObject[] = [];
  if (media.videoCodec) {
    streams.push({
      id: Number(part.id) * 10,
      streamType: 1,
      default: true,
      codec: media.videoCodec,
      index: 0,
      width: media.width,
      height: media.height,
      displayTitle: `${media.videoResolution} (${
        String(media.videoCodec).toUpperCase()
      })`,
    });
  }
  if (media.audioCodec) {
    streams.push({
      id: Number(part.id) * 10 + 1,
      streamType: 2,
      selected: true,
      default: true,
      codec: media.audioCodec,
      channels: media.audioChannels,
      language: "English",
      languageCode: "eng",
      displayTitle: `English (${String(media.audioCodec).toUpperCase()})`,
    });
  }
  return streams;
}
