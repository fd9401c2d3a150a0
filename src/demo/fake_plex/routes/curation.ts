/**
 * Fake Plex: creating, filling, emptying and deleting collections, their
 * settings, smart playlists and reordering playlists, as strict as the
 * sources say Plex is (API.md §9, §19, §21; python-plexapi collection.py
 * and playlist.py, @ctrl/plex, the community spec).
 *
 * A collection is a tag on its items (adding a `collection` tag creates
 * the collection, API.md §20.3), so the fake keeps both in step: an item in
 * a regular collection carries its title in `Collection[]`.
 *
 * @module
 */
import type { FakePlexState, RouteContext } from "../state.ts";
import { filterItems, queryLevelProblem, sortItems } from "../query.ts";
import {
  DEMO_EPOCH,
  type DemoCollection,
  type DemoLibrary,
  type DemoPlaylist,
  type RawObject,
  typeNumber,
} from "../../library.ts";
import { PLEX_TYPE_NUMBERS } from "../../../plex/metadata_types.ts";
import { ownPlaylist } from "../playlist_owners.ts";
import { unadvertisedField } from "../filter_meta.ts";

const LIBRARY = "com.plexapp.plugins.library";

/** The type name of a numeric Plex type. */
function typeName(n: number): string | undefined {
  return Object.entries(PLEX_TYPE_NUMBERS).find(([, v]) => v === n)?.[0];
}

/** ratingKeys of a `server://{machine}/…/library/metadata/1,2` URI. */
export function metadataUriKeys(
  lib: DemoLibrary,
  uri: string | null,
): string[] | undefined {
  const m = new RegExp(
    `^server://([^/]+)/${
      LIBRARY.replaceAll(".", "\\.")
    }/library/metadata/([\\d,]+)$`,
  ).exec(uri ?? "");
  if (!m || m[1] !== lib.machineIdentifier) return undefined;
  const keys = m[2]!.split(",").filter(Boolean);
  return keys.length && keys.every((k) => lib.items.has(k)) ? keys : undefined;
}

/** Section id and query of a `server://{machine}/…/library/sections/{id}/all?…` URI. */
export function sectionUriQuery(
  lib: DemoLibrary,
  uri: string | null,
): { sectionId: number; query: URLSearchParams } | undefined {
  const m = new RegExp(
    `^server://([^/]+)/${
      LIBRARY.replaceAll(".", "\\.")
    }/library/sections/(\\d+)/all\\?(.*)$`,
  ).exec(uri ?? "");
  if (!m || m[1] !== lib.machineIdentifier) return undefined;
  const sectionId = Number(m[2]);
  if (!lib.sections.has(sectionId)) return undefined;
  return { sectionId, query: new URLSearchParams(m[3]!) };
}

/**
 * The items a section query selects, as `/library/sections/{id}/all`
 * would list them; undefined when the query is one Plex refuses (no
 * numeric `type`, fields not addressed by level, API.md §26.2).
 */
export function querySelect(
  fake: FakePlexState,
  sectionId: number,
  query: URLSearchParams,
): string[] | undefined {
  const section = fake.library.sections.get(sectionId)!;
  const type = Number(query.get("type"));
  const resultType = typeName(type);
  if (!resultType) return undefined;
  if (queryLevelProblem(String(section.raw.type), resultType, query)) {
    return undefined;
  }
  // A field its level does not advertise (filter_meta.ts).
  if (unadvertisedField(String(section.raw.type), resultType, query)) {
    return undefined;
  }
  let items = fake.sectionItems(sectionId, type);
  items = filterItems(items, query, (i, level) => fake.atLevel(i, level));
  items = sortItems(items, query.get("sort"));
  const limit = Number(query.get("limit") ?? NaN);
  if (Number.isInteger(limit) && limit > 0) items = items.slice(0, limit);
  return items.map((i) => i.ratingKey);
}

/** The collection of `title` in a section (titles compare as Plex shows them). */
export function collectionNamed(
  lib: DemoLibrary,
  sectionId: number,
  title: string,
): [string, DemoCollection] | undefined {
  return [...lib.collections.entries()].find(([, c]) =>
    c.sectionId === sectionId &&
    String(c.raw.title).toLowerCase() === title.toLowerCase()
  );
}

/** Adds or removes a collection's title on an item's `Collection[]` tags. */
function tagItem(
  lib: DemoLibrary,
  ratingKey: string,
  title: string,
  on: boolean,
): void {
  const item = lib.items.get(ratingKey);
  if (!item) return;
  const tags = ((item.raw.Collection as { tag: string }[] | undefined) ?? [])
    .filter((t) => t.tag.toLowerCase() !== title.toLowerCase());
  if (on) tags.push({ tag: title });
  if (tags.length) item.raw.Collection = tags;
  else delete item.raw.Collection;
}

/** Puts items into a regular collection (no duplicates), tagging them. */
export function addMembers(
  lib: DemoLibrary,
  c: DemoCollection,
  keys: readonly string[],
): void {
  for (const k of keys) {
    if (!c.members.includes(k)) c.members.push(k);
    tagItem(lib, k, String(c.raw.title), true);
  }
  c.raw.childCount = String(c.members.length);
  c.raw.updatedAt = DEMO_EPOCH + lib.nextKey;
}

/** Takes items out of a regular collection, untagging them. */
export function removeMembers(
  lib: DemoLibrary,
  c: DemoCollection,
  keys: readonly string[],
): void {
  c.members = c.members.filter((k) => !keys.includes(k));
  for (const k of keys) tagItem(lib, k, String(c.raw.title), false);
  c.raw.childCount = String(c.members.length);
}

/** Renames a collection and the tag its items carry. */
export function renameCollection(
  lib: DemoLibrary,
  c: DemoCollection,
  title: string,
): void {
  const old = String(c.raw.title);
  if (!c.raw.smart || c.raw.smart === "0") {
    for (const k of c.members) {
      tagItem(lib, k, old, false);
      tagItem(lib, k, title, true);
    }
  }
  c.raw.title = title;
}

/** A new collection; `members` of a smart one follow its filter. */
export function newCollection(
  fake: FakePlexState,
  sectionId: number,
  title: string,
  subtype: string,
  smart?: URLSearchParams,
): [string, DemoCollection] {
  const lib = fake.library;
  const rk = String(lib.nextKey++);
  const section = lib.sections.get(sectionId)!;
  const now = DEMO_EPOCH + fake.requests.length;
  const raw: RawObject = {
    ratingKey: rk,
    key: `/library/collections/${rk}/children`,
    guid: `collection://${crypto.randomUUID().replaceAll("-", "")}`,
    type: "collection",
    title,
    subtype,
    summary: "",
    librarySectionID: sectionId,
    librarySectionTitle: section.raw.title,
    librarySectionKey: `/library/sections/${sectionId}`,
    childCount: "0",
    smart: smart ? "1" : "0",
    thumb: `/library/collections/${rk}/composite/${now}`,
    addedAt: now,
    updatedAt: now,
  };
  const c: DemoCollection = { sectionId, raw, members: [] };
  if (smart) {
    // The filter URI is the collection's `content` (API.md §19).
    raw.content =
      `server://${lib.machineIdentifier}/${LIBRARY}/library/sections/${sectionId}/all?${smart}`;
    const members = () => querySelect(fake, sectionId, smart) ?? [];
    Object.defineProperty(c, "members", { get: members, enumerable: true });
    Object.defineProperty(raw, "childCount", {
      get: () => String(members().length),
      enumerable: true,
    });
  }
  lib.collections.set(rk, c);
  return [rk, c];
}

/** Whether a collection is smart (`smart` is "1" on the wire). */
function isSmart(c: DemoCollection): boolean {
  return c.raw.smart === "1" || c.raw.smart === true || c.raw.smart === 1;
}

/** Deletes a collection, untagging its items. */
function deleteCollection(lib: DemoLibrary, rk: string): boolean {
  const c = lib.collections.get(rk);
  if (!c) return false;
  if (!isSmart(c)) removeMembers(lib, c, [...c.members]);
  lib.collections.delete(rk);
  return true;
}

/** Registers the curation routes. */
export function registerCurationRoutes(fake: FakePlexState): void {
  const lib = fake.library;
  const collection = (ctx: RouteContext) => lib.collections.get(ctx.params[0]!);
  // A new collection is a new library item: created (timeline state 0)
  // and processed (5) on the notification socket (API.md §23).
  const announce = (rk: string) => {
    const item = fake.item(rk);
    if (!item) return;
    fake.notifyTimeline(item, 0);
    fake.notifyTimeline(item, 5);
  };
  // A deleted one: state 9 (API.md §23), sent with what it was.
  const deleted = (rk: string) => {
    const item = fake.item(rk);
    if (!item) return false;
    deleteCollection(lib, rk);
    fake.notifyTimeline(item, 9);
    return true;
  };
  const one = (rk: string, c: DemoCollection) =>
    fake.container({
      size: 1,
      librarySectionID: c.sectionId,
      Metadata: [{ ...c.raw, ratingKey: rk }],
    });

  // Create (API.md §19; ppa collection.py:440 regular, :467 smart):
  // `title`, `sectionId`, numeric `type`, `smart` 0/1 and `uri`; a regular
  // one needs at least one item, all of `type` and in the section; a smart
  // one a section query of that section (400 if `uri` is missing or the
  // section does not exist, spec:1309).
  fake.route("POST", /^\/library\/collections$/, (ctx) => {
    const q = ctx.url.searchParams;
    const title = q.get("title")?.trim();
    const sectionId = Number(q.get("sectionId"));
    const type = Number(q.get("type"));
    const subtype = typeName(type);
    const smart = q.get("smart") === "1";
    if (
      !title || !lib.sections.has(sectionId) || !subtype ||
      subtype === "collection" || !["0", "1", null].includes(q.get("smart"))
    ) {
      return fake.badRequest();
    }
    if (smart) {
      const s = sectionUriQuery(lib, q.get("uri"));
      if (
        !s || s.sectionId !== sectionId ||
        Number(s.query.get("type")) !== type ||
        !querySelect(fake, sectionId, s.query)
      ) {
        return fake.badRequest();
      }
      const [rk, c] = newCollection(fake, sectionId, title, subtype, s.query);
      announce(rk);
      return one(rk, c);
    }
    const keys = metadataUriKeys(lib, q.get("uri"));
    if (
      !keys || keys.some((k) => {
        const item = lib.items.get(k)!;
        return item.sectionId !== sectionId ||
          typeNumber(String(item.raw.type)) !== type;
      })
    ) {
      return fake.badRequest();
    }
    const [rk, c] = newCollection(fake, sectionId, title, subtype);
    addMembers(lib, c, keys);
    announce(rk);
    return one(rk, c);
  });

  // Add items: PUT /library/collections/{id}/items?uri=… (not for smart
  // collections; 404 unknown collection, spec:6181). Items of another
  // library are refused.
  fake.route("PUT", /^\/library\/collections\/([^/]+)\/items$/, (ctx) => {
    const c = collection(ctx);
    if (!c) return fake.notFound();
    const keys = metadataUriKeys(lib, ctx.url.searchParams.get("uri"));
    if (
      !keys || isSmart(c) ||
      keys.some((k) => lib.items.get(k)!.sectionId !== c.sectionId)
    ) {
      return fake.badRequest();
    }
    addMembers(lib, c, keys);
    return one(ctx.params[0]!, c);
  });

  // Remove one item: DELETE /library/collections/{id}/items/{itemRk}
  // (ppa and @ctrl/plex, live-tested); 404 unknown collection, 400 an item
  // it does not hold (spec, documented for the PUT form).
  fake.route(
    "DELETE",
    /^\/library\/collections\/([^/]+)\/items\/([^/]+)$/,
    (ctx) => {
      const c = collection(ctx);
      if (!c) return fake.notFound();
      if (isSmart(c) || !c.members.includes(ctx.params[1]!)) {
        return fake.badRequest();
      }
      removeMembers(lib, c, [ctx.params[1]!]);
      return one(ctx.params[0]!, c);
    },
  );

  // Delete: /library/collections/{id} (ppa) or /library/metadata/{id}
  // (@ctrl/plex's live test), API.md §9.
  fake.route(
    "DELETE",
    /^\/library\/collections\/([^/]+)$/,
    (ctx) => deleted(ctx.params[0]!) ? fake.ok() : fake.notFound(),
  );
  fake.route("DELETE", /^\/library\/metadata\/([^/]+)$/, (ctx) => {
    // Deleting a library item would delete media: only collections here.
    if (!lib.collections.has(ctx.params[0]!)) {
      return lib.items.has(ctx.params[0]!)
        ? new Response(null, { status: 403 })
        : fake.notFound();
    }
    deleted(ctx.params[0]!);
    return fake.ok();
  });

  // Settings: PUT /library/collections/{id}/prefs (ppa
  // AdvancedSettingsMixin) or /library/metadata/{id}/prefs (@ctrl/plex).
  // Values outside the enumValues Plex lists are refused (ppa checks them
  // before sending); a smart collection takes no sort at all, its order is
  // its filter's (ppa collection.py:290-291 refuses sortUpdate on one).
  const prefs = (ctx: RouteContext) => {
    const c = collection(ctx);
    if (!c) return fake.notFound();
    const allowed: Record<string, number[]> = {
      collectionMode: [-1, 0, 1, 2],
      collectionSort: isSmart(c) ? [] : [0, 1, 2],
      collectionFilterBasedOnUser: [0, 1],
    };
    const q = [...ctx.url.searchParams.entries()];
    if (
      q.length === 0 ||
      q.some(([k, v]) => !allowed[k]?.includes(Number(v)) || v.trim() === "")
    ) {
      return fake.badRequest();
    }
    for (const [k, v] of q) {
      // An absent collectionMode means −1 (ppa collection.py:77).
      if (k === "collectionMode" && v === "-1") delete c.raw.collectionMode;
      else c.raw[k] = String(Number(v));
    }
    return fake.ok();
  };
  fake.route("PUT", /^\/library\/collections\/([^/]+)\/prefs$/, prefs);
  fake.route("PUT", /^\/library\/metadata\/([^/]+)\/prefs$/, prefs);

  // Move a playlist entry: PUT /playlists/{id}/items/{playlistItemID}/move
  // [?after={playlistItemID}]; no `after` = first; not for smart
  // playlists; 400 for an unknown `after`, 404 unknown playlist or entry
  // (spec:13034, API.md §21).
  fake.route(
    "PUT",
    /^\/playlists\/([^/]+)\/items\/([^/]+)\/move$/,
    (ctx) => {
      // Only the requester's own (playlist_owners.ts).
      const p = ownPlaylist(fake, ctx, ctx.params[0]!);
      if (!p) return fake.notFound();
      const from = p.entries.findIndex((e) => String(e.id) === ctx.params[1]);
      if (from < 0) return fake.notFound();
      if (p.raw.smart === true) return fake.badRequest();
      const after = ctx.url.searchParams.get("after");
      const [entry] = p.entries.splice(from, 1);
      if (after === null) {
        p.entries.unshift(entry!);
      } else {
        const at = p.entries.findIndex((e) => String(e.id) === after);
        if (at < 0) {
          p.entries.splice(from, 0, entry!);
          return fake.badRequest();
        }
        p.entries.splice(at + 1, 0, entry!);
      }
      p.raw.updatedAt = DEMO_EPOCH + fake.requests.length;
      return fake.container({ size: 1, Metadata: [{ ...p.raw }] });
    },
  );
}

/** Playlist kind of each library type (ppa playlist.py:385). */
const PLAYLIST_KIND: Record<string, string> = {
  movie: "video",
  show: "video",
  artist: "audio",
  photo: "photo",
};

/** Item types a smart playlist can hold: leaves. */
const PLAYABLE = new Set(["movie", "episode", "track", "photo", "clip"]);

/**
 * `POST /playlists?smart=1`: a smart playlist from a section query
 * (ppa playlist.py:385): the outer `type` is the section's kind
 * (video/audio/photo), the inner `type` a numeric leaf type; no
 * `sectionID`. The reply lacks the `content` URI, which a read of the
 * playlist has (@ctrl/plex playlist.ts:208). Its entries follow the filter.
 */
export function createSmartPlaylist(
  fake: FakePlexState,
  ctx: RouteContext,
): Response {
  const lib = fake.library;
  const q = ctx.url.searchParams;
  const title = q.get("title")?.trim();
  const s = sectionUriQuery(lib, q.get("uri"));
  const section = s && lib.sections.get(s.sectionId);
  const inner = typeName(Number(s?.query.get("type")));
  if (
    !title || !s || !section || !inner || !PLAYABLE.has(inner) ||
    PLAYLIST_KIND[String(section.raw.type)] !== q.get("type") ||
    !querySelect(fake, s.sectionId, s.query)
  ) {
    return fake.badRequest();
  }
  const rk = String(lib.nextKey++);
  const now = DEMO_EPOCH + fake.requests.length;
  const ids = new Map<string, number>();
  const raw: RawObject = {
    ratingKey: rk,
    key: `/playlists/${rk}/items`,
    guid: `com.plexapp.agents.none://${crypto.randomUUID()}`,
    type: "playlist",
    title,
    summary: "",
    smart: true,
    playlistType: q.get("type"),
    composite: `/playlists/${rk}/composite/${now}`,
    icon: "playlist://image.smart",
    addedAt: now,
    updatedAt: now,
  };
  const p = { raw } as DemoPlaylist;
  Object.defineProperty(p, "entries", {
    enumerable: true,
    get: () =>
      (querySelect(fake, s.sectionId, s.query) ?? []).map((ratingKey) => {
        if (!ids.has(ratingKey)) ids.set(ratingKey, lib.nextPlaylistItemId++);
        return { id: ids.get(ratingKey)!, ratingKey };
      }),
  });
  lib.playlists.set(rk, p);
  const reply = { ...raw, leafCount: p.entries.length };
  // Later reads carry the filter.
  raw.content = q.get("uri");
  return fake.container({ size: 1, Metadata: [reply] });
}
