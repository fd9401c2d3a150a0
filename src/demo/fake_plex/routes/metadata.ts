/**
 * Fake Plex: the metadata edit call with field locks, and refreshing an
 * item from its agent (API.md §20).
 *
 * Each item's values as the agent supplied them are kept from before its
 * first edit, so a refresh can put back what is not locked and keep what
 * is, as Plex does ("locked fields are not modified", ppa library.py:214).
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import { DEMO_EPOCH, type DemoItem, type RawObject } from "../../library.ts";
import {
  addMembers,
  collectionNamed,
  newCollection,
  removeMembers,
  renameCollection,
} from "./curation.ts";
import { PLEX_TYPE_NUMBERS } from "../../../plex/metadata_types.ts";
import { startWork } from "../work.ts";

/**
 * Fields and tags each type takes: python-plexapi's edit mixins per class
 * (mixins.py:1232-1325, API.md §20.2; `year` as public scripts send it).
 * Others are left alone, as nothing says Plex refuses them.
 */
const EDITABLE: Record<string, { fields: string[]; tags: string[] }> = {
  movie: {
    fields: [
      "title",
      "titleSort",
      "originalTitle",
      "summary",
      "tagline",
      "studio",
      "contentRating",
      "year",
      "originallyAvailableAt",
    ],
    tags: [
      "collection",
      "country",
      "director",
      "genre",
      "label",
      "producer",
      "writer",
    ],
  },
  show: {
    fields: [
      "title",
      "titleSort",
      "originalTitle",
      "summary",
      "tagline",
      "studio",
      "contentRating",
      "year",
      "originallyAvailableAt",
    ],
    tags: ["collection", "genre", "label"],
  },
  season: { fields: ["title", "summary"], tags: ["collection", "label"] },
  episode: {
    fields: [
      "title",
      "titleSort",
      "summary",
      "contentRating",
      "originallyAvailableAt",
    ],
    tags: ["collection", "director", "label", "writer"],
  },
  artist: {
    fields: ["title", "titleSort", "summary"],
    tags: ["collection", "country", "genre", "label", "mood", "style"],
  },
  album: {
    fields: [
      "title",
      "titleSort",
      "summary",
      "studio",
      "year",
      "originallyAvailableAt",
    ],
    tags: ["collection", "genre", "label", "mood", "style"],
  },
  track: {
    fields: ["title", "originalTitle", "index", "parentIndex"],
    tags: ["collection", "genre", "label", "mood"],
  },
  photo: {
    fields: ["title", "titleSort", "summary", "originallyAvailableAt"],
    tags: ["tag"],
  },
  collection: {
    fields: ["title", "titleSort", "summary", "contentRating"],
    tags: ["label"],
  },
};

const NUMERIC = new Set(["year", "index", "parentIndex"]);

/** Tag name → the item's array key (`genre` → `Genre`). */
function tagKey(tag: string): string {
  return tag[0]!.toUpperCase() + tag.slice(1);
}

/** Names of an item's tags of one kind. */
function tagNames(raw: RawObject, tag: string): string[] {
  return ((raw[tagKey(tag)] as { tag: string }[] | undefined) ?? []).map((t) =>
    t.tag
  );
}

function setTags(raw: RawObject, tag: string, names: string[]): void {
  if (names.length) raw[tagKey(tag)] = names.map((t) => ({ tag: t }));
  else delete raw[tagKey(tag)];
}

/** Locked field names (`Field[]` entries with `locked`). */
function lockedFields(raw: RawObject): Set<string> {
  return new Set(
    ((raw.Field as { name: string; locked: boolean }[] | undefined) ?? [])
      .filter((f) => f.locked).map((f) => f.name),
  );
}

/**
 * Locked fields are listed as `Field` entries (`<Field locked="1"
 * name="thumb"/>`, plexopedia's movie page); an unlocked field leaves the
 * list (ppa tests/test_mixins.py:16-48).
 */
function setLocked(raw: RawObject, locked: Set<string>): void {
  if (locked.size) {
    raw.Field = [...locked].sort().map((name) => ({ locked: true, name }));
  } else delete raw.Field;
}

/** Percent-decodes once more, as ppa double-encodes removals. */
function decodeAgain(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** One poster or background an item can show. */
interface Artwork {
  /** What Plex lists as the entry's ratingKey (the `url` to select it). */
  id: string;
  /** Where it comes from, when Plex says. */
  provider: string | undefined;
}

/** Kinds of artwork: list path → the item field that shows it. */
const ARTWORK = {
  posters: { field: "thumb" },
  arts: { field: "art" },
} as const;

/** Registers the metadata edit routes. */
export function registerMetadataRoutes(fake: FakePlexState): void {
  const lib = fake.library;
  /** Each item's artwork candidates and which one is selected. */
  const artwork = new Map<
    string,
    Record<keyof typeof ARTWORK, { list: Artwork[]; selected: string }>
  >();
  fake.keepsState(artwork as Map<unknown, unknown>);
  // The entry ratingKey forms API.md §18.3 records: agent downloads
  // (`metadata://posters/{agent}_{hash}`) and remote candidates (TMDB).
  const artworkOf = (item: DemoItem) => {
    let a = artwork.get(item.ratingKey);
    if (!a) {
      const make = (kind: keyof typeof ARTWORK): {
        list: Artwork[];
        selected: string;
      } => {
        const list: Artwork[] = [0, 1, 2].map((n) => ({
          id: `metadata://${kind}/tv.plex.agents.movie_${item.ratingKey}${n}`,
          provider: undefined,
        }));
        list.push({
          id:
            `https://image.tmdb.org/t/p/original/${kind}${item.ratingKey}.jpg`,
          provider: "tmdb",
        });
        return { list, selected: list[0]!.id };
      };
      a = { posters: make("posters"), arts: make("arts") };
      artwork.set(item.ratingKey, a);
    }
    return a;
  };
  /** What the agent supplied, from before the first edit. */
  const agent = new WeakMap<RawObject, RawObject>();
  const remember = (raw: RawObject) => {
    if (!agent.has(raw)) agent.set(raw, structuredClone(raw));
  };
  /** The agent's values of an item (its own until it is first edited). */
  const original = (raw: RawObject) => agent.get(raw) ?? raw;

  /** Applies the edit query to one item; a Response when Plex would refuse. */
  const edit = (item: DemoItem, q: URLSearchParams): Response | undefined => {
    const raw = item.raw;
    const type = String(raw.type);
    const can = EDITABLE[type] ?? { fields: [], tags: [] };
    const locked = lockedFields(raw);
    const collection = type === "collection"
      ? lib.collections.get(item.ratingKey)
      : undefined;
    // Validate first, so a refused edit changes nothing.
    const title = q.get("title.value");
    if (title !== null && !title.trim()) return fake.badRequest();
    if (collection && title !== null) {
      // Renaming to a title another collection has: 409 (spec:7931).
      const taken = collectionNamed(lib, collection.sectionId, title.trim());
      if (taken && taken[0] !== item.ratingKey) {
        return new Response(null, { status: 409 });
      }
    }
    for (const f of NUMERIC) {
      const v = q.get(`${f}.value`);
      if (v !== null && v !== "" && !/^\d+$/.test(v)) return fake.badRequest();
    }
    remember(raw);
    for (const f of can.fields) {
      const v = q.get(`${f}.value`);
      if (v === null) continue;
      if (f === "title" && collection) {
        renameCollection(lib, collection, v.trim());
      } else if (v === "") delete raw[f];
      else raw[f] = NUMERIC.has(f) ? Number(v) : v;
    }
    // Tags: `{tag}[i].tag.tag` is the whole new list (what ppa sends, its
    // existing tags plus the new ones); `{tag}[].tag.tag-=a,b` removes.
    const lists = new Map<string, string[]>();
    const removals = new Map<string, string[]>();
    for (const [key, value] of q.entries()) {
      const m = /^(\w+)\[(\d*)\]\.tag\.tag(-?)$/.exec(key);
      if (!m || !can.tags.includes(m[1]!)) continue;
      if (m[3] === "-") {
        removals.set(m[1]!, value.split(",").map(decodeAgain));
      } else if (m[2] !== "") {
        const list = lists.get(m[1]!) ?? [];
        list[Number(m[2])] = value;
        lists.set(m[1]!, list);
      }
    }
    const tagChanges = new Map<string, { before: string[]; after: string[] }>();
    for (const tag of new Set([...lists.keys(), ...removals.keys()])) {
      const before = tagNames(raw, tag);
      let after = lists.has(tag)
        ? lists.get(tag)!.filter((n) => n !== undefined && n.trim() !== "")
        : before;
      const gone = (removals.get(tag) ?? []).map((n) => n.toLowerCase());
      after = after.filter((n, i, all) =>
        !gone.includes(n.toLowerCase()) &&
        all.findIndex((o) => o.toLowerCase() === n.toLowerCase()) === i
      );
      setTags(raw, tag, after);
      tagChanges.set(tag, { before, after });
    }
    // A collection tag puts the item into that collection, creating it
    // when the library has none of that name (API.md §20.3, @ctrl/plex
    // test/video.spec.ts:217-226); taking it off takes the item out.
    const collections = tagChanges.get("collection");
    if (collections) {
      const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
      for (const name of collections.after) {
        if (lower(collections.before).includes(name.toLowerCase())) continue;
        const found = collectionNamed(lib, item.sectionId, name) ??
          newCollection(fake, item.sectionId, name, type);
        addMembers(lib, found[1], [item.ratingKey]);
      }
      for (const name of collections.before) {
        if (lower(collections.after).includes(name.toLowerCase())) continue;
        const found = collectionNamed(lib, item.sectionId, name);
        if (found && !found[1].raw.content) {
          removeMembers(lib, found[1], [item.ratingKey]);
        }
      }
      setTags(raw, "collection", collections.after);
    }
    for (const f of [...can.fields, ...can.tags, "thumb", "art", "theme"]) {
      const l = q.get(`${f}.locked`);
      if (l === "1") locked.add(f);
      else if (l === "0") locked.delete(f);
    }
    setLocked(raw, locked);
    raw.updatedAt = DEMO_EPOCH + fake.requests.length;
    return undefined;
  };

  // The edit call (API.md §20.1): `type` is required and must be the
  // items' numeric type, `id` names them (a comma list); without `id`
  // Plex edits every item of that type in the library, as the spec's
  // examples and ppa's lockAllField do. 404 for an unknown id, 400 for
  // inconsistent parameters (spec).
  fake.route("PUT", /^\/library\/sections\/([^/]+)\/all$/, (ctx) => {
    const sectionId = Number(ctx.params[0]);
    if (!lib.sections.has(sectionId)) return fake.notFound();
    const q = ctx.url.searchParams;
    const type = Number(q.get("type"));
    if (!Object.values(PLEX_TYPE_NUMBERS).includes(type as never)) {
      return fake.badRequest();
    }
    const ids = q.get("id");
    const items = ids === null
      ? fake.sectionItems(sectionId, type)
      : ids.split(",").map((k) => fake.item(k));
    if (items.some((i) => i === undefined)) return fake.notFound();
    for (const item of items as DemoItem[]) {
      const n = (PLEX_TYPE_NUMBERS as Record<string, number>)[
        String(item.raw.type)
      ];
      if (item.sectionId !== sectionId || n !== type) return fake.badRequest();
    }
    for (const item of items as DemoItem[]) {
      const refused = edit(item, q);
      if (refused) return refused;
    }
    // An edited item is announced as processed (state 5) on the
    // notification socket (API.md §23; that an edit alone sends it is
    // unverified).
    for (const item of items as DemoItem[]) fake.notifyTimeline(item, 5);
    return fake.ok();
  });

  // List posters / backgrounds (API.md §18.3; recorded shape:
  // `{key, ratingKey, provider?, selected, thumb}`, remote thumbs through
  // images.plex.tv/photo).
  fake.route(
    "GET",
    /^\/library\/metadata\/([^/]+)\/(posters|arts)$/,
    (ctx) => {
      const item = fake.item(ctx.params[0]!);
      if (!item) return fake.notFound();
      const kind = ctx.params[1] as keyof typeof ARTWORK;
      const a = artworkOf(item)[kind];
      return fake.container({
        size: a.list.length,
        identifier: "com.plexapp.plugins.library",
        Metadata: a.list.map((e) => {
          const file = `/library/metadata/${item.ratingKey}/file?url=${
            encodeURIComponent(e.id)
          }`;
          return {
            key: e.id.startsWith("https://") ? e.id : file,
            ratingKey: e.id,
            provider: e.provider,
            selected: e.id === a.selected,
            thumb: e.id.startsWith("https://")
              ? `https://images.plex.tv/photo?height=336&width=225&minSize=1&upscale=1&url=${
                encodeURIComponent(e.id)
              }`
              : file,
          };
        }),
      });
    },
  );

  // Select one: PUT /library/metadata/{rk}/poster?url={entry ratingKey}
  // (ppa media.py:1073: the list path without its `s`; the current spec
  // also names `thumb`), `/art` for backgrounds. The entry then lists
  // `selected: true` (ppa tests/test_mixins.py:243-246) and the item's
  // image path changes (its timestamp is the cache key, API.md §18.1).
  // The fake takes only listed entries: what Plex does with another URL
  // (it downloads it, as the upload call does) is not modelled.
  fake.route(
    "PUT",
    /^\/library\/metadata\/([^/]+)\/(poster|thumb|art)$/,
    (ctx) => {
      const item = fake.item(ctx.params[0]!);
      if (!item) return fake.notFound();
      const kind = ctx.params[1] === "art" ? "arts" : "posters";
      const a = artworkOf(item)[kind];
      const url = ctx.url.searchParams.get("url");
      if (!url || !a.list.some((e) => e.id === url)) return fake.badRequest();
      a.selected = url;
      const now = DEMO_EPOCH + fake.requests.length;
      item.raw[ARTWORK[kind].field] = `/library/metadata/${item.ratingKey}/${
        ARTWORK[kind].field
      }/${now}`;
      item.raw.updatedAt = now;
      fake.notifyTimeline(item, 5);
      return fake.ok();
    },
  );

  /** Match candidates offered per item (what a match may pick from). */
  const offered = new Map<string, Map<string, RawObject>>();
  // Match candidates: GET /library/metadata/{rk}/matches?manual=1[&title=
  // &year=] (ppa mixins.py:189, @ctrl/plex; the spec's PUT is not what
  // clients send) → `SearchResult[]` `{guid, name, score, year, thumb}`
  // (API.md §20.4). The fake's agent knows the item's own entry and one
  // other of a similar title; a `title` asks for that title instead.
  fake.route("GET", /^\/library\/metadata\/([^/]+)\/matches$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item || item.raw.type === "collection") return fake.notFound();
    const q = ctx.url.searchParams;
    if (q.get("manual") !== "1") return fake.badRequest();
    // A search by title or year goes to the agent and language named
    // (python-plexapi sends the library's, mixins.py:223-240; Plex's
    // OpenAPI lists both for the matches call): without the library's own,
    // the fake's agent finds nothing (what Plex does then, nothing or
    // another agent's entries, is unverified).
    const section = lib.sections.get(item.sectionId)!;
    if (
      (q.has("title") || q.has("year")) &&
      (q.get("agent") !== section.raw.agent ||
        q.get("language") !== section.raw.language)
    ) {
      offered.set(item.ratingKey, new Map());
      return fake.container({ size: 0 });
    }
    const agent = original(item.raw);
    const title = q.get("title")?.trim() || String(agent.title);
    const year = Number(q.get("year") || agent.year || 2000);
    const type = String(item.raw.type);
    const slug = (t: string) =>
      [...t.toLowerCase()].reduce(
        (h, ch) => (h * 31 + ch.charCodeAt(0)) % 1e9,
        7,
      )
        .toString(16).padStart(8, "0");
    const candidates: RawObject[] = [
      {
        guid: q.get("title") ? `plex://${type}/5e${slug(title)}` : agent.guid,
        name: title,
        year,
        score: 100,
        thumb: `https://metadata-static.plex.tv/${slug(title)}.jpg`,
      },
      {
        guid: `plex://${type}/5f${slug(title + " remake")}`,
        name: `${title} (Remake)`,
        year: year + 47,
        score: 71,
        thumb: `https://metadata-static.plex.tv/${slug(title + "r")}.jpg`,
      },
    ];
    offered.set(
      item.ratingKey,
      new Map(candidates.map((c) => [String(c.guid), c])),
    );
    return fake.container({
      size: candidates.length,
      SearchResult: candidates,
    });
  });

  // Apply a match: PUT …/match?guid=&name= (spec:6858): the item takes
  // the entry's guid, and its unlocked fields the agent's values for it.
  // The fake takes only a guid it offered (a made-up one is refused).
  fake.route("PUT", /^\/library\/metadata\/([^/]+)\/match$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item) return fake.notFound();
    const q = ctx.url.searchParams;
    const pick = offered.get(item.ratingKey)?.get(q.get("guid") ?? "");
    if (!pick || !q.get("name")) return fake.badRequest();
    // Answered at once; the new match lands with the metadata refresh it
    // starts (work.ts).
    startWork(fake, refreshing(item), () => {
      remember(item.raw);
      const locked = lockedFields(item.raw);
      item.raw.guid = pick.guid;
      if (!locked.has("title")) item.raw.title = pick.name;
      if (!locked.has("year")) item.raw.year = pick.year;
      delete item.raw.Guid;
      item.raw.updatedAt = DEMO_EPOCH + fake.requests.length;
      // What a refresh now brings back is the new match's.
      const snapshot = agent.get(item.raw)!;
      snapshot.title = pick.name;
      snapshot.year = pick.year;
      snapshot.guid = pick.guid;
    });
    return fake.ok();
  });

  // Unmatch (spec:7327): the item keeps its title but no agent entry.
  fake.route("PUT", /^\/library\/metadata\/([^/]+)\/unmatch$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item || item.raw.type === "collection") return fake.notFound();
    remember(item.raw);
    item.raw.guid = `local://${item.ratingKey}`;
    delete item.raw.Guid;
    item.raw.updatedAt = DEMO_EPOCH + fake.requests.length;
    return fake.ok();
  });

  // Refresh one item (API.md §20.4: PUT, spec:7087, ppa base.py:693): the
  // agent's values come back wherever the field is not locked.
  fake.route("PUT", /^\/library\/metadata\/([^/]+)\/refresh$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item) return fake.notFound();
    // Answered at once, done later in an activity (work.ts).
    startWork(fake, refreshing(item), () => refresh(item));
    return fake.ok();
  });

  /** What an item refresh does: the agent's values where not locked. */
  const refresh = (item: DemoItem) => {
    const raw = item.raw;
    const original = agent.get(raw);
    if (original) {
      const can = EDITABLE[String(raw.type)] ?? { fields: [], tags: [] };
      const locked = lockedFields(raw);
      for (const f of can.fields) {
        if (locked.has(f) || f === "title" && raw.type === "collection") {
          continue;
        }
        if (original[f] === undefined) delete raw[f];
        else raw[f] = original[f];
      }
      for (const tag of can.tags) {
        if (locked.has(tag) || tag === "collection") continue;
        setTags(raw, tag, tagNames(original, tag));
      }
    }
    raw.updatedAt = DEMO_EPOCH + fake.requests.length;
    // Refreshed: processed again (timeline state 5, API.md §23).
    fake.notifyTimeline(item, 5);
  };
}

/** The activity of an item refresh (see work.ts for its shape's source). */
function refreshing(item: DemoItem) {
  return {
    type: "library.refresh.items",
    title: "Refreshing",
    subtitle: "Checking files",
    context: {
      key: `/library/metadata/${item.ratingKey}`,
      librarySectionID: String(item.sectionId),
    },
  };
}
