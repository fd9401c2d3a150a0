/**
 * What the subtitle tools share: an item's subtitle streams per part
 * (`GET /library/metadata/{rk}`), refused for items that have none to
 * choose (shows, albums), and the words for a stream.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import {
  type ItemSubtitles,
  itemSubtitlesSchema,
  type SubtitleStream,
} from "../../plex/watch.ts";
import { ToolInputError } from "../shared/define_tool.ts";

/** Items with video parts, whose subtitles can be searched and chosen. */
const VIDEO = new Set(["movie", "episode", "clip"]);

/** A subtitle stream as the tools answer it. */
export const subtitleOutput = z.object({
  id: z.string(),
  language: z.string().optional(),
  codec: z.string().optional(),
  title: z.string().optional(),
  selected: z.boolean(),
  forced: z.boolean(),
  hearingImpaired: z.boolean(),
});

/** The output shape of one stream. */
export function subtitleOf(s: SubtitleStream): z.output<typeof subtitleOutput> {
  return {
    id: s.id,
    language: s.language ?? s.languageCode,
    codec: s.codec,
    title: s.title,
    selected: s.selected,
    forced: s.forced,
    hearingImpaired: s.hearingImpaired,
  };
}

/** `12345 English (SRT External), SDH`. */
export function subtitleLine(s: SubtitleStream): string {
  return [
    s.id,
    s.title ?? s.language ?? s.languageCode ?? "unknown language",
    s.forced ? "forced" : "",
    s.hearingImpaired ? "SDH" : "",
    s.selected ? "selected" : "",
  ].filter(Boolean).join(" · ");
}

/**
 * An item's parts and subtitle streams, fresh from Plex (`cache: false`
 * for read-backs); a show, album or photo is refused.
 */
export async function itemSubtitles(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
  fresh = false,
): Promise<ItemSubtitles> {
  const path = `/library/metadata/${ratingKey}`;
  const item = await plex.getJson(path, itemSubtitlesSchema, {
    signal,
    ...(fresh ? { cache: false } : {}),
  });
  if (item.type === undefined) {
    throw new PlexNotFoundError(
      `Plex has no item with ratingKey ${ratingKey}`,
      `GET ${path}`,
    );
  }
  if (!VIDEO.has(item.type)) {
    throw new ToolInputError(
      `[${ratingKey}] is a ${item.type}: subtitles belong to a movie or an episode (get_children lists a show's episodes)`,
    );
  }
  if (item.parts.length === 0) {
    throw new ToolInputError(`[${ratingKey}] has no media file`);
  }
  return item;
}

/** Every subtitle stream of the item, each with its part. */
export function allStreams(
  item: ItemSubtitles,
): { partId: string; mediaIndex: number; stream: SubtitleStream }[] {
  return item.parts.flatMap((p) =>
    p.streams.map((stream) => ({
      partId: p.partId,
      mediaIndex: p.mediaIndex,
      stream,
    }))
  );
}
