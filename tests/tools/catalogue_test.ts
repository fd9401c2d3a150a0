/**
 * Every tool end to end over stdio against the loopback fake Plex: happy
 * path, not found, bad arguments, and for writes a read that proves the
 * change. One server process serves each group of steps.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { ALL_TOOLS } from "../../src/tools/mod.ts";
import {
  type Spawned,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";

type Result = Awaited<ReturnType<Spawned["client"]["callTool"]>>;
// deno-lint-ignore no-explicit-any
type Any = any;

async function withServer(
  fn: (
    call: (name: string, args?: Record<string, unknown>) => Promise<Result>,
    fake: FakePlex,
    s: Spawned,
  ) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const { fake, served } = startFake();
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN, ...env },
    allowNet: served.host,
  });
  const outputs: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await s.client.callTool({ name, arguments: args });
    outputs.push(JSON.stringify(r));
    return r;
  };
  try {
    await fn(call, fake, s);
  } finally {
    await s.close();
    await served.close();
  }
  assert.deepEqual(s.protocolErrors, []);
  for (const o of [...outputs, s.stderr()]) {
    assert.ok(!o.includes(TEST_TOKEN), "token leaked");
  }
}

function rk(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(`no ${title}`);
}

function ok(r: Result): Any {
  assert.notEqual(r.isError, true, textOf(r));
  return r.structuredContent as Any;
}

function fails(r: Result, pattern: RegExp): void {
  assert.equal(r.isError, true, `expected an error, got ${textOf(r)}`);
  assert.match(textOf(r), pattern);
}

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

Deno.test("activity and admin tools", async (t) => {
  await withServer(async (call, fake, s) => {
    await t.step(
      "get_active_sessions tells transcode from direct play",
      async () => {
        const r = ok(await call("get_active_sessions"));
        assert.equal(r.total, 2);
        const charade = r.sessions.find((x: Any) => x.item.title === "Charade");
        assert.equal(charade.playback, "transcode");
        assert.equal(charade.user, "Alex");
        assert.equal(charade.bandwidthKbps, 4600);
        assert.equal(r.sessions[1].playback, "direct play");
        assert.match(
          textOf(await call("get_active_sessions")),
          /Alex: \[\d+\] Charade \(1963\) · playing · 41m\/1h 53m · on Bedroom Roku/,
        );
      },
    );

    await t.step(
      "get_watch_history filters by account, library and since",
      async () => {
        const all = ok(await call("get_watch_history", { limit: 100 }));
        assert.ok(all.total >= 9);
        const viewed = all.items.map((e: Any) => e.viewedAt);
        assert.deepEqual(viewed, [...viewed].sort().reverse(), "newest first");
        const alex = ok(await call("get_watch_history", { account: "Alex" }));
        assert.ok(
          alex.total === 5 &&
            alex.items.every((e: Any) => e.account === "Alex"),
        );
        const music = ok(
          await call("get_watch_history", { library: "Music", account: "2" }),
        );
        assert.equal(music.total, 5);
        const recent = ok(
          await call("get_watch_history", { since: "2025-11-11" }),
        );
        assert.ok(recent.total < all.total);
        fails(
          await call("get_watch_history", { account: "Nobody" }),
          /No account matches "Nobody"/,
        );
        fails(
          await call("get_watch_history", { since: "yesterday-ish" }),
          /not a date/,
        );
      },
    );

    await t.step("list_users and butler tasks", async () => {
      const users = ok(await call("list_users"));
      assert.deepEqual(users.accounts.map((a: Any) => a.name), [
        "demo-owner",
        "Alex",
        "Sam",
      ]);
      const tasks = ok(await call("list_butler_tasks"));
      assert.ok(tasks.tasks.some((x: Any) => x.name === "BackupDatabase"));
      assert.equal(
        ok(await call("run_butler_task", { name: "BackupDatabase" })).status,
        "started",
      );
      assert.equal(
        ok(await call("run_butler_task", { name: "backup database" })).status,
        "already running",
      );
      assert.ok(
        fake.library.butler.find((b) => b.raw.name === "BackupDatabase")!
          .running,
      );
      fails(
        await call("run_butler_task", { name: "MakeCoffee" }),
        /No maintenance task matches "MakeCoffee". Valid choices:.*BackupDatabase/,
      );
      fails(await call("run_butler_task", {}), /name/);
    });

    await t.step(
      "scan_library waits for the scan and sends progress notifications",
      async () => {
        const before = fake.library.sections.get(1)!.raw.scannedAt;
        const progress: number[] = [];
        const r = await s.client.callTool(
          { name: "scan_library", arguments: { library: "Classic Movies" } },
          undefined,
          { onprogress: (p) => progress.push(p.progress) },
        );
        const out = ok(r);
        assert.equal(out.status, "finished");
        assert.equal(out.itemsBefore, 8);
        assert.equal(out.itemsAfter, 8);
        assert.notEqual(fake.library.sections.get(1)!.raw.scannedAt, before);
        assert.ok(progress.length >= 3, `progress ${progress}`);
        assert.equal(progress.at(-1), 100);
        assert.ok(
          fake.requests.some((q) => q.path === "/library/sections/1/refresh"),
        );
        const quick = ok(
          await call("scan_library", { library: "2", wait: false }),
        );
        assert.equal(quick.status, "started");
        fails(
          await call("scan_library", { library: "Nope" }),
          /No library matches/,
        );
        fails(
          await call("scan_library", { library: "1", timeout_seconds: 0 }),
          /timeout_seconds/,
        );
      },
    );
  });
});

Deno.test("playlist tools: create, read, add, remove, delete, each verified", async (t) => {
  await withServer(async (call, fake) => {
    const a = rk(fake, "Charade");
    const b = rk(fake, "Detour");
    const track = rk(fake, "Maple Leaf Rag");
    let created = "";

    await t.step("list_playlists and get_playlist", async () => {
      const list = ok(await call("list_playlists"));
      assert.equal(list.items[0].title, "Halloween Night");
      assert.equal(list.items[0].items, 3);
      const p = ok(await call("get_playlist", { playlist: "halloween night" }));
      assert.equal(p.total, 3);
      assert.ok(p.items.every((i: Any) => /^\d+$/.test(i.playlistItemId)));
      fails(
        await call("get_playlist", { playlist: "Nope" }),
        /No playlist matches "Nope". Valid choices: "Halloween Night"/,
      );
      assert.equal(
        ok(await call("list_playlists", { type: "audio" })).total,
        0,
      );
    });

    await t.step("create_playlist then list_playlists shows it", async () => {
      const r = ok(
        await call("create_playlist", {
          title: "Noir Night",
          ratingKeys: [a, b],
        }),
      );
      created = r.ratingKey;
      assert.equal(r.items, 2);
      assert.equal(r.type, "video");
      const list = ok(await call("list_playlists"));
      assert.ok(
        list.items.some((p: Any) => p.title === "Noir Night" && p.items === 2),
      );
      fails(
        await call("create_playlist", {
          title: "Mixed",
          ratingKeys: [a, track],
        }),
        /one kind of media/,
      );
      fails(
        await call("create_playlist", {
          title: "Ghost",
          ratingKeys: ["999999"],
        }),
        /No item with ratingKey 999999/,
      );
      fails(
        await call("create_playlist", {
          title: "Show",
          ratingKeys: [rk(fake, "Flash Gordon", "show")],
        }),
        /is a show/,
      );
      fails(
        await call("create_playlist", { title: "Empty", ratingKeys: [] }),
        /ratingKeys/,
      );
    });

    await t.step(
      "add_to_playlist then get_playlist shows the new entry",
      async () => {
        const r = ok(
          await call("add_to_playlist", {
            playlist: created,
            ratingKeys: [rk(fake, "Nosferatu")],
          }),
        );
        assert.equal(r.items, 3);
        const p = ok(await call("get_playlist", { playlist: "Noir Night" }));
        assert.equal(p.items.at(-1).title, "Nosferatu");
        fails(
          await call("add_to_playlist", {
            playlist: "Noir Night",
            ratingKeys: [track],
          }),
          /video playlist; these items are audio/,
        );
      },
    );

    await t.step(
      "remove_from_playlist needs confirmation, then removes",
      async () => {
        fails(
          await call("remove_from_playlist", {
            playlist: "Noir Night",
            ratingKey: b,
          }),
          /cannot be undone.*confirm: true. Nothing was changed/,
        );
        assert.equal(
          ok(await call("get_playlist", { playlist: "Noir Night" })).total,
          3,
        );
        const r = ok(
          await call("remove_from_playlist", {
            playlist: "Noir Night",
            ratingKey: b,
            confirm: true,
          }),
        );
        assert.equal(r.items, 2);
        assert.equal(r.removed.title, "Detour");
        const p = ok(await call("get_playlist", { playlist: "Noir Night" }));
        assert.ok(!p.items.some((i: Any) => i.title === "Detour"));
        fails(
          await call("remove_from_playlist", {
            playlist: "Noir Night",
            ratingKey: b,
            confirm: true,
          }),
          /has no entry for ratingKey/,
        );
        fails(
          await call("remove_from_playlist", {
            playlist: "Noir Night",
            confirm: true,
          }),
          /exactly one of playlistItemId or ratingKey/,
        );
      },
    );

    await t.step(
      "delete_playlist needs confirmation, then the playlist is gone",
      async () => {
        fails(
          await call("delete_playlist", { playlist: "Noir Night" }),
          /confirm: true/,
        );
        assert.ok(fake.library.playlists.has(created));
        const r = ok(
          await call("delete_playlist", {
            playlist: "Noir Night",
            confirm: true,
          }),
        );
        assert.equal(r.deleted, true);
        const list = ok(await call("list_playlists"));
        assert.ok(!list.items.some((p: Any) => p.title === "Noir Night"));
        fails(
          await call("delete_playlist", {
            playlist: "Noir Night",
            confirm: true,
          }),
          /No playlist matches/,
        );
      },
    );
  });
});

Deno.test("watch state and playback tools change what a read shows", async (t) => {
  await withServer(async (call, fake) => {
    const movie = rk(fake, "Detour");
    await t.step("mark_watched / mark_unwatched flip the state", async () => {
      assert.equal(
        ok(await call("get_media_details", { ratingKey: movie })).watched,
        false,
      );
      const w = ok(await call("mark_watched", { ratingKey: movie }));
      assert.equal(w.changed, true);
      assert.equal(
        ok(await call("get_media_details", { ratingKey: movie })).watched,
        true,
      );
      const again = ok(await call("mark_watched", { ratingKey: movie }));
      assert.equal(
        again.changed,
        false,
        "an already-watched item is left alone",
      );
      // Unwatching erases the play state: it needs the user's consent.
      fails(
        await call("mark_unwatched", { ratingKey: movie }),
        /cannot be undone: ask the user, then call again with confirm: true/,
      );
      assert.equal(
        ok(await call("get_media_details", { ratingKey: movie })).watched,
        true,
        "nothing changed without consent",
      );
      const u = ok(
        await call("mark_unwatched", { ratingKey: movie, confirm: true }),
      );
      assert.equal(u.changed, true);
      assert.equal(
        ok(await call("get_media_details", { ratingKey: movie })).watched,
        false,
      );
      const season = ok(
        await call("get_children", {
          ratingKey: rk(fake, "One Step Beyond", "show"),
        }),
      ).items[0];
      ok(await call("mark_watched", { ratingKey: season.ratingKey }));
      const eps = ok(
        await call("get_children", { ratingKey: season.ratingKey }),
      );
      assert.ok(eps.items.every((e: Any) => e.watched), "a whole season");
      fails(await call("mark_watched", { ratingKey: "999999" }), /404/);
      fails(await call("mark_unwatched", { ratingKey: "" }), /ratingKey/);
    });

    await t.step("rate_media sets and clears the rating", async () => {
      const r = ok(await call("rate_media", { ratingKey: movie, rating: 8 }));
      assert.equal(r.rating, 8);
      assert.equal(
        ok(await call("get_media_details", { ratingKey: movie })).userRating,
        8,
      );
      fails(
        await call("rate_media", { ratingKey: movie, rating: null }),
        /Clear your 8\/10 rating .* cannot be undone/,
      );
      const c = ok(
        await call("rate_media", {
          ratingKey: movie,
          rating: null,
          confirm: true,
        }),
      );
      assert.equal(c.rating, null);
      assert.equal(c.previous, 8);
      fails(
        await call("rate_media", { ratingKey: movie, rating: 11 }),
        /rating/,
      );
      fails(
        await call("rate_media", { ratingKey: "999999", rating: 3 }),
        /404/,
      );
    });

    await t.step(
      "list_clients, play_media and control_playback reach the player",
      async () => {
        const players = ok(await call("list_clients"));
        assert.deepEqual(
          players.players.map((p: Any) => [p.name, p.controllable]),
          [
            ["Living Room TV", true],
            ["Kitchen iPad", false],
          ],
        );
        const tv = fake.library.clients[0]!;
        const r = ok(
          await call("play_media", {
            client: "living room tv",
            ratingKey: movie,
            offset_seconds: 90,
          }),
        );
        assert.equal(r.offsetMs, 90_000);
        const cmd = tv.commands.at(-1)!;
        assert.equal(cmd.command, "playback/playMedia");
        assert.equal(cmd.params.key, `/library/metadata/${movie}`);
        assert.equal(cmd.params.offset, "90000");
        assert.match(cmd.params.containerKey!, /^\/playQueues\/\d+/);
        assert.equal(
          cmd.params.machineIdentifier,
          fake.library.machineIdentifier,
        );
        assert.equal(tv.state, "playing");
        assert.equal(tv.playing, movie);
        ok(
          await call("control_playback", {
            client: "demo-living-room-tv",
            action: "pause",
          }),
        );
        assert.equal(tv.state, "paused");
        ok(
          await call("control_playback", {
            client: "Living Room TV",
            action: "seek",
            offset_seconds: 600,
          }),
        );
        assert.equal(tv.offsetMs, 600_000);
        ok(
          await call("control_playback", {
            client: "Living Room TV",
            action: "stop",
          }),
        );
        assert.equal(tv.state, "stopped");
        const ids = tv.commands.map((c) => Number(c.params.commandID));
        assert.deepEqual(
          ids,
          [...ids].sort((x, y) => x - y),
          "commandID increases",
        );
        fails(
          await call("play_media", {
            client: "Kitchen iPad",
            ratingKey: movie,
          }),
          /does not accept playback commands/,
        );
        fails(
          await call("play_media", { client: "Toaster", ratingKey: movie }),
          /No player matches "Toaster"/,
        );
        fails(
          await call("play_media", {
            client: "Living Room TV",
            ratingKey: "999999",
          }),
          /404/,
        );
        fails(
          await call("control_playback", {
            client: "Living Room TV",
            action: "seek",
          }),
          /offset_seconds is required/,
        );
        fails(
          await call("control_playback", {
            client: "Living Room TV",
            action: "dance",
          }),
          /action/,
        );
      },
    );
  });
});

Deno.test("paging: every item appears exactly once across all pages", async () => {
  await withServer(async (call) => {
    for (
      const [tool, args, limit] of [
        ["browse_library", { library: "TV Shows", type: "episode" }, 4],
        ["browse_library", { library: "Classic Movies" }, 3],
        ["get_recently_added", {}, 7],
        ["get_watch_history", {}, 2],
        ["search_media", { query: "e" }, 6],
      ] as const
    ) {
      const seen: string[] = [];
      let offset: number | null = 0;
      let total = -1;
      let pages = 0;
      while (offset !== null) {
        const r: Any = ok(await call(tool, { ...args, offset, limit }));
        total = r.total;
        seen.push(
          ...r.items.map((i: Any) =>
            JSON.stringify(
              i.item?.ratingKey ? [i.item.ratingKey, i.viewedAt] : i.ratingKey,
            )
          ),
        );
        assert.ok(r.items.length <= limit);
        offset = r.next_offset;
        assert.ok(++pages < 100);
      }
      assert.equal(seen.length, total, `${tool}: ${seen.length} of ${total}`);
      assert.equal(new Set(seen).size, seen.length, `${tool}: duplicates`);
      assert.ok(pages > 1, `${tool} needed several pages`);
    }
  });
});

Deno.test("every tool rejects bad arguments naming the field, and unknown ids clearly", async () => {
  await withServer(async (call) => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["get_plex_status", { verbose: true }, /Unrecognized key: "verbose"/],
      ["get_libraries", { limit: 5 }, /Unrecognized key: "limit"/],
      ["search_media", { query: "x", type: "podcast" }, /type/],
      ["browse_library", { library: "1", year: "1968" }, /year/],
      ["get_media_details", { ratingKey: "1", cast_limit: 99 }, /cast_limit/],
      ["get_children", { ratingKey: -1000 }, /ratingKey/],
      ["get_recently_added", { offset: 1.5 }, /offset/],
      ["get_on_deck", { limit: 0 }, /limit/],
      ["list_collections", { library: "" }, /library/],
      ["get_collection", { ratingKey: "x1" }, /ratingKey/],
      ["get_active_sessions", { user: "Alex" }, /Unrecognized key: "user"/],
      ["get_watch_history", { ratingKey: "abc" }, /ratingKey/],
      ["list_playlists", { type: "mixtape" }, /type/],
      ["get_playlist", {}, /playlist/],
      ["create_playlist", { title: "", ratingKeys: ["1000"] }, /title/],
      [
        "add_to_playlist",
        { playlist: "Halloween Night", ratingKeys: ["x"] },
        /ratingKeys/,
      ],
      ["remove_from_playlist", {
        playlist: "Halloween Night",
        playlistItemId: "first",
      }, /playlistItemId/],
      [
        "delete_playlist",
        { playlist: "Halloween Night", confirm: "yes" },
        /confirm/,
      ],
      ["mark_watched", { ratingKey: "1000", force: "please" }, /force/],
      ["mark_unwatched", {}, /ratingKey/],
      ["rate_media", { ratingKey: "1000" }, /rating/],
      ["list_clients", { all: true }, /Unrecognized key: "all"/],
      ["play_media", {
        client: "Living Room TV",
        ratingKey: "1000",
        offset_seconds: -5,
      }, /offset_seconds/],
      ["control_playback", { client: "Living Room TV" }, /action/],
      ["scan_library", { library: "1", force: 1 }, /force/],
      ["list_users", { page: 2 }, /Unrecognized key: "page"/],
      ["list_butler_tasks", { running: true }, /Unrecognized key: "running"/],
      ["run_butler_task", { name: 42 }, /name/],
      // curation (opt-in)
      ["create_collection", {
        library: "1",
        title: "X",
        ratingKeys: ["1000"],
        filter: { sort: "loudest" },
      }, /filter\.sort|sort/],
      [
        "add_to_collection",
        { ratingKey: "1074", ratingKeys: [] },
        /ratingKeys/,
      ],
      ["remove_from_collection", { ratingKey: "1074" }, /ratingKeys/],
      ["edit_collection", { ratingKey: "1074", mode: "visible" }, /mode/],
      ["delete_collection", { ratingKey: "abc", confirm: true }, /ratingKey/],
      ["update_metadata", {
        ratingKey: "1000",
        originally_available: "1968",
      }, /originally_available/],
      ["refresh_metadata", { ratingKey: "1000", agent: "x" }, /"agent"/],
      ["list_artwork", { ratingKey: "1000", kind: "logo" }, /kind/],
      ["set_artwork", { ratingKey: "1000" }, /id/],
      ["list_matches", { ratingKey: "1000", year: 1066 }, /year/],
      ["match_item", { ratingKey: "1000", unmatch: "yes" }, /unmatch/],
      ["edit_playlist", { playlist: "Halloween Night", title: "" }, /title/],
      ["move_playlist_item", {
        playlist: "Halloween Night",
        playlistItemId: "5000",
        after: "top",
      }, /after/],
      ["create_smart_playlist", {
        title: "X",
        library: "1",
        filter: { colour: "red" },
      }, /colour/],
      [
        "copy_playlist_to_user",
        { playlist: "Halloween Night", user: "  " },
        /user/,
      ],
      // server care (opt-in)
      ["list_activities", { all: 1 }, /Unrecognized key: "all"/],
      ["get_bandwidth_stats", { since_hours: 0 }, /since_hours/],
      ["get_resource_stats", { timespan: 5 }, /Unrecognized key: "timespan"/],
      ["empty_trash", { library: "1", confirm: "yes" }, /confirm/],
      ["clean_bundles", { confirm: 1 }, /confirm/],
      ["optimize_database", { force: true }, /Unrecognized key: "force"/],
      ["get_server_logs", { lines: 1001 }, /lines/],
      // remote control (opt-in)
      ["get_player_timeline", { client: "" }, /client/],
      [
        "navigate_player",
        { client: "Living Room TV", action: "jump" },
        /action/,
      ],
      [
        "set_player_volume",
        { client: "Living Room TV", volume: 101 },
        /volume/,
      ],
      ["set_player_streams", { client: "Living Room TV", audio: "" }, /audio/],
      // insights (opt-in)
      ["get_watch_stats", { top: 0 }, /top/],
      ["get_recommendations", { type: "album" }, /type/],
      ["get_watchlist", { sort: "loudest" }, /sort/],
      ["add_to_watchlist", { ratingKey: "x" }, /ratingKey/],
      ["remove_from_watchlist", { id: "not-an-id" }, /id/],
      ["list_home_users", { all: true }, /Unrecognized key: "all"/],
      // watch (opt-in)
      ["search_subtitles", { ratingKey: "1000", forced: "yes" }, /forced/],
      ["set_subtitles", { ratingKey: "1000", subtitle: "" }, /subtitle/],
      ["where_to_watch", { year: 1500 }, /year/],
      ["diagnose_playback", { session: "" }, /session/],
      ["find_dialogue", { ratingKey: "1000", query: "" }, /query/],
      [
        "get_story_so_far",
        { ratingKey: "1000", budget_chars: 5 },
        /budget_chars/,
      ],
    ];
    assert.deepEqual(
      [...new Set(bad.map(([name]) => name))].sort(),
      // list_servers is offered with several servers only: its cases are in
      // tests/mcp/several_servers_test.ts.
      ALL_TOOLS.filter((t) => !t.severalServersOnly).map((t) => t.name).sort(),
      "every tool has a bad-argument case",
    );
    for (const [name, args, field] of bad) {
      const r = await call(name, args);
      assert.equal(r.isError, true, `${name} accepted ${JSON.stringify(args)}`);
      assert.match(textOf(r), field, `${name}: ${textOf(r)}`);
    }
    const missing: [string, Record<string, unknown>, RegExp][] = [
      ["get_recently_added", { library: "Nope" }, /No library matches "Nope"/],
      ["list_collections", { library: "Nope" }, /No library matches "Nope"/],
      ["get_playlist", { playlist: "999999" }, /No playlist matches "999999"/],
      [
        "add_to_playlist",
        { playlist: "Nope", ratingKeys: ["1000"] },
        /No playlist matches/,
      ],
      ["remove_from_playlist", {
        playlist: "Nope",
        ratingKey: "1000",
        confirm: true,
      }, /No playlist matches/],
      ["mark_unwatched", { ratingKey: "999999" }, /404/],
      [
        "control_playback",
        { client: "Toaster", action: "pause" },
        /No player matches "Toaster". Valid choices: "Living Room TV"/,
      ],
      ["scan_library", { library: "999" }, /No library matches "999"/],
      ["get_watch_history", { library: "Nope" }, /No library matches/],
      ["add_to_collection", {
        ratingKey: "999999",
        ratingKeys: ["1000"],
      }, /No item with ratingKey 999999/],
      [
        "delete_collection",
        { ratingKey: "1000", confirm: true },
        /Item 1000 is a movie, not a collection/,
      ],
      ["update_metadata", {
        ratingKey: "1000",
        tagline: "x",
        collections: { add: ["y"] },
        unlock: ["tagline"],
      }, /cannot be changed and unlocked in one call/],
      [
        "create_smart_playlist",
        { title: "X", library: "Music", filter: { type: "album" } },
        /A playlist holds movies, episodes, tracks or photos, not albums/,
      ],
      [
        "get_bandwidth_stats",
        { account: "Nobody" },
        /No account matches "Nobody"/,
      ],
      ["empty_trash", { library: "Classic" }, /No library is named exactly/],
      [
        "get_server_logs",
        { file: "Plex Media Server.9.log" },
        /No log file is named "Plex Media Server\.9\.log"; the archive holds "Plex Media Server\.log", /,
      ],
      [
        "set_artwork",
        { ratingKey: "1000", id: "https://example.com/x.jpg" },
        /has no poster "https:\/\/example\.com\/x\.jpg"; list_artwork lists/,
      ],
      [
        "match_item",
        { ratingKey: "1000", guid: "plex://movie/nope", confirm: true },
        /is not among the matches Plex offers/,
      ],
      [
        "navigate_player",
        { client: "Kitchen iPad", action: "home" },
        /Player "Kitchen iPad" does not advertise "navigation", which moving through its menus needs \(it offers: timeline, playqueues\)/,
      ],
      [
        "set_player_streams",
        { client: "Living Room TV", subtitle: "off" },
        /Living Room TV is not playing anything; start it with play_media first/,
      ],
      ["get_watch_stats", { since: "yesterday" }, /since "yesterday" is not/],
      [
        "get_recommendations",
        { library: "Photos" },
        /Photos is a photo library: recommendations are for films and shows/,
      ],
      ["add_to_watchlist", {}, /Give either ratingKey .* or title/],
      [
        "add_to_watchlist",
        { ratingKey: "999999" },
        /Plex has nothing at GET \/library\/metadata\/999999 \(404\)|No item with ratingKey 999999/,
      ],
      [
        "get_on_deck",
        { user: "Alex", pin: "12" },
        /pin must be the profile's 4-digit PIN/,
      ],
    ];
    for (const [name, args, message] of missing) {
      fails(await call(name, args), message);
    }
    // The opt-in toolsets are on here (PLEX_TOOLSETS=all).
  }, { PLEX_TOOLSETS: "all" });
});

Deno.test("a player that refuses control gives a clear message", async () => {
  // The test changes Plex behind the server's back, so reads must not be cached.
  await withServer(async (call, fake) => {
    fake.library.clients[1]!.raw.protocolCapabilities = "timeline,playback";
    fails(
      await call("control_playback", {
        client: "Kitchen iPad",
        action: "pause",
      }),
      /refused the command \(Plex answered 400\): it is not accepting remote control/,
    );
  }, { PLEX_CACHE_TTL: "0" });
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
