/**
 * The library tools end to end over stdio against the loopback fake Plex:
 * happy paths, not found, bad arguments, and On Deck's fallback to
 * Continue Watching. One server process serves each group of steps.
 */
import assert from "node:assert/strict";
import { textOf } from "../../support/helpers.ts";
import {
  type Any,
  fails,
  ok,
  rk,
  withServer,
} from "../../support/tool_calls.ts";

Deno.test("library tools: happy paths, not found, bad arguments", async (t) => {
  await withServer(async (call, fake) => {
    await t.step(
      "search_media finds across libraries and filters by type",
      async () => {
        const r = ok(await call("search_media", { query: "flash" }));
        assert.ok(
          r.items.some((i: Any) =>
            i.type === "show" && i.title === "Flash Gordon"
          ),
        );
        assert.match(
          textOf(await call("search_media", { query: "flash" })),
          /\[\d+\] Flash Gordon \(1954\) · show/,
        );
        const movies = ok(
          await call("search_media", { query: "the", type: "movie" }),
        );
        assert.ok(
          movies.items.length > 0 &&
            movies.items.every((i: Any) => i.type === "movie"),
        );
        const inLib = ok(
          await call("search_media", { query: "the", library: "Silent Films" }),
        );
        assert.ok(
          inLib.items.every((i: Any) =>
            [
              "Nosferatu",
              "The General",
              "The Cabinet of Dr. Caligari",
              "The Kid",
            ]
              .includes(i.title)
          ),
        );
        const none = ok(await call("search_media", { query: "zzzz-nothing" }));
        assert.equal(none.total, 0);
        fails(await call("search_media", { query: "" }), /query/);
        fails(
          await call("search_media", { query: "x", library: "Nope" }),
          /No library matches "Nope". Valid choices: "Classic Movies" \(1\)/,
        );
      },
    );

    await t.step(
      "browse_library filters, sorts and names libraries by key or title",
      async () => {
        const all = ok(
          await call("browse_library", { library: "Classic Movies" }),
        );
        assert.equal(all.total, 8);
        assert.equal(all.library, "Classic Movies");
        const horror = ok(
          await call("browse_library", {
            library: "1",
            genre: "horror",
            sort: "year_asc",
          }),
        );
        assert.deepEqual(horror.items.map((i: Any) => i.year), [
          1957,
          1960,
          1962,
          1968,
        ]);
        const unwatched = ok(
          await call("browse_library", {
            library: "classic movies",
            unwatched: true,
          }),
        );
        assert.ok(unwatched.items.every((i: Any) => !i.watched));
        assert.equal(unwatched.total, 7);
        const eps = ok(
          await call("browse_library", {
            library: "TV Shows",
            type: "episode",
            limit: 5,
          }),
        );
        assert.equal(eps.total, 26);
        assert.equal(eps.next_offset, 5);
        assert.equal(
          ok(await call("browse_library", { library: "movies" })).library,
          "Classic Movies",
          "a unique partial title",
        );
        fails(
          await call("browse_library", { library: "i" }),
          /"i" matches several libraries/,
        );
        fails(
          await call("browse_library", { library: "1", genre: "Western" }),
          /No genre matches "Western"/,
        );
        fails(
          await call("browse_library", { library: "1", limit: 500 }),
          /limit/,
        );
        fails(
          await call("browse_library", { library: "1", sort: "sideways" }),
          /sort/,
        );
      },
    );

    await t.step(
      "people and genres: search names them, browse filters by them",
      async () => {
        const r = ok(await call("search_media", { query: "cary grant" }));
        assert.deepEqual(r.tags, [{
          kind: "actor",
          name: "Cary Grant",
          library: "Classic Movies",
          libraryKey: "1",
          count: 2,
        }]);
        assert.match(
          textOf(await call("search_media", { query: "cary grant" })),
          /actor "Cary Grant" in \[1\] Classic Movies \(2 items\)/,
        );
        const films = ok(
          await call("browse_library", {
            library: "1",
            actor: "cary grant",
            sort: "year_asc",
          }),
        );
        assert.deepEqual(films.items.map((i: Any) => i.title), [
          "His Girl Friday",
          "Charade",
        ]);
        const keaton = ok(
          await call("browse_library", {
            library: "Silent Films",
            director: "Buster Keaton",
          }),
        );
        assert.equal(keaton.total, 2);
        fails(
          await call("browse_library", { library: "1", actor: "Nobody Atall" }),
          /No actor matches "Nobody Atall"/,
        );
      },
    );

    await t.step(
      "get_media_details returns cast, ids, media and watch state",
      async () => {
        const key = rk(fake, "Night of the Living Dead");
        const d = ok(
          await call("get_media_details", { ratingKey: key, cast_limit: 2 }),
        );
        assert.equal(d.title, "Night of the Living Dead");
        assert.equal(d.cast.length, 2);
        assert.equal(d.castTotal, 3);
        assert.deepEqual(d.directors, ["George A. Romero"]);
        assert.ok(d.externalIds.includes("imdb://tt0063350"));
        assert.equal(d.watched, true);
        assert.equal(d.media[0].resolution, "1080");
        assert.ok(d.media[0].streams.some((s: Any) => s.kind === "audio"));
        assert.ok(d.media[0].sizeBytes > 0);
        const ep = ok(
          await call("get_media_details", {
            ratingKey: rk(fake, "The Brain Machine"),
          }),
        );
        assert.equal(ep.show, "Flash Gordon");
        assert.equal(ep.season, 1);
        assert.equal(ep.episode, 2);
        fails(await call("get_media_details", { ratingKey: "999999" }), /404/);
        fails(
          await call("get_media_details", { ratingKey: "abc" }),
          /ratingKey/,
        );
      },
    );

    await t.step(
      "get_children walks show → seasons → episodes and artist → albums → tracks",
      async () => {
        const seasons = ok(
          await call("get_children", {
            ratingKey: rk(fake, "Flash Gordon", "show"),
          }),
        );
        assert.deepEqual(seasons.items.map((i: Any) => i.title), [
          "Season 1",
          "Season 2",
        ]);
        const episodes = ok(
          await call("get_children", { ratingKey: seasons.items[0].ratingKey }),
        );
        assert.equal(episodes.total, 4);
        assert.match(
          textOf(
            await call("get_children", {
              ratingKey: seasons.items[0].ratingKey,
            }),
          ),
          /Flash Gordon S01E01 "The Planet of Death"/,
        );
        const albums = ok(
          await call("get_children", { ratingKey: rk(fake, "Enrico Caruso") }),
        );
        assert.equal(albums.total, 2);
        const tracks = ok(
          await call("get_children", { ratingKey: albums.items[0].ratingKey }),
        );
        assert.ok(tracks.items.every((i: Any) => i.type === "track"));
        fails(await call("get_children", { ratingKey: "999999" }), /404/);
        fails(
          await call("get_children", { ratingKey: "1", offset: -1 }),
          /offset/,
        );
      },
    );

    await t.step("get_recently_added and get_on_deck", async () => {
      const recent = ok(await call("get_recently_added", { limit: 5 }));
      assert.equal(recent.items.length, 5);
      assert.ok(recent.total > 5);
      const tvRecent = ok(
        await call("get_recently_added", { library: "TV Shows" }),
      );
      assert.ok(tvRecent.items.every((i: Any) => i.type === "season"));
      const deck = ok(await call("get_on_deck", {}));
      const titles = deck.items.map((i: Any) => i.title);
      assert.ok(titles.includes("His Girl Friday"), "in-progress movie");
      assert.ok(
        titles.includes("The Case of the Pennsylvania Gun"),
        "next episode",
      );
      assert.match(
        textOf(await call("get_on_deck", {})),
        /His Girl Friday \(1940\) · movie · 1h 32m · at 41m/,
      );
      fails(
        await call("get_on_deck", { library: "Nope" }),
        /No library matches/,
      );
      fails(await call("get_recently_added", { limit: "ten" }), /limit/);
    });

    await t.step("list_collections and get_collection", async () => {
      const cols = ok(
        await call("list_collections", { library: "Classic Movies" }),
      );
      assert.equal(cols.items[0].title, "Horror Classics");
      const col = ok(
        await call("get_collection", { ratingKey: cols.items[0].ratingKey }),
      );
      assert.equal(col.title, "Horror Classics");
      assert.equal(col.total, 3);
      fails(
        await call("get_collection", { ratingKey: rk(fake, "Charade") }),
        /not a collection/,
      );
      fails(await call("get_collection", { ratingKey: "999999" }), /404/);
      fails(await call("list_collections", {}), /library/);
    });
  });
});

Deno.test("get_on_deck falls back to Continue Watching on servers without On Deck", async () => {
  await withServer(async (call, fake) => {
    fake.fault = "404";
    fake.faultFilter = (_method, path) => path.endsWith("/onDeck");
    const all = ok(await call("get_on_deck"));
    assert.ok(all.items.some((i: Any) => i.title === "His Girl Friday"));
    assert.match(
      textOf(await call("get_on_deck", { library: "TV Shows" })),
      /Continue watching items 1-2 of 2/,
    );
    assert.ok(
      fake.requests.some((r) =>
        r.path.startsWith("/hubs/continueWatching/items")
      ),
    );
    assert.ok(
      fake.requests.some((r) =>
        r.path.startsWith("/hubs/sections/3/continueWatching/items")
      ),
    );
  });
});
