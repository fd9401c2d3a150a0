/**
 * The filter vocabulary of a library listing, shared by `browse_library`
 * and the smart collections and playlists built from the same words: the
 * item kinds, the sorts, and the section query Plex expects.
 *
 * Each filter field is sent as the field the library itself advertises
 * for it (`includeMeta=1`: `Meta.Type[].Field[].key`, per level), as
 * python-plexapi does (library.py:1061-1093 `_validateFilterField`): at
 * the level of the items asked for when that level offers it (a show's
 * "unwatched" is `show.unwatchedLeaves`), else at the other levels, the
 * last first (genres of episodes are `show.genre`, unwatched seasons
 * `episode.unwatched`). Tag names become tag ids from that filter's own
 * listing (API.md §26.2). A field no level offers is refused, naming what
 * the level does offer.
 *
 * @module
 */
import type { PlexClient, ResponseSchema } from "../../plex/client.ts";
import { PLEX_TYPE_NUMBERS } from "../../plex/metadata_types.ts";
import type { Section } from "../../plex/models.ts";
import { containerReader, isObject, objects, str } from "../../plex/readers.ts";
import { genresSchema } from "../../plex/schemas.ts";
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

/** What one level of a library offers to filter on (`Meta.Type[]`). */
export interface FilterLevel {
  /** `movie`, `show`, `season`, `episode`, `artist`… */
  type: string;
  /** Its fields, `Field[].key` (`show.title`; a movie's are bare). */
  fields: string[];
  /** Its filters' value listings, `Filter[].filter` → `Filter[].key`. */
  listings: Map<string, string>;
}

/**
 * `GET /library/sections/{key}/all?includeMeta=1…` → the levels the library
 * advertises (`MediaContainer.Meta.Type[]`, recorded in
 * GET__library_sections_{sectionId}_all.paged.json and, for a TV library,
 * API.md §26.2); none when the answer has no `Meta`.
 */
export const filterLevelsSchema: ResponseSchema<FilterLevel[]> =
  containerReader((c) => {
    const meta = isObject(c.Meta) ? c.Meta : undefined;
    return objects(meta?.Type).flatMap((t): FilterLevel[] => {
      const type = str(t.type);
      if (!type) return [];
      const fields = objects(t.Field).flatMap((f) => str(f.key) ?? []);
      const listings = new Map<string, string>();
      for (const f of objects(t.Filter)) {
        const name = str(f.filter);
        const key = str(f.key);
        if (name && key) listings.set(name, key);
      }
      return [{ type, fields, listings }];
    });
  });

/**
 * Fields Plex takes but does not advertise, as python-plexapi adds them
 * (library.py:2775 `_manualFields`), where one is a word of ours: a
 * season's year.
 */
const UNADVERTISED: Record<string, string[]> = { season: ["season.year"] };

/** Our filter words → the field names Plex may offer for each, in order. */
const WORDS = {
  year: ["year"],
  // A show's own "Unwatched" is `unwatchedLeaves` (a TV library advertises
  // `unwatched` only for episodes, spec-old get-library-all.spec.ts).
  unwatched: ["unwatched", "unwatchedLeaves"],
  title: ["title"],
  genre: ["genre"],
  actor: ["actor"],
  director: ["director"],
} as const;

type Word = keyof typeof WORDS;

const lastPart = (key: string) => key.slice(key.lastIndexOf(".") + 1);

/** The levels a library advertises (one request; cached like any GET). */
export function filterLevels(
  plex: PlexClient,
  section: Section,
  signal: AbortSignal,
): Promise<FilterLevel[]> {
  // python-plexapi's request for them (library.py:874 `_loadFilters`).
  return plex.getJson(
    `/library/sections/${section.key}/all`,
    filterLevelsSchema,
    {
      query: {
        includeMeta: 1,
        includeAdvanced: 1,
        "X-Plex-Container-Start": 0,
        "X-Plex-Container-Size": 0,
      },
      signal,
    },
  );
}

/**
 * The field to send for `word` when `own` items are listed: the first
 * of its names `own` offers, else one another level offers (the last
 * level first); undefined when none does.
 */
export function resolveField(
  levels: readonly FilterLevel[],
  own: string,
  word: Word,
): { key: string; level: FilterLevel } | undefined {
  const offered = (level: FilterLevel, name: string) =>
    [...level.fields, ...(UNADVERTISED[level.type] ?? [])].find((k) =>
      lastPart(k) === name
    );
  const mine = levels.find((l) => l.type === own);
  const order = [
    ...(mine ? [mine] : []),
    ...[...levels].reverse().filter((l) => l !== mine),
  ];
  for (const level of order) {
    for (const name of WORDS[word]) {
      const key = offered(level, name);
      if (key) return { key, level };
    }
  }
  return undefined;
}

/**
 * The query of `/library/sections/{key}/all` for `filter`, and the kind of
 * item it selects. Filter fields are resolved against what the library
 * advertises (one request, only when a field is given); tag names are
 * resolved to ids in this library (one request per tag kind named).
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
  const words = (Object.keys(WORDS) as Word[]).filter((w) =>
    filter[w] !== undefined && filter[w] !== false && filter[w] !== ""
  );
  if (words.length === 0) return { query, resultType };
  const levels = await filterLevels(plex, section, signal);
  const kinds = `${resultType}s`;
  for (const word of words) {
    const found = levels.length
      ? resolveField(levels, resultType, word)
      : legacyField(section, resultType, word);
    if (!found) {
      const mine = levels.find((l) => l.type === resultType);
      const names = [...new Set(mine?.fields.map(lastPart) ?? [])];
      throw new ToolInputError(
        `Library "${section.title}" offers no ${word} filter for ${kinds}${
          names.length
            ? ` (its ${resultType} filters: ${names.join(", ")})`
            : ""
        }`,
      );
    }
    if (word === "genre" || word === "actor" || word === "director") {
      query[found.key] = await tagId(
        plex,
        section,
        found.level,
        word,
        filter[word]!,
        signal,
        options.exact === true,
      );
    } else if (word === "unwatched") {
      query[found.key] = 1;
    } else {
      query[found.key] = filter[word] as string | number;
    }
  }
  return { query, resultType };
}

/**
 * Without the library's `Meta` (an answer that lacks it): the field named
 * by level as before, tags where they live (API.md §26.2).
 */
function legacyField(
  section: Section,
  resultType: string,
  word: Word,
): { key: string; level: FilterLevel } {
  const below = resultType !== section.type;
  const tag = word === "genre" || word === "actor" || word === "director";
  const type = !tag || !below
    ? resultType
    : word === "director" && resultType === "episode"
    ? "episode"
    : section.type;
  const key = !below ? word : `${type}.${word}`;
  return { key, level: { type, fields: [key], listings: new Map() } };
}

/** The id of tag `wanted` of `kind`, from the level's own listing. */
async function tagId(
  plex: PlexClient,
  section: Section,
  level: FilterLevel,
  kind: "genre" | "actor" | "director",
  wanted: string,
  signal: AbortSignal,
  exact: boolean,
): Promise<string> {
  const listed = level.listings.get(kind);
  // Only a listing of this library (python-plexapi lists the filter's own
  // `key`, library.py:1158); else the kind's listing for the level.
  const path = listed?.startsWith(`/library/sections/${section.key}/`) &&
      !listed.includes("..")
    ? listed
    : `/library/sections/${section.key}/${kind}`;
  const [pathname, search = ""] = path.split("?");
  const type = Object.hasOwn(PLEX_TYPE_NUMBERS, level.type)
    ? PLEX_TYPE_NUMBERS[level.type as keyof typeof PLEX_TYPE_NUMBERS]
    : undefined;
  const query: Record<string, string | number> = Object.fromEntries(
    new URLSearchParams(search),
  );
  if (!listed && type !== undefined) query.type = type;
  const tags = await plex.getJson(pathname!, genresSchema, { query, signal });
  if (tags.length === 0) {
    throw new ToolInputError(
      `Library "${section.title}" has no ${kind}s to filter by`,
    );
  }
  return pick(kind, wanted, tags, (g) => g.key, (g) => g.title, { exact })
    .key;
}
