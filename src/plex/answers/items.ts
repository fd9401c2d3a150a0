/**
 * Answers that list media items (library pages, children, search hubs,
 * collections and playlists), in full or in brief, their versions, parts
 * and streams, counts and tag lists.
 *
 * @module
 */
import { z } from "../../zod.ts";
import { bool, isObject, num, str } from "../readers.ts";
import type {
  MediaPart,
  MediaStream,
  MediaVersion,
  PlexItem,
} from "../models.ts";
import {
  type ContainerSchema,
  containerSchema,
  fieldsReader,
  objects,
  readTagNames,
} from "./shared.ts";

const STREAM_KINDS: Record<number, MediaStream["kind"]> = {
  1: "video",
  2: "audio",
  3: "subtitle",
  4: "lyrics",
};

function readStream(s: Record<string, unknown>): MediaStream {
  return {
    kind: STREAM_KINDS[num(s.streamType) ?? 0] ?? "other",
    codec: str(s.codec),
    language: str(s.language),
    languageCode: str(s.languageCode),
    title: str(s.extendedDisplayTitle) ?? str(s.displayTitle),
    selected: bool(s.selected),
    channels: num(s.channels),
    bitrate: num(s.bitrate),
  };
}

function readPart(p: Record<string, unknown>): MediaPart {
  return {
    id: str(p.id),
    file: str(p.file),
    size: num(p.size),
    duration: num(p.duration),
    container: str(p.container),
    decision: str(p.decision),
    streams: objects(p.Stream, readStream),
  };
}

function readMedia(m: Record<string, unknown>): MediaVersion {
  return {
    id: str(m.id),
    duration: num(m.duration),
    bitrate: num(m.bitrate),
    width: num(m.width),
    height: num(m.height),
    videoResolution: str(m.videoResolution),
    videoCodec: str(m.videoCodec),
    audioCodec: str(m.audioCodec),
    audioChannels: num(m.audioChannels),
    container: str(m.container),
    parts: objects(m.Part, readPart),
  };
}

function readRoles(v: unknown): PlexItem["roles"] {
  return objects(v, (r) => r).flatMap((r) => {
    const name = str(r.tag);
    return name === undefined ? [] : [{ name, role: str(r.role) }];
  });
}

function readGuids(v: unknown): string[] {
  return objects(v, (g) => str(g.id)).filter((id) => id !== undefined);
}

/** One `Metadata` element → {@link PlexItem}. */
export function readItem(o: Record<string, unknown>): PlexItem {
  return {
    ratingKey: str(o.ratingKey) ?? "",
    key: str(o.key),
    guid: str(o.guid),
    type: str(o.type) ?? "unknown",
    subtype: str(o.subtype),
    title: str(o.title) ?? "",
    originalTitle: str(o.originalTitle),
    summary: str(o.summary),
    tagline: str(o.tagline),
    studio: str(o.studio),
    contentRating: str(o.contentRating),
    year: num(o.year),
    index: num(o.index),
    parentIndex: num(o.parentIndex),
    parentRatingKey: str(o.parentRatingKey),
    parentTitle: str(o.parentTitle),
    grandparentRatingKey: str(o.grandparentRatingKey),
    grandparentTitle: str(o.grandparentTitle),
    librarySectionID: str(o.librarySectionID),
    librarySectionTitle: str(o.librarySectionTitle),
    duration: num(o.duration),
    viewOffset: num(o.viewOffset),
    viewCount: num(o.viewCount) ?? 0,
    lastViewedAt: num(o.lastViewedAt),
    addedAt: num(o.addedAt),
    updatedAt: num(o.updatedAt),
    originallyAvailableAt: str(o.originallyAvailableAt),
    rating: num(o.rating),
    audienceRating: num(o.audienceRating),
    userRating: num(o.userRating),
    leafCount: num(o.leafCount),
    viewedLeafCount: num(o.viewedLeafCount),
    childCount: num(o.childCount),
    smart: bool(o.smart),
    playlistType: str(o.playlistType),
    playlistItemID: str(o.playlistItemID),
    score: num(o.score),
    genres: readTagNames(o.Genre),
    directors: readTagNames(o.Director),
    writers: readTagNames(o.Writer),
    countries: readTagNames(o.Country),
    collections: readTagNames(o.Collection),
    roles: readRoles(o.Role),
    externalIds: readGuids(o.Guid),
    media: objects(o.Media, readMedia),
    thumb: str(o.thumb),
    parentThumb: str(o.parentThumb),
    grandparentThumb: str(o.grandparentThumb),
    art: str(o.art),
  };
}

/**
 * One `Metadata` element → {@link PlexItem} in brief: only what a list
 * prints ({@link readItem}'s fields that an item summary uses) and its
 * library, the rest left empty, so a page of items does not read every item's media,
 * streams, roles and tags.
 */
function readItemBrief(o: Record<string, unknown>): PlexItem {
  return {
    ratingKey: str(o.ratingKey) ?? "",
    key: undefined,
    guid: undefined,
    type: str(o.type) ?? "unknown",
    subtype: undefined,
    title: str(o.title) ?? "",
    originalTitle: undefined,
    summary: undefined,
    tagline: undefined,
    studio: undefined,
    contentRating: undefined,
    year: num(o.year),
    index: num(o.index),
    parentIndex: num(o.parentIndex),
    parentRatingKey: undefined,
    parentTitle: str(o.parentTitle),
    grandparentRatingKey: undefined,
    grandparentTitle: str(o.grandparentTitle),
    librarySectionID: str(o.librarySectionID),
    librarySectionTitle: str(o.librarySectionTitle),
    duration: num(o.duration),
    viewOffset: num(o.viewOffset),
    viewCount: num(o.viewCount) ?? 0,
    lastViewedAt: undefined,
    addedAt: undefined,
    updatedAt: undefined,
    originallyAvailableAt: undefined,
    rating: undefined,
    audienceRating: undefined,
    userRating: undefined,
    leafCount: num(o.leafCount),
    viewedLeafCount: num(o.viewedLeafCount),
    childCount: undefined,
    smart: undefined,
    playlistType: undefined,
    playlistItemID: undefined,
    score: undefined,
    genres: [],
    directors: [],
    writers: [],
    countries: [],
    collections: [],
    roles: [],
    externalIds: [],
    media: [],
    thumb: undefined,
    parentThumb: undefined,
    grandparentThumb: undefined,
    art: undefined,
  };
}

/** One library item (`Metadata` element) → {@link PlexItem}. */
export const itemSchema = z
  .custom<Record<string, unknown>>(isObject, "expected an object")
  .transform(readItem);

/** A container of `Metadata[]` items with its paging fields and title. */
export interface ItemsContainer {
  /** Items in this page. */
  size: number | undefined;
  /** All matching items, when Plex says. */
  totalSize: number | undefined;
  /** Offset of this page, when Plex says. */
  offset: number | undefined;
  /** Container titles. */
  title1: string | undefined;
  /** Container titles. */
  title2: string | undefined;
  /** Library of the items, when hoisted. */
  librarySectionID: string | undefined;
  /** Library title, when hoisted. */
  librarySectionTitle: string | undefined;
  /** The container's own ratingKey (playlists, collections). */
  ratingKey: string | undefined;
  /** The container's title (playlists). */
  title: string | undefined;
  /** A smart playlist. */
  smart: boolean | undefined;
  /** `video`, `audio` or `photo`. */
  playlistType: string | undefined;
  /** Items below (playlists). */
  leafCount: number | undefined;
  /** Total duration, ms (playlists). */
  duration: number | undefined;
  /** The items. */
  Metadata: PlexItem[];
}

/** A container of `Metadata[]` items, each read by `readOne`. */
function itemsContainer(
  readOne: (o: Record<string, unknown>) => PlexItem,
): ContainerSchema<ItemsContainer> {
  return containerSchema((c): ItemsContainer => ({
    size: num(c.size),
    totalSize: num(c.totalSize),
    offset: num(c.offset),
    title1: str(c.title1),
    title2: str(c.title2),
    librarySectionID: str(c.librarySectionID),
    librarySectionTitle: str(c.librarySectionTitle),
    ratingKey: str(c.ratingKey),
    title: str(c.title),
    smart: bool(c.smart),
    playlistType: str(c.playlistType),
    leafCount: num(c.leafCount),
    duration: num(c.duration),
    Metadata: objects(c.Metadata, readOne),
  }));
}

/**
 * A container of `Metadata[]` items with paging fields, read by a plain
 * function (a list page is the hot path of most calls).
 */
export const itemsContainerSchema: ContainerSchema<ItemsContainer> =
  itemsContainer(readItem);

/**
 * {@link itemsContainerSchema} with each item read in brief (only what an
 * item summary uses): for pages that are only summarized.
 */
export const itemsBriefContainerSchema: ContainerSchema<ItemsContainer> =
  itemsContainer(readItemBrief);

/** Paging fields of a container. */
export interface CountContainer {
  /** Items in this page. */
  size: number | undefined;
  /** All matching items, when Plex says. */
  totalSize: number | undefined;
  /** Offset of this page. */
  offset: number | undefined;
}

/** A container used only for `totalSize` (paged with size 0). */
export const countSchema: ContainerSchema<CountContainer> = containerSchema((
  c,
): CountContainer => ({
  size: num(c.size),
  totalSize: num(c.totalSize),
  offset: num(c.offset),
}));

// ---------------------------------------------------------------- search

const readHubTag = fieldsReader({
  tag: str,
  title: str,
  type: str,
  key: str,
  filter: str,
  librarySectionID: str,
  librarySectionTitle: str,
  tagType: num,
  count: num,
  score: num,
});

function readHubWith(readOne: (o: Record<string, unknown>) => PlexItem) {
  return (h: Record<string, unknown>) => ({
    type: str(h.type),
    hubIdentifier: str(h.hubIdentifier),
    title: str(h.title),
    size: num(h.size),
    Metadata: objects(h.Metadata, readOne),
    Directory: objects(h.Directory, readHubTag),
  });
}

const readHub = readHubWith(readItem);

/** One search hub: the items and tags of one type. */
export type SearchHub = ReturnType<typeof readHub>;

/** `GET /hubs/search` (and `/hubs`) → hubs. */
export const hubsSchema: ContainerSchema<SearchHub[]> = containerSchema((c) =>
  objects(c.Hub, readHub)
);

const readHubBrief = readHubWith(readItemBrief);

/** {@link hubsSchema} with each item read in brief (search lists them). */
export const hubsBriefSchema: ContainerSchema<SearchHub[]> = containerSchema((
  c,
) => objects(c.Hub, readHubBrief));

export interface TagEntry {
  /** Tag id (what filters take). */
  key: string;
  /** Tag name. */
  title: string;
}

/**
 * `GET /library/sections/{id}/genre` (and other tag lists) → tags with ids;
 * entries without a key or title are dropped.
 */
export const genresSchema: ContainerSchema<TagEntry[]> = containerSchema((c) =>
  objects(c.Directory, (d) => {
    const key = str(d.key);
    const title = str(d.title);
    return key === undefined || title === undefined
      ? undefined
      : { key, title };
  }).filter((t): t is TagEntry => t !== undefined)
);
