/**
 * Collections end to end, through the real stdio server against the fake
 * Plex: create (regular and smart), add, remove, edit and delete, each
 * checked on the fake's state and request log, refusals that send nothing,
 * confirmation for what takes things away, and read-only mode.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import {
  connectInMemory,
  connectStdio,
  spawnServer,
  TEST_TOKEN,
  textOf,
} from "../../support/helpers.ts";
import { ElicitRequestSchema } from "../../support/sdk_client.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function key(fake: FakePlex, title: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title) return i.ratingKey;
  }
  throw new Error(`no demo item ${title}`);
}

function collectionTitled(fake: FakePlex, title: string) {
  return [...fake.library.collections.entries()].find(([, c]) =>
    c.raw.title === title
  );
}

/** Requests the fake saw since `from`, as `METHOD path?query` (decoded). */
function seen(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).map((r) =>
    `${r.method} ${decodeURIComponent(r.path.replaceAll("+", " "))}`
  );
}

const writes = (lines: string[]) => lines.filter((l) => !l.startsWith("GET "));

Deno.test("collections: create regular and smart, add, remove, edit, delete, each read back", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "library,curation",
  });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const detour = key(fake, "Detour");
    const charade = key(fake, "Charade");
    const friday = key(fake, "His Girl Friday");

    // Create a regular collection with a summary.
    let at = fake.requests.length;
    const made = await call("create_collection", {
      library: "Classic Movies",
      title: "Noir",
      ratingKeys: [detour, charade],
      summary: "Dark films",
    });
    assert.equal(made.r.isError, undefined, made.text);
    const rk = made.s.ratingKey as string;
    assert.deepEqual(made.s, {
      ratingKey: rk,
      title: "Noir",
      library: "Classic Movies",
      smart: false,
      items: 2,
      summary: "Dark films",
    });
    const [, noir] = collectionTitled(fake, "Noir")!;
    assert.deepEqual(noir.members, [detour, charade]);
    // The items carry the collection as a tag, as in Plex.
    assert.deepEqual(fake.library.items.get(detour)!.raw.Collection, [{
      tag: "Noir",
    }]);
    const sent = writes(seen(fake, at));
    assert.deepEqual(sent, [
      `POST /library/collections?type=1&title=Noir&smart=0&sectionId=1&uri=server://${fake.library.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${detour},${charade}`,
      `PUT /library/sections/1/all?type=18&id=${rk}&summary.value=Dark films&summary.locked=1`,
    ]);

    // A second collection of that title, items of another library, mixed
    // kinds, or neither/both of ratingKeys and filter: refused, nothing sent.
    at = fake.requests.length;
    const refusals: [Record<string, unknown>, RegExp][] = [
      [
        { library: "1", title: "noir", ratingKeys: [friday] },
        /already has a collection "Noir" \(\d+\); add to it with add_to_collection/,
      ],
      [
        { library: "1", title: "Mixed", ratingKeys: [key(fake, "Nosferatu")] },
        /holds items of its own library; \d+ is not in "Classic Movies"/,
      ],
      [
        { library: "1", title: "Both", ratingKeys: [detour], filter: {} },
        /Give exactly one of ratingKeys/,
      ],
      [{ library: "1", title: "Neither" }, /Give exactly one of ratingKeys/],
      [
        { library: "Classic", title: "Part", ratingKeys: [detour] },
        /No library is named exactly "Classic"/,
      ],
    ];
    for (const [args, message] of refusals) {
      const r = await call("create_collection", args);
      assert.equal(r.r.isError, true, JSON.stringify(args));
      assert.match(r.text, message);
    }
    assert.deepEqual(writes(seen(fake, at)), [], "no refused create was sent");

    // Add: new items go in, items already in it are skipped.
    at = fake.requests.length;
    const added = await call("add_to_collection", {
      ratingKey: rk,
      ratingKeys: [detour, friday],
    });
    assert.equal(added.r.isError, undefined, added.text);
    assert.deepEqual(added.s.added, [friday]);
    assert.deepEqual(added.s.skipped, [detour]);
    assert.equal(added.s.items, 3);
    assert.deepEqual(noir.members, [detour, charade, friday]);
    assert.deepEqual(writes(seen(fake, at)), [
      `PUT /library/collections/${rk}/items?uri=server://${fake.library.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${friday}`,
    ]);

    // Remove: without confirmation nothing is sent; a non-member is refused.
    at = fake.requests.length;
    const unconfirmed = await call("remove_from_collection", {
      ratingKey: rk,
      ratingKeys: [charade],
    });
    assert.match(
      unconfirmed.text,
      /Remove "Charade" from collection "Noir" cannot be undone: ask the user, then call again with confirm: true/,
    );
    const stranger = await call("remove_from_collection", {
      ratingKey: rk,
      ratingKeys: [key(fake, "Nosferatu")],
      confirm: true,
    });
    assert.match(stranger.text, /"Noir" does not hold \d+; get_collection/);
    assert.deepEqual(writes(seen(fake, at)), []);
    const removed = await call("remove_from_collection", {
      ratingKey: rk,
      ratingKeys: [charade],
      confirm: true,
    });
    assert.equal(removed.r.isError, undefined, removed.text);
    assert.deepEqual(removed.s.removed, [charade]);
    assert.equal(removed.s.items, 2);
    assert.equal(fake.library.items.get(charade)!.raw.Collection, undefined);

    // Edit: rename, summary, sort and mode, before and after.
    at = fake.requests.length;
    const edited = await call("edit_collection", {
      ratingKey: rk,
      title: "Film Noir",
      sort: "alphabetical",
      mode: "hide_items",
    });
    assert.equal(edited.r.isError, undefined, edited.text);
    assert.deepEqual(edited.s.changed, ["title", "sort", "mode"]);
    assert.equal(edited.s.before.title, "Noir");
    assert.equal(edited.s.after.title, "Film Noir");
    assert.equal(edited.s.after.sort, "alphabetical");
    assert.equal(edited.s.after.mode, "hide_items");
    assert.deepEqual(edited.s.after.locked, ["summary", "title"]);
    assert.deepEqual(edited.s.notApplied, []);
    assert.deepEqual(fake.library.items.get(detour)!.raw.Collection, [{
      tag: "Film Noir",
    }]);
    assert.deepEqual(writes(seen(fake, at)), [
      `PUT /library/sections/1/all?type=18&id=${rk}&title.value=Film Noir&title.locked=1`,
      `PUT /library/collections/${rk}/prefs?collectionSort=1&collectionMode=1`,
    ]);
    // A title another collection has is refused before anything is sent
    // (Plex answers 409, which the fake does too).
    at = fake.requests.length;
    const clash = await call("edit_collection", {
      ratingKey: rk,
      title: "horror classics",
    });
    assert.match(
      clash.text,
      /Collection "Horror Classics" \(\d+\) already has that title in this library/,
    );
    assert.deepEqual(writes(seen(fake, at)), []);
    const direct = await fake.handle(
      new Request(
        `http://fake/library/sections/1/all?type=18&id=${rk}&title.value=Horror%20Classics&X-Plex-Token=${TEST_TOKEN}`,
        { method: "PUT" },
      ),
    );
    assert.equal(direct.status, 409, "the fake refuses a taken title too");

    // Smart: what the filter selects, as browse_library lists it, and it
    // follows the library (an item watched leaves an "unwatched" filter).
    const browse = await call("browse_library", {
      library: "Classic Movies",
      genre: "Horror",
      unwatched: true,
      sort: "year_desc",
    });
    at = fake.requests.length;
    const smart = await call("create_collection", {
      library: "Classic Movies",
      title: "Unwatched horror",
      filter: { genre: "Horror", unwatched: true, sort: "year_desc" },
    });
    assert.equal(smart.r.isError, undefined, smart.text);
    assert.equal(smart.s.smart, true);
    assert.equal(smart.s.items, browse.s.total);
    assert.match(
      smart.text,
      /Created smart collection \[\d+\] "Unwatched horror" in Classic Movies \(Horror movies, unwatched, sorted by year desc\)/,
    );
    const post = writes(seen(fake, at))[0]!;
    assert.match(
      post,
      /^POST \/library\/collections\?type=1&title=Unwatched horror&smart=1&sectionId=1&uri=server:\/\/\w+\/com\.plexapp\.plugins\.library\/library\/sections\/1\/all\?type=1&sort=year%3Adesc&unwatched=1&genre=\d+$/,
    );
    const smartKey = smart.s.ratingKey as string;
    const listed = await call("get_collection", { ratingKey: smartKey });
    assert.deepEqual(
      listed.s.items.map((i: Any) => i.ratingKey),
      browse.s.items.map((i: Any) => i.ratingKey),
    );
    const first = browse.s.items[0].ratingKey;
    fake.library.items.get(first)!.raw.viewCount = 1;
    const after = await call("get_collection", { ratingKey: smartKey });
    assert.equal(after.s.total, browse.s.total - 1, "the filter is live");
    for (
      const [name, args, message] of [
        [
          "add_to_collection",
          { ratingKey: smartKey, ratingKeys: [detour] },
          /is a smart collection; Plex fills it from its filter/,
        ],
        [
          "edit_collection",
          { ratingKey: smartKey, sort: "custom" },
          /smart collection: its order comes from its filter/,
        ],
      ] as const
    ) {
      const r = await call(name, args);
      assert.match(r.text, message);
    }
    // Not even release or alphabetical order: python-plexapi refuses any
    // sort change on a smart collection (collection.py:290-291), and so
    // does the fake; nothing is sent.
    at = fake.requests.length;
    for (const sort of ["release", "alphabetical"]) {
      const r = await call("edit_collection", { ratingKey: smartKey, sort });
      assert.equal(r.r.isError, true, r.text);
      assert.match(
        r.text,
        /is a smart collection: its order comes from its filter's sort, so it takes no sort of its own.*Nothing was changed/,
      );
    }
    assert.deepEqual(writes(seen(fake, at)), []);
    const sorted = await fake.handle(
      new Request(
        `http://fake/library/collections/${smartKey}/prefs?collectionSort=1`,
        { method: "PUT", headers: { "X-Plex-Token": TEST_TOKEN } },
      ),
    );
    assert.equal(sorted.status, 400);
    // A smart collection of episodes in a TV library: fields by level.
    const episodes = await call("create_collection", {
      library: "TV Shows",
      title: "Fifties episodes",
      filter: { type: "episode", year: 1954, limit: 3 },
    });
    assert.equal(episodes.r.isError, undefined, episodes.text);
    assert.equal(episodes.s.items, 3);

    // Delete: asks, then deletes the collection and untags its items.
    at = fake.requests.length;
    const ask = await call("delete_collection", { ratingKey: rk });
    assert.match(
      ask.text,
      /Delete collection "Film Noir" \(2 items; the items stay in the library\) cannot be undone/,
    );
    assert.deepEqual(writes(seen(fake, at)), []);
    const gone = await call("delete_collection", {
      ratingKey: rk,
      confirm: true,
    });
    assert.equal(gone.r.isError, undefined, gone.text);
    assert.deepEqual(gone.s, {
      ratingKey: rk,
      title: "Film Noir",
      deleted: true,
    });
    assert.equal(fake.library.collections.has(rk), false);
    assert.ok(fake.library.items.has(detour), "the items stay");
    assert.equal(fake.library.items.get(detour)!.raw.Collection, undefined);
    const notCollection = await call("delete_collection", {
      ratingKey: detour,
      confirm: true,
    });
    assert.match(notCollection.text, /is a movie, not a collection/);
  } finally {
    await close();
  }
});

Deno.test("collections: a declined confirmation deletes nothing; read-only mode offers no curation write", async () => {
  const asked: string[] = [];
  const conn = await connectInMemory({}, { elicitation: {} }, (client) => {
    client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push(String(req.params.message));
      return { action: "decline" };
    });
  });
  try {
    const rk = [...conn.fake.library.collections.keys()][0]!;
    const before = conn.fake.requests.length;
    const r = await conn.client.callTool({
      name: "delete_collection",
      arguments: { ratingKey: rk, confirm: true },
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /Cancelled: the user did not confirm/);
    assert.match(
      asked[0]!,
      /^Delete collection "Horror Classics" \(\d+ items;/,
    );
    assert.ok(conn.fake.library.collections.has(rk));
    assert.ok(
      conn.fake.requests.slice(before).every((q) => q.method === "GET"),
      "only reads were sent",
    );
  } finally {
    await conn.close();
  }
  const s = await spawnServer({
    env: { PLEX_TOOLSETS: "all", PLEX_READ_ONLY: "true" },
    args: ["--demo"],
  });
  try {
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    for (
      const name of [
        "create_collection",
        "add_to_collection",
        "remove_from_collection",
        "edit_collection",
        "delete_collection",
        "update_metadata",
        "refresh_metadata",
        "edit_playlist",
        "move_playlist_item",
        "create_smart_playlist",
      ]
    ) {
      assert.ok(!names.includes(name), `${name} is hidden in read-only mode`);
    }
    assert.ok(names.includes("list_collections"));
  } finally {
    await s.close();
  }
});
