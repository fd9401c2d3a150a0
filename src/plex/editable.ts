/**
 * What the curation tools read of an item before and after an edit: the
 * editable fields, the tags, which fields are locked, and a collection's
 * settings. Tolerant like the other schemas (`Field[]`, `Label[]` omitted
 * when empty, numbers as strings).
 *
 * @module
 */
import { containerReader, num, objects, str } from "./readers.ts";
import type { ResponseSchema } from "../transport/types.ts";

/** One item as an edit sees it. */
export interface EditableItem {
  /** Item id. */
  ratingKey: string;
  /** `movie`, `show`, `collection`… */
  type: string;
  /** The agent entry it is matched to (`plex://movie/…`, `local://…`). */
  guid: string | undefined;
  /** Title. */
  title: string;
  /** Sort title (Plex sends it only when it differs from the title). */
  titleSort: string | undefined;
  /** Original title. */
  originalTitle: string | undefined;
  /** Summary. */
  summary: string | undefined;
  /** Tagline. */
  tagline: string | undefined;
  /** Studio. */
  studio: string | undefined;
  /** Content rating, e.g. `PG`. */
  contentRating: string | undefined;
  /** Year. */
  year: number | undefined;
  /** Release date, `YYYY-MM-DD`. */
  originallyAvailableAt: string | undefined;
  /** Library of the item (from the item or its container). */
  librarySectionID: string | undefined;
  /** Parent (artist of an album, show of a season). */
  parentRatingKey: string | undefined;
  /** Genre names. */
  genres: string[];
  /** Label names. */
  labels: string[];
  /** Collection names. */
  collections: string[];
  /** Names of the locked fields (`title`, `genre`…), from `Field[]`. */
  locked: string[];
  /** Collections: item type they hold. */
  subtype: string | undefined;
  /** Collections: a smart collection. */
  smart: boolean;
  /** Collections and playlists: how many items. */
  childCount: number | undefined;
  /** Collections: −1 library default, 0 hidden, 1 hide items, 2 show both. */
  collectionMode: number | undefined;
  /** Collections: 0 release date, 1 alphabetical, 2 custom. */
  collectionSort: number | undefined;
  /** Smart collections and playlists: the filter URI. */
  content: string | undefined;
  /** Epoch seconds of the last change. */
  updatedAt: number | undefined;
}

function tags(v: unknown): string[] {
  return objects(v).map((t) => str(t.tag)).filter((t) => t !== undefined);
}

/** Reads one `Metadata` element; `section` is the container's library. */
export function readEditable(
  o: Record<string, unknown>,
  section?: string,
): EditableItem {
  const locked = objects(o.Field)
    .filter((f) => f.locked === true || f.locked === 1 || f.locked === "1")
    .map((f) => str(f.name))
    .filter((n) => n !== undefined);
  return {
    ratingKey: str(o.ratingKey) ?? "",
    type: str(o.type) ?? "unknown",
    guid: str(o.guid),
    title: str(o.title) ?? "",
    titleSort: str(o.titleSort),
    originalTitle: str(o.originalTitle),
    summary: str(o.summary),
    tagline: str(o.tagline),
    studio: str(o.studio),
    contentRating: str(o.contentRating),
    year: num(o.year),
    originallyAvailableAt: str(o.originallyAvailableAt),
    librarySectionID: str(o.librarySectionID) ?? section,
    parentRatingKey: str(o.parentRatingKey),
    genres: tags(o.Genre),
    labels: tags(o.Label),
    collections: tags(o.Collection),
    locked,
    subtype: str(o.subtype),
    smart: o.smart === true || o.smart === 1 || o.smart === "1",
    childCount: num(o.childCount) ?? num(o.leafCount),
    collectionMode: num(o.collectionMode),
    collectionSort: num(o.collectionSort),
    content: str(o.content),
    updatedAt: num(o.updatedAt),
  };
}

/** `GET /library/metadata/{ids}` → the items as edits see them. */
export const editableSchema: ResponseSchema<EditableItem[]> = containerReader(
  (c) => {
    const section = str(c.librarySectionID);
    return objects(c.Metadata).map((o) => readEditable(o, section));
  },
);

/** One poster or background candidate of an item. */
export interface ArtworkEntry {
  /** The entry's ratingKey: what selecting it sends as `url`. */
  id: string;
  /** `tmdb`, `tvdb`, `fanarttv`, `local`… when Plex says. */
  provider: string | undefined;
  /** Shown now. */
  selected: boolean;
  /** A preview: a remote URL, or a server path (needs the token). */
  thumb: string | undefined;
}

/**
 * `GET /library/metadata/{rk}/posters` (or `/arts`) → the candidates
 * (`Metadata[]` of `{key, ratingKey, provider?, selected, thumb}`, API.md
 * §18.3).
 */
export const artworkSchema: ResponseSchema<ArtworkEntry[]> = containerReader(
  (c) => {
    return objects(c.Metadata).flatMap((o) => {
      const id = str(o.ratingKey);
      return id === undefined ? [] : [{
        id,
        provider: str(o.provider),
        selected: o.selected === true || o.selected === 1 ||
          o.selected === "1",
        thumb: str(o.thumb),
      }];
    });
  },
);

/** One match candidate an agent offers. */
export interface MatchCandidate {
  /** The agent entry (what a match sends as `guid`). */
  guid: string;
  /** Its title. */
  name: string;
  /** Its year. */
  year: number | undefined;
  /** How well it fits, 0–100. */
  score: number | undefined;
}

/**
 * `GET /library/metadata/{rk}/matches` → `SearchResult[]` `{guid, name,
 * score, year, thumb}` (API.md §20.4; what @ctrl/plex and python-plexapi
 * read, not the spec's `Metadata[]`).
 */
export const matchesSchema: ResponseSchema<MatchCandidate[]> = containerReader(
  (c) => {
    return objects(c.SearchResult).flatMap((o) => {
      const guid = str(o.guid);
      return guid === undefined ? [] : [{
        guid,
        name: str(o.name) ?? "",
        year: num(o.year),
        score: num(o.score),
      }];
    });
  },
);
