/**
 * How the fake reads a library query: filters with operators, the level a
 * filter applies at, tags, unwatched and sorting, as Plex does.
 *
 * @module
 */
export { type Fault, FAULTS } from "./faults.ts";
import { type DemoItem, titleSort } from "../library.ts";

/** Query parameters that are filters on a field (not paging or options). */
const FILTER_FIELDS = [
  "title",
  "year",
  "genre",
  "actor",
  "director",
  "unwatched",
  "unwatchedLeaves",
  "inProgress",
  // ppa's manual field `guid` (operator `=` only) and the per-user fields
  // with integer/date operators `>>=` and `<<=` (API.md §26.2).
  "guid",
  "viewCount",
  "lastViewedAt",
];

/** A filter key without its operator: `lastViewedAt>>` → field and `>>`. */
function splitOperator(key: string): { field: string; op: string } {
  const m = /^(.*?)(>>|<<)?$/.exec(key)!;
  return { field: m[1]!, op: m[2] ?? "" };
}

/**
 * A `/all` query whose filters or sort do not fit the result type: when
 * `type` asks for a level below the library's own (episodes of a TV
 * library), Plex's media queries address fields by level — `episode.year`,
 * `show.genre`, `sort=episode.titleSort` (API.md §26.2, python-plexapi
 * library.py:1061-1280, which always sends the level) — so a bare field is
 * refused here rather than silently applied to the wrong level.
 */
export function queryLevelProblem(
  primary: string,
  resultType: string,
  p: URLSearchParams,
): string | undefined {
  if (resultType === primary) return undefined;
  for (const key of p.keys()) {
    if (FILTER_FIELDS.includes(splitOperator(key).field)) {
      return `bare field ${key} for type ${resultType}`;
    }
  }
  const sort = p.get("sort");
  if (sort && sort.split(",").some((s) => !s.includes("."))) {
    return `bare sort ${sort} for type ${resultType}`;
  }
  return undefined;
}

/**
 * Applies Plex-style filters from the query to a list of items. A field may
 * name its level (`show.genre`, `episode.year`): the condition then holds
 * when it holds for the item's ancestor of that type, or for one of its
 * descendants of that type (`level` resolves them: a show with an
 * unwatched episode for `episode.unwatched`).
 */
export function filterItems(
  items: DemoItem[],
  p: URLSearchParams,
  level: (item: DemoItem, type: string) => DemoItem[] = (i) => [i],
): DemoItem[] {
  let out = items;
  for (const [key, value] of p.entries()) {
    const dot = key.indexOf(".");
    const type = dot < 0 ? undefined : key.slice(0, dot);
    const { field, op } = splitOperator(dot < 0 ? key : key.slice(dot + 1));
    if (!FILTER_FIELDS.includes(field)) continue;
    // Only the numeric fields take an operator.
    if (op && field !== "viewCount" && field !== "lastViewedAt") continue;
    const at = (i: DemoItem) => type ? level(i, type) : [i];
    const holds = (i: DemoItem): boolean => {
      switch (field) {
        case "title":
          return String(i.raw.title ?? "").toLowerCase().includes(
            value.toLowerCase(),
          );
        case "year":
          return value.split(",").map(Number).includes(Number(i.raw.year));
        case "unwatched":
        case "unwatchedLeaves":
          return value !== "1" || isUnwatched(i);
        case "inProgress":
          return value !== "1" || Number(i.raw.viewOffset ?? 0) > 0;
        case "guid":
          return i.raw.guid === value;
        case "viewCount":
        case "lastViewedAt": {
          const have = Number(i.raw[field] ?? 0);
          const want = Number(value);
          return op === ">>"
            ? have > want
            : op === "<<"
            ? have < want
            : have === want;
        }
        default: {
          // Like Plex, tag filters take tag ids (/library/sections/{id}/genre).
          const wanted = value.split(",").map(Number);
          return tagsOf(i, field as TagKind).some((t) =>
            wanted.includes(tagId(t))
          );
        }
      }
    };
    out = out.filter((item) => at(item).some(holds));
  }
  return out;
}

/** Tag kinds the fake can list and filter by. */
export type TagKind = "genre" | "actor" | "director";

/** Every tag kind. */
export const TAG_KINDS: readonly TagKind[] = ["genre", "actor", "director"];

const TAG_FIELD: Record<TagKind, string> = {
  genre: "Genre",
  actor: "Role",
  director: "Director",
};

/** Tag names of one kind on an item. */
export function tagsOf(item: DemoItem, kind: TagKind): string[] {
  const tags = item.raw[TAG_FIELD[kind]] as { tag: string }[] | undefined;
  return (tags ?? []).map((t) => t.tag);
}

/** A stable tag id for a tag name (Plex filters tags by id). */
export function tagId(name: string): number {
  let h = 0;
  for (const ch of name.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 90_000;
  return 10_000 + h;
}

/** Whether an item (or any leaf below it) is unwatched. */
export function isUnwatched(item: DemoItem): boolean {
  const leafCount = item.raw.leafCount;
  if (typeof leafCount === "number") {
    return Number(item.raw.viewedLeafCount ?? 0) < leafCount;
  }
  return !item.raw.viewCount;
}

/**
 * Sorts by Plex sort expressions such as `titleSort`, `addedAt:desc`,
 * `episode.titleSort` (the level prefix is the result's own here).
 */
export function sortItems(items: DemoItem[], sort: string | null): DemoItem[] {
  if (!sort) return items;
  const [rawField = "titleSort", dir = "asc"] = sort.split(",")[0]!.split(":");
  const field = rawField.includes(".") ? rawField.split(".")[1]! : rawField;
  const sign = dir === "desc" ? -1 : 1;
  const value = (i: DemoItem): string | number =>
    field === "titleSort"
      ? titleSort(i.raw).toLowerCase()
      : (i.raw[field] as number | string | undefined) ?? 0;
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const cmp = typeof va === "string" && typeof vb === "string"
      ? va.localeCompare(vb)
      : Number(va) - Number(vb);
    return cmp !== 0 ? sign * cmp : a.ratingKey.localeCompare(b.ratingKey);
  });
}
