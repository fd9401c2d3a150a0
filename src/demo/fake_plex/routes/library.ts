/**
 * Fake Plex: search, recently added, On Deck and collections.
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import { TAG_KINDS, tagId, tagsOf } from "../query.ts";
import { DEMO_EPOCH, type DemoItem, type RawObject } from "../../library.ts";

const HUB_ORDER: [string, string][] = [
  ["movie", "Movies"],
  ["show", "Shows"],
  ["season", "Seasons"],
  ["episode", "Episodes"],
  ["artist", "Artists"],
  ["album", "Albums"],
  ["track", "Tracks"],
  ["photo", "Photos"],
  ["collection", "Collections"],
];

/** Hub types of each library type (for the re-ordering by `sectionId`). */
const SECTION_HUBS: Record<string, string[]> = {
  movie: ["movie"],
  show: ["show", "season", "episode"],
  artist: ["artist", "album", "track"],
  photo: ["photo"],
};

/** Registers the library browsing routes. */
export function registerLibraryRoutes(fake: FakePlexState): void {
  const lib = fake.library;

  fake.route("GET", /^\/hubs\/search$/, (ctx) => {
    const query = ctx.url.searchParams.get("query")?.trim().toLowerCase();
    if (!query) return fake.badRequest();
    // API.md §26.1: sectionId "gives context to the search, and can result
    // in re-ordering of search result hubs" (plex-api-spec) — the hubs of
    // that library's types come first, but within a hub its hits get no
    // favour: other libraries' hits still come back, in their own order,
    // and the per-hub `limit` can cut the section's off. Collections come
    // back only with includeCollections=1 (documented for /library/search;
    // python-plexapi always sends it).
    const sectionId = ctx.url.searchParams.get("sectionId");
    const withCollections =
      ctx.url.searchParams.get("includeCollections") === "1";
    const limit = Number(ctx.url.searchParams.get("limit") ?? "10") || 10;
    const candidates: DemoItem[] = [...lib.items.values()];
    if (withCollections) {
      for (const rk of lib.collections.keys()) candidates.push(fake.item(rk)!);
    }
    const matches = candidates.filter((i) =>
      String(i.raw.title ?? "").toLowerCase().includes(query)
    );
    const sectionType = sectionId === null
      ? undefined
      : lib.sections.get(Number(sectionId))?.raw.type;
    const first = new Set(
      sectionType === undefined ? [] : SECTION_HUBS[String(sectionType)] ?? [],
    );
    const order = [...HUB_ORDER].sort(([a], [b]) =>
      Number(first.has(b)) - Number(first.has(a))
    );
    const hubs = order.map(([type, title]) => {
      const hits = matches.filter((m) => m.raw.type === type);
      const shown = hits.slice(0, limit).map((m) => {
        const t = String(m.raw.title).toLowerCase();
        const score = t === query ? 1 : t.startsWith(query) ? 0.8 : 0.5;
        return { ...fake.listView(m), score: score.toFixed(5) };
      });
      const hub: RawObject = {
        title,
        type,
        hubIdentifier: type,
        context: "",
        size: shown.length,
        more: hits.length > shown.length,
        style: "shelf",
      };
      if (shown.length) hub.Metadata = shown;
      return hub;
    });
    // Tag hits: genres, actors and directors whose name matches, per section.
    const TAG_TYPES = { genre: 1, director: 4, actor: 6 } as const;
    for (const kind of TAG_KINDS) {
      const hits = new Map<string, RawObject>();
      for (const item of lib.items.values()) {
        for (const name of tagsOf(item, kind)) {
          if (!name.toLowerCase().includes(query)) continue;
          const k = `${item.sectionId}:${name}`;
          const hit = hits.get(k);
          if (hit) {
            hit.count = Number(hit.count) + 1;
            continue;
          }
          const section = lib.sections.get(item.sectionId)!;
          hits.set(k, {
            key: `/library/sections/${item.sectionId}/all?${kind}=${
              tagId(name)
            }`,
            librarySectionID: item.sectionId,
            librarySectionKey: `/library/sections/${item.sectionId}`,
            librarySectionTitle: section.raw.title,
            librarySectionType: 1,
            reason: "section",
            reasonID: item.sectionId,
            reasonTitle: section.raw.title,
            score: "0.90000",
            type: "tag",
            id: tagId(name),
            filter: `${kind}=${tagId(name)}`,
            tag: name,
            tagType: TAG_TYPES[kind],
            count: 1,
          });
        }
      }
      const dirs = [...hits.values()].slice(0, limit);
      const hub: RawObject = {
        title: kind[0]!.toUpperCase() + kind.slice(1) + "s",
        type: kind,
        hubIdentifier: kind,
        context: "",
        size: dirs.length,
        more: hits.size > dirs.length,
        style: "shelf",
      };
      if (dirs.length) hub.Directory = dirs;
      hubs.push(hub);
    }
    return fake.container({ size: hubs.length, Hub: hubs });
  });

  const recentlyAdded = (sectionId?: number): DemoItem[] =>
    [...lib.items.values()]
      .filter((i) =>
        ["movie", "season", "album", "photo"].includes(String(i.raw.type)) &&
        (sectionId === undefined || i.sectionId === sectionId)
      )
      .sort((a, b) =>
        Number(b.raw.addedAt) - Number(a.raw.addedAt) ||
        a.ratingKey.localeCompare(b.ratingKey)
      );

  fake.route(
    "GET",
    /^\/library\/recentlyAdded$/,
    (ctx) =>
      fake.paged(ctx, recentlyAdded(), {
        identifier: "com.plexapp.plugins.library",
        mediaTagPrefix: "/system/bundle/media/flags/",
      }, (i) => fake.listView(i)),
  );

  fake.route("GET", /^\/library\/sections\/([^/]+)\/recentlyAdded$/, (ctx) => {
    const id = Number(ctx.params[0]);
    if (!lib.sections.has(id)) return fake.notFound();
    return fake.paged(
      ctx,
      recentlyAdded(id),
      { librarySectionID: id },
      (i) => fake.listView(i),
    );
  });

  /** In-progress movies/episodes, then the next episode of started shows. */
  const onDeck = (sectionId?: number): DemoItem[] => {
    const out: DemoItem[] = [];
    for (const item of lib.items.values()) {
      if (sectionId !== undefined && item.sectionId !== sectionId) continue;
      const type = String(item.raw.type);
      if (
        (type === "movie" || type === "episode") &&
        Number(item.raw.viewOffset ?? 0) > 0 &&
        // Listed once, even when it is also its show's next episode.
        !out.includes(item)
      ) {
        out.push(item);
      }
      if (type === "show") {
        const episodes = fake.leaves(item);
        const watched = episodes.filter((e) => e.raw.viewCount).length;
        const next = episodes.find((e) => !e.raw.viewCount);
        if (watched > 0 && next && !out.includes(next)) out.push(next);
      }
    }
    return out.sort((a, b) =>
      Number(b.raw.lastViewedAt ?? 0) - Number(a.raw.lastViewedAt ?? 0)
    );
  };

  fake.route(
    "GET",
    /^\/library\/onDeck$/,
    (ctx) =>
      fake.paged(ctx, onDeck(), {
        identifier: "com.plexapp.plugins.library",
      }, (i) => fake.listView(i)),
  );

  fake.route("GET", /^\/library\/sections\/([^/]+)\/onDeck$/, (ctx) => {
    const id = Number(ctx.params[0]);
    if (!lib.sections.has(id)) return fake.notFound();
    return fake.paged(
      ctx,
      onDeck(id),
      { librarySectionID: id },
      (i) => fake.listView(i),
    );
  });

  // Continue Watching, the newer name for On Deck (same items here).
  fake.route(
    "GET",
    /^\/hubs\/continueWatching\/items$/,
    (ctx) => fake.paged(ctx, onDeck(), {}, (i) => fake.listView(i)),
  );
  fake.route(
    "GET",
    /^\/hubs\/sections\/([^/]+)\/continueWatching\/items$/,
    (ctx) => {
      const id = Number(ctx.params[0]);
      if (!lib.sections.has(id)) return fake.notFound();
      return fake.paged(ctx, onDeck(id), {}, (i) => fake.listView(i));
    },
  );

  fake.route("GET", /^\/library\/sections\/([^/]+)\/collections$/, (ctx) => {
    const id = Number(ctx.params[0]);
    if (!lib.sections.has(id)) return fake.notFound();
    const collections = [...lib.collections.values()]
      .filter((c) => c.sectionId === id)
      .map((c) => c.raw);
    return fake.paged(ctx, collections, { librarySectionID: id });
  });

  fake.route(
    "GET",
    /^\/library\/collections\/([^/]+)\/(children|items)$/,
    (ctx) => {
      const c = lib.collections.get(ctx.params[0]!);
      if (!c) return fake.notFound();
      return fake.paged(
        ctx,
        c.members,
        {
          title1: c.raw.title,
          ratingKey: ctx.params[0],
          librarySectionID: c.sectionId,
        },
        (rk) => fake.listView(fake.item(rk)!),
      );
    },
  );

  // Watch state: scrobble, unscrobble, rate (PUT per the spec, GET as python-plexapi).
  for (const method of ["GET", "PUT"]) {
    fake.route(method, /^\/:\/(scrobble|unscrobble)$/, (ctx) => {
      const item = fake.item(ctx.url.searchParams.get("key") ?? "");
      if (!item || item.raw.type === "collection") return fake.notFound();
      const now = DEMO_EPOCH + fake.requests.length;
      for (const leaf of fake.leaves(item)) {
        if (ctx.params[0] === "scrobble") {
          leaf.raw.viewCount = Number(leaf.raw.viewCount ?? 0) + 1;
          leaf.raw.lastViewedAt = now;
        } else {
          delete leaf.raw.viewCount;
          delete leaf.raw.lastViewedAt;
        }
        delete leaf.raw.viewOffset;
      }
      fake.recount();
      return fake.ok();
    });

    fake.route(method, /^\/:\/rate$/, (ctx) => {
      const item = fake.item(ctx.url.searchParams.get("key") ?? "");
      if (!item) return fake.notFound();
      const rating = Number(ctx.url.searchParams.get("rating"));
      if (!Number.isFinite(rating) || rating < -1 || rating > 10) {
        return fake.badRequest();
      }
      if (rating === -1) {
        delete item.raw.userRating;
        delete item.raw.lastRatedAt;
      } else {
        item.raw.userRating = rating;
        item.raw.lastRatedAt = DEMO_EPOCH + fake.requests.length;
      }
      return fake.ok();
    });
  }
}
