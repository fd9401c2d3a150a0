/**
 * The filter vocabulary of a library listing, shared by `browse_library`
 * and the smart collections and playlists built from the same words: the
 * item kinds, the sorts, and the section query Plex expects, with fields of
 * a level below the library's own named by level (`episode.year`) and tags
 * where they live (`show.genre`), by tag id (API.md §26.2).
 *
 * @module
 */
import type { PlexClient } from "../plex/client.ts";
import { PLEX_TYPE_NUMBERS } from "../plex/metadata_types.ts";
import type { Section } from "../plex/models.ts";
import { genresSchema } from "../plex/schemas.ts";
import { ToolInputError } from "./define_tool.ts";
import { pick } from "./resolve.ts";

/** Item kinds a listing can be filtered to. */
export const FILTER_TYPES = [
  "movie",
  "show",
  "season",
  "episode",
  "artist",
  "album",
  "track",
  "photo",
] as const;

/** Sorts by the names the tools take → Plex's sort. */
export const FILTER_SORTS = {
  title: "titleSort",
  title_desc: "titleSort:desc",
  added_desc: "addedAt:desc",
  added_asc: "addedAt",
  year_desc: "year:desc",
  year_asc: "year",
  rating_desc: "rating:desc",
  last_viewed_desc: "lastViewedAt:desc",
  release_desc: "originallyAvailableAt:desc",
} as const;

/** A filter in the tools' words. */
export interface SectionFilter {
  /** Item kind; default the library's own. */
  type?: typeof FILTER_TYPES[number];
  /** Sort. */
  sort: keyof typeof FILTER_SORTS;
  /** Genre name. */
  genre?: string;
  /** Actor name. */
  actor?: string;
  /** Director name. */
  director?: string;
  /** Release year. */
  year?: number;
  /** Unwatched only. */
  unwatched?: boolean;
  /** Part of the title. */
  title?: string;
}

/** How {@link sectionQuery} builds the query. */
export interface SectionQueryOptions {
  /** Tag names must match whole (writes); else a part will do (reads). */
  exact?: boolean;
  /** Send `type` even for the library's own kind (smart filters do). */
  alwaysType?: boolean;
}

/**
 * The query of `/library/sections/{key}/all` for `filter`, and the kind of
 * item it selects. Tag names are resolved to ids in this library (one
 * request per tag kind named).
 */
export async function sectionQuery(
  plex: PlexClient,
  section: Section,
  filter: SectionFilter,
  signal: AbortSignal,
  options: SectionQueryOptions = {},
): Promise<{ query: Record<string, string | number>; resultType: string }> {
  const resultType = filter.type ?? section.type;
  const below = resultType !== section.type;
  const own = (field: string) => below ? `${resultType}.${field}` : field;
  const tagLevel = (kind: "genre" | "actor" | "director") =>
    !below
      ? kind
      : kind === "director" && resultType === "episode"
      ? "episode.director"
      : `${section.type}.${kind}`;
  const query: Record<string, string | number> = {};
  if (filter.type !== undefined || options.alwaysType) {
    const type = Object.hasOwn(PLEX_TYPE_NUMBERS, resultType)
      ? PLEX_TYPE_NUMBERS[resultType as keyof typeof PLEX_TYPE_NUMBERS]
      : undefined;
    if (type === undefined) {
      throw new ToolInputError(`A filter cannot select ${resultType} items`);
    }
    query.type = type;
  }
  query.sort = FILTER_SORTS[filter.sort].split(",").map(own).join(",");
  if (filter.year !== undefined) query[own("year")] = filter.year;
  if (filter.unwatched) query[own("unwatched")] = 1;
  if (filter.title) query[own("title")] = filter.title;
  for (const kind of ["genre", "actor", "director"] as const) {
    const wanted = filter[kind];
    if (!wanted) continue;
    const tags = await plex.getJson(
      `/library/sections/${section.key}/${kind}`,
      genresSchema,
      { signal },
    );
    if (tags.length === 0) {
      throw new ToolInputError(
        `Library "${section.title}" has no ${kind}s to filter by`,
      );
    }
    query[tagLevel(kind)] = pick(
      kind,
      wanted,
      tags,
      (g) => g.key,
      (g) => g.title,
      { exact: options.exact === true },
    ).key;
  }
  return { query, resultType };
}
