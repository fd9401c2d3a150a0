/**
 * Fake Plex: identity, the root, library sections and their items.
 *
 * @module
 */
import { demoMarkers } from "../markers.ts";
import type { FakePlexState } from "../state.ts";
import {
  filterItems,
  queryLevelProblem,
  sortItems,
  tagId,
  type TagKind,
  tagsOf,
} from "../query.ts";
export { type Fault, FAULTS } from "../faults.ts";
import { filterMeta, unadvertisedField } from "../filter_meta.ts";
import { PLEX_TYPE_NUMBERS } from "../../../plex/metadata_types.ts";
import type { DemoItem, RawObject } from "../../library.ts";

/** Registers the core routes. */
export function registerCoreRoutes(fake: FakePlexState): void {
  const lib = fake.library;
  fake.route("GET", /^\/identity$/, () =>
    fake.container({
      size: 0,
      claimed: true,
      machineIdentifier: lib.machineIdentifier,
      version: lib.version,
    }));

  fake.route("GET", /^\/$/, () =>
    fake.container({
      size: 3,
      allowSync: true,
      friendlyName: lib.name,
      machineIdentifier: lib.machineIdentifier,
      version: lib.version,
      platform: "Linux",
      platformVersion: "6.1.0",
      myPlex: true,
      myPlexMappingState: "mapped",
      myPlexSigninState: "ok",
      myPlexSubscription: true,
      myPlexUsername: "demo@example.com",
      multiuser: true,
      transcoderActiveVideoSessions: lib.sessions.filter((x) =>
        (x.TranscodeSession as { videoDecision?: string } | undefined)
          ?.videoDecision === "transcode"
      ).length,
      updatedAt: 1_763_000_000,
      Directory: [
        { count: 1, key: "library", title: "library" },
        { count: 1, key: "playlists", title: "playlists" },
        { count: 1, key: "status", title: "status" },
      ],
    }));

  fake.route("GET", /^\/library\/sections$/, () => {
    const dirs = [...lib.sections.values()].map((s) => s.raw);
    return fake.container({
      size: dirs.length,
      allowSync: false,
      title1: "Plex Library",
      Directory: dirs,
    });
  });

  fake.route("GET", /^\/library\/sections\/([^/]+)$/, (ctx) => {
    const section = lib.sections.get(Number(ctx.params[0]));
    if (!section) return fake.notFound();
    const views = ["all", "unwatched", "newest", "recentlyAdded", "onDeck"]
      .map((key) => ({ key, title: key }));
    return fake.container({
      size: views.length,
      librarySectionID: section.id,
      title1: section.raw.title,
      viewGroup: "secondary",
      Directory: views,
    });
  });

  fake.route("GET", /^\/library\/sections\/([^/]+)\/all$/, (ctx) => {
    const section = lib.sections.get(Number(ctx.params[0]));
    if (!section) return fake.notFound();
    const p = ctx.url.searchParams;
    const type = p.get("type") ? Number(p.get("type")) : undefined;
    const primary = String(section.raw.type);
    const resultType = type === undefined
      ? primary
      : Object.entries(PLEX_TYPE_NUMBERS).find(([, n]) => n === type)?.[0] ??
        String(type);
    if (queryLevelProblem(primary, resultType, p)) return fake.badRequest();
    // A field the level does not advertise (filter_meta.ts).
    if (unadvertisedField(primary, resultType, p)) return fake.badRequest();
    let items = fake.sectionItems(section.id, type);
    items = filterItems(items, p, (item, level) => fake.atLevel(item, level));
    // Top-level lists are kept in title order, so the default sort is free.
    const sort = p.get("sort");
    if (type !== undefined || (sort && sort !== "titleSort")) {
      items = sortItems(items, sort);
    }
    const includeGuids = p.get("includeGuids") === "1";
    return fake.paged(
      ctx,
      items,
      {
        allowSync: true,
        librarySectionID: section.id,
        librarySectionTitle: section.raw.title,
        librarySectionUUID: section.raw.uuid,
        title1: section.raw.title,
        title2: "All",
        viewGroup: section.raw.type,
        // What each level offers to filter on (ppa _loadFilters asks so).
        Meta: p.get("includeMeta") === "1"
          ? filterMeta(section.id, primary)
          : undefined,
      },
      (i) => fake.listView(i, includeGuids),
    );
  });

  // Tag lists (genre, actor, director): Directory entries whose key is
  // the tag id that the /all filters take; `type` lists the tags of that
  // level's items (a filter's listing, `/library/sections/1/genre?type=2`,
  // API.md §26.2).
  fake.route(
    "GET",
    /^\/library\/sections\/([^/]+)\/(genre|actor|director)$/,
    (ctx) => {
      const section = lib.sections.get(Number(ctx.params[0]));
      if (!section) return fake.notFound();
      const kind = ctx.params[1] as TagKind;
      const names = new Set<string>();
      const type = ctx.url.searchParams.get("type");
      for (
        const item of fake.sectionItems(
          section.id,
          type === null ? undefined : Number(type),
        )
      ) {
        for (const name of tagsOf(item, kind)) names.add(name);
      }
      const dirs = [...names].sort().map((title) => ({
        fastKey: `/library/sections/${section.id}/all?${kind}=${tagId(title)}`,
        key: String(tagId(title)),
        title,
        type: kind,
      }));
      return fake.container({
        size: dirs.length,
        title1: section.raw.title,
        title2: `By ${kind}`,
        viewGroup: "secondary",
        Directory: dirs,
      });
    },
  );

  fake.route("GET", /^\/library\/metadata\/([^/]+)$/, (ctx) => {
    // A comma list answers the items that exist and leaves out the rest;
    // only when none exists is it a 404, as for one unknown key (API.md
    // §5: "{ratingKey} may be a comma list"; python-plexapi's fetchItems
    // over such a list returns what the server found).
    const keys = ctx.params[0]!.split(",");
    const items = keys.map((k) => fake.item(k)).filter((i) => i !== undefined);
    if (items.length === 0) return fake.notFound();
    const first = items[0]!;
    const section = lib.sections.get(first.sectionId)!;
    return fake.container({
      size: items.length,
      allowSync: true,
      librarySectionID: section.id,
      librarySectionTitle: section.raw.title,
      librarySectionUUID: section.raw.uuid,
      // Markers only when asked for (includeMarkers=1), as Plex does.
      Metadata: items.map((i) =>
        ctx.url.searchParams.get("includeMarkers") === "1"
          ? { ...fake.detailView(i!), ...markersOf(i!) }
          : fake.detailView(i!)
      ),
    });
  });

  fake.route("GET", /^\/library\/metadata\/([^/]+)\/children$/, (ctx) => {
    const parent = fake.item(ctx.params[0]!);
    if (!parent) return fake.notFound();
    const kids = parent.children.map((rk) => fake.item(rk)!);
    const fields: RawObject = {
      allowSync: true,
      key: ctx.params[0],
      librarySectionID: parent.sectionId,
      parentTitle: parent.raw.title,
      title1: parent.raw.title,
      title2: parent.raw.title,
      viewGroup: parent.raw.type === "show"
        ? "season"
        : parent.raw.type === "season"
        ? "episode"
        : parent.raw.type === "artist"
        ? "album"
        : "track",
    };
    if (parent.raw.type === "season") {
      // The container hoists show fields, with a *numeric* grandparentRatingKey.
      fields.grandparentRatingKey = Number(parent.parent);
      fields.grandparentTitle = parent.raw.parentTitle;
    }
    if (
      parent.raw.type === "show" &&
      ctx.url.searchParams.get("excludeAllLeaves") !== "1"
    ) {
      // Real servers put an "All episodes" directory before the seasons
      // and count it as a child: the recorded show with 2 seasons answers
      // size 3 (API.md §5; GET__library_metadata_{ratingKey}_children
      // .seasons.json; INDEX.md: "size counts every child element").
      // python-plexapi (video.py:641, 654 Show.season/seasons) and
      // @ctrl/plex (src/video.ts:574, 583) ask with excludeAllLeaves=1,
      // which leaves it out.
      const all: RawObject = {
        leafCount: parent.raw.leafCount,
        thumb: parent.raw.thumb,
        viewedLeafCount: parent.raw.viewedLeafCount,
        key: `/library/metadata/${parent.ratingKey}/allLeaves`,
        title: "All episodes",
      };
      return fake.pagedWithDirectory(ctx, all, kids, fields);
    }
    return fake.paged(ctx, kids, fields, (i) => fake.listView(i));
  });

  // Every episode of a show or season (every track of an artist or
  // album), flat (API.md §5).
  fake.route("GET", /^\/library\/metadata\/([^/]+)\/allLeaves$/, (ctx) => {
    const parent = fake.item(ctx.params[0]!);
    if (!parent) return fake.notFound();
    return fake.paged(
      ctx,
      fake.leaves(parent),
      {
        allowSync: true,
        key: ctx.params[0],
        librarySectionID: parent.sectionId,
        title1: parent.raw.title,
        title2: "All episodes",
      },
      (i) => fake.listView(i),
    );
  });
}

/** `{Marker: […]}`, or nothing for an item without markers. */
function markersOf(item: DemoItem): RawObject {
  const list = demoMarkers(item);
  return list.length ? { Marker: list } : {};
}
