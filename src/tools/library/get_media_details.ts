import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { bytes, duration, isoTime, parts } from "../shared/format.ts";
import { displayName, isWatched, summarize } from "../shared/items.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { fetchPoster } from "./poster.ts";
import { summarizeMarkers } from "../../plex/watch.ts";
import {
  fetchWithMarkers,
  markersOutput,
  markerText,
} from "../watch/markers.ts";

const stream = z.object({
  kind: z.string(),
  codec: z.string().optional(),
  language: z.string().optional(),
  title: z.string().optional(),
  channels: z.number().optional(),
});

/** `get_media_details`: everything about one item. */
export const getMediaDetails = defineTool({
  name: "get_media_details",
  title: "Media details",
  description:
    "One item in full: summary, genres, cast, crew, ratings, runtime, release date, versions, streams, watch state, external ids, intro/credits markers; include_poster adds its poster.",
  toolset: "library",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput,
    cast_limit: z.number().int().min(0).max(50).default(10),
    include_poster: z.boolean().optional(),
  },
  output: {
    ratingKey: z.string(),
    type: z.string(),
    title: z.string(),
    originalTitle: z.string().optional(),
    year: z.number().int().optional(),
    show: z.string().optional().describe(
      "Show (episodes) or artist (tracks, albums)",
    ),
    season: z.number().int().optional(),
    episode: z.number().int().optional(),
    library: z.string().optional(),
    summary: z.string().optional(),
    tagline: z.string().optional(),
    studio: z.string().optional(),
    contentRating: z.string().optional(),
    releaseDate: z.string().optional(),
    durationMs: z.number().int().optional(),
    rating: z.number().optional().describe("Critic rating 0-10"),
    audienceRating: z.number().optional(),
    userRating: z.number().optional().describe("Your rating 0-10"),
    genres: z.array(z.string()),
    directors: z.array(z.string()),
    writers: z.array(z.string()),
    cast: z.array(z.object({ name: z.string(), role: z.string().optional() })),
    castTotal: z.number().int(),
    collections: z.array(z.string()),
    externalIds: z.array(z.string()),
    watched: z.boolean(),
    viewCount: z.number().int(),
    viewOffsetMs: z.number().int().optional(),
    lastViewedAt: z.string().optional(),
    addedAt: z.string().optional(),
    leafCount: z.number().int().optional(),
    viewedLeafCount: z.number().int().optional(),
    childCount: z.number().int().optional(),
    media: z.array(z.object({
      resolution: z.string().optional(),
      videoCodec: z.string().optional(),
      audioCodec: z.string().optional(),
      audioChannels: z.number().optional(),
      container: z.string().optional(),
      bitrateKbps: z.number().optional(),
      sizeBytes: z.number().optional(),
      files: z.array(z.string()),
      streams: z.array(stream),
    })),
    poster: z.object({ mimeType: z.string(), bytes: z.number().int() })
      .optional(),
    markers: markersOutput,
    creditsToEnd: z.boolean().optional().describe(
      "false: something follows the final credits",
    ),
  },
  handler: async (args, ctx) => {
    const { signal } = ctx;
    const plex = ctx.plex;
    const { item, markers } = await fetchWithMarkers(
      plex,
      args.ratingKey,
      signal,
    );
    const marks = summarizeMarkers(markers, item.duration);
    const poster = args.include_poster
      ? await fetchPoster(plex, item, signal)
      : undefined;
    const int = (
      n: number | undefined,
    ) => (n === undefined ? undefined : Math.round(n));
    const media = item.media.map((m) => ({
      resolution: m.videoResolution,
      videoCodec: m.videoCodec,
      audioCodec: m.audioCodec,
      audioChannels: m.audioChannels,
      container: m.container,
      bitrateKbps: m.bitrate,
      sizeBytes: m.parts.reduce<number | undefined>(
        (n, p) => p.size === undefined ? n : (n ?? 0) + p.size,
        undefined,
      ),
      files: m.parts.flatMap((p) => (p.file ? [p.file] : [])),
      streams: m.parts.flatMap((p) =>
        p.streams.map((s) => ({
          kind: s.kind,
          codec: s.codec,
          language: s.language,
          title: s.title,
          channels: s.channels,
        }))
      ),
    }));
    const isEpisodeLike = item.type === "episode" || item.type === "track";
    const structured = {
      ratingKey: item.ratingKey,
      type: item.type,
      title: item.title,
      originalTitle: item.originalTitle,
      year: int(item.year),
      show: isEpisodeLike
        ? item.grandparentTitle
        : item.type === "album" || item.type === "season"
        ? item.parentTitle
        : undefined,
      season: item.type === "episode"
        ? int(item.parentIndex)
        : item.type === "season"
        ? int(item.index)
        : undefined,
      episode: item.type === "episode" ? int(item.index) : undefined,
      library: item.librarySectionTitle,
      summary: item.summary,
      tagline: item.tagline,
      studio: item.studio,
      contentRating: item.contentRating,
      releaseDate: item.originallyAvailableAt,
      durationMs: int(item.duration),
      rating: item.rating,
      audienceRating: item.audienceRating,
      userRating: item.userRating,
      genres: item.genres,
      directors: item.directors,
      writers: item.writers,
      cast: item.roles.slice(0, args.cast_limit),
      castTotal: item.roles.length,
      collections: item.collections,
      externalIds: item.externalIds,
      watched: isWatched(item),
      viewCount: Math.round(item.viewCount),
      viewOffsetMs: int(item.viewOffset),
      lastViewedAt: isoTime(item.lastViewedAt),
      addedAt: isoTime(item.addedAt),
      leafCount: int(item.leafCount),
      viewedLeafCount: int(item.viewedLeafCount),
      childCount: int(item.childCount),
      media,
      poster: poster && { mimeType: poster.mimeType, bytes: poster.bytes },
      markers: markers.length
        ? markers.map((m) => ({
          type: m.type,
          startMs: Math.round(m.startMs),
          endMs: Math.round(m.endMs),
        }))
        : undefined,
      creditsToEnd: marks.creditsToEnd,
    };
    const lines = [
      `[${item.ratingKey}] ${displayName(summarize(item))} · ${item.type}`,
      parts([
        duration(item.duration),
        item.contentRating,
        item.studio,
        item.originallyAvailableAt && `released ${item.originallyAvailableAt}`,
        item.rating !== undefined && `critics ${item.rating}/10`,
        item.audienceRating !== undefined &&
        `audience ${item.audienceRating}/10`,
        item.userRating !== undefined && `you ${item.userRating}/10`,
      ]),
      parts([
        structured.watched
          ? `watched${item.viewCount > 1 ? ` ${item.viewCount}×` : ""}`
          : item.leafCount !== undefined
          ? `${item.viewedLeafCount ?? 0}/${item.leafCount} watched`
          : item.viewOffset
          ? `in progress at ${duration(item.viewOffset)}`
          : "unwatched",
        structured.lastViewedAt &&
        `last ${structured.lastViewedAt.slice(0, 10)}`,
      ]),
      item.genres.length ? `Genres: ${item.genres.join(", ")}` : "",
      item.directors.length ? `Directed by: ${item.directors.join(", ")}` : "",
      structured.cast.length
        ? `Cast: ${
          structured.cast.map((r) => r.role ? `${r.name} (${r.role})` : r.name)
            .join(", ")
        }${
          item.roles.length > structured.cast.length
            ? ` +${item.roles.length - structured.cast.length} more`
            : ""
        }`
        : "",
      item.summary ? `Summary: ${item.summary}` : "",
      ...media.map((m) =>
        "Media: " + parts([
          m.resolution &&
          (/^\d+$/.test(m.resolution) ? `${m.resolution}p` : m.resolution),
          m.videoCodec,
          m.audioCodec &&
          `${m.audioCodec}${m.audioChannels ? ` ${m.audioChannels}ch` : ""}`,
          m.container,
          bytes(m.sizeBytes),
        ])
      ),
      item.externalIds.length ? `Ids: ${item.externalIds.join(", ")}` : "",
      markers.length
        ? `Markers: ${markerText(markers)}${
          marks.creditsToEnd === false
            ? " (something follows the final credits)"
            : marks.creditsToEnd
            ? " (the credits run to the end)"
            : ""
        }`
        : "",
      args.include_poster
        ? poster
          ? `Poster: ${poster.mimeType}, ${poster.bytes} bytes (the image below)`
          : "Poster: none (Plex has no art for this item)"
        : "",
    ].filter(Boolean);
    return {
      structured,
      text: lines.join("\n"),
      ...(poster
        ? { images: [{ data: poster.data, mimeType: poster.mimeType }] }
        : {}),
    };
  },
});
