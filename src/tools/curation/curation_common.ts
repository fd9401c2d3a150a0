/**
 * Shared pieces of the curation tools: reading items as edits see them,
 * resolving a collection, the edit call, and the filter vocabulary of
 * smart collections and playlists (the one `browse_library` takes).
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { QueryValue } from "../../transport/request.ts";
import { type EditableItem, editableSchema } from "../../plex/editable.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { PLEX_TYPE_NUMBERS } from "../../plex/metadata_types.ts";
import type { Section } from "../../plex/models.ts";
import { ToolInputError } from "../shared/define_tool.ts";
import { safeId } from "../shared/ids.ts";
import {
  FILTER_SORTS,
  FILTER_TYPES,
  sectionQuery,
} from "../shared/section_filter.ts";

export { FILTER_SORTS, FILTER_TYPES } from "../shared/section_filter.ts";

/**
 * Reads items (one request for all keys, `/library/metadata/{rk1},{rk2}`,
 * API.md §5) in the order asked; a ratingKey Plex does not know is named.
 */
export async function fetchEditables(
  plex: PlexClient,
  keys: readonly string[],
  signal: AbortSignal,
): Promise<EditableItem[]> {
  const unique = [...new Set(keys)];
  const path = `/library/metadata/${unique.join(",")}`;
  const items = await plex.getJson(path, editableSchema, {
    signal,
    cache: false,
  }).catch((e: unknown) => {
    if (e instanceof PlexNotFoundError) return [];
    throw e;
  });
  const byKey = new Map(items.map((i) => [i.ratingKey, i]));
  const missing = unique.filter((k) => !byKey.has(k));
  if (missing.length) {
    throw new ToolInputError(`No item with ratingKey ${missing.join(", ")}`);
  }
  return unique.map((k) => byKey.get(k)!);
}

/** Reads one item as edits see it (never from the cache). */
export async function fetchEditable(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<EditableItem> {
  return (await fetchEditables(plex, [ratingKey], signal))[0]!;
}

/** Reads a collection by ratingKey; anything else is refused. */
export async function resolveCollection(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<EditableItem & { librarySectionID: string }> {
  const c = await fetchEditable(plex, ratingKey, signal);
  if (c.type !== "collection") {
    throw new ToolInputError(
      `Item ${ratingKey} is a ${c.type}, not a collection; list_collections lists them`,
    );
  }
  if (!c.librarySectionID) {
    throw new Error(
      `Plex did not say which library collection ${ratingKey} is in`,
    );
  }
  safeId(c.librarySectionID, "library");
  return c as EditableItem & { librarySectionID: string };
}

/** The ratingKeys of a collection's items, in Plex's order. */
export async function collectionMembers(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<{ ratingKey: string; title: string }[]> {
  const out: { ratingKey: string; title: string }[] = [];
  for await (
    const item of plex.iterate(`/library/collections/${ratingKey}/children`, {
      limit: 100,
      signal,
      cache: false,
    })
  ) {
    out.push({ ratingKey: item.ratingKey, title: item.title });
  }
  return out;
}

/** Plex's numeric type of an item type name, or undefined. */
export function typeNumber(type: string): number | undefined {
  return Object.hasOwn(PLEX_TYPE_NUMBERS, type)
    ? PLEX_TYPE_NUMBERS[type as keyof typeof PLEX_TYPE_NUMBERS]
    : undefined;
}

/**
 * The metadata edit call (API.md §20.1): `PUT
 * /library/sections/{sid}/all?type={N}&id={rk}&…`. The `id` is always
 * sent: without it Plex edits every item of that type in the library.
 */
export async function sendEdit(
  plex: PlexClient,
  item: { ratingKey: string; type: string; librarySectionID?: string },
  query: Record<string, QueryValue>,
  signal: AbortSignal,
): Promise<void> {
  const type = typeNumber(item.type);
  if (type === undefined || !item.librarySectionID) {
    throw new ToolInputError(
      `Plex does not edit a ${item.type} (${item.ratingKey}) this way`,
    );
  }
  const section = safeId(item.librarySectionID, "library");
  await plex.send(`/library/sections/${section}/all`, {
    method: "PUT",
    query: { type, id: safeId(item.ratingKey, "item"), ...query },
    signal,
  });
}

/** The `server://` URI of a library section query. */
export function sectionUri(
  machineIdentifier: string,
  sectionKey: string,
  query: Record<string, string | number>,
): string {
  const q = new URLSearchParams(
    Object.entries(query).map(([k, v]) => [k, String(v)]),
  ).toString();
  return `server://${machineIdentifier}/com.plexapp.plugins.library/library/sections/${sectionKey}/all?${q}`;
}

/** The filter of a smart collection or playlist: browse_library's vocabulary. */
export const smartFilterInput = z.strictObject({
  type: z.enum(FILTER_TYPES).optional().describe("Default: the library's own"),
  sort: z.enum(Object.keys(FILTER_SORTS) as [keyof typeof FILTER_SORTS])
    .default("title"),
  genre: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  director: z.string().min(1).optional(),
  year: z.number().int().min(1800).max(2200).optional(),
  unwatched: z.boolean().optional(),
  title: z.string().min(1).optional().describe("Part of the title"),
  limit: z.number().int().min(1).max(1000).optional().describe("At most"),
}).describe("What browse_library takes");

/** A filter as the handler receives it. */
export type SmartFilter = z.output<typeof smartFilterInput>;

/**
 * The section query of a smart filter: browse_library's, with whole tag
 * names (a write names what it means) and the type always sent.
 */
export async function filterQuery(
  plex: PlexClient,
  section: Section,
  filter: SmartFilter,
  signal: AbortSignal,
): Promise<{ query: Record<string, string | number>; resultType: string }> {
  const built = await sectionQuery(plex, section, filter, signal, {
    exact: true,
    alwaysType: true,
  });
  if (filter.limit !== undefined) built.query.limit = filter.limit;
  return built;
}

/** A filter in words: `horror movies, unwatched, newest first`. */
export function describeFilter(
  filter: SmartFilter,
  resultType: string,
): string {
  const bits = [
    `${filter.genre ? `${filter.genre} ` : ""}${resultType}s`,
    filter.actor && `with ${filter.actor}`,
    filter.director && `directed by ${filter.director}`,
    filter.year !== undefined && `from ${filter.year}`,
    filter.title && `titled like "${filter.title}"`,
    filter.unwatched && "unwatched",
    `sorted by ${filter.sort.replaceAll("_", " ")}`,
    filter.limit !== undefined && `at most ${filter.limit}`,
  ];
  return bits.filter(Boolean).join(", ");
}
