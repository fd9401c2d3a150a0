/**
 * Playlist edits end to end, through the real stdio server against the
 * fake Plex: title and summary with before and after, moving an entry, and
 * smart playlists from browse_library's filter, which the fake fills from
 * the library as Plex does.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectStdio, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function writes(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).filter((r) => r.method !== "GET").map((
    r,
  ) => `${r.method} ${decodeURIComponent(r.path.replaceAll("+", " "))}`);
}

Deno.test("edit_playlist, move_playlist_item and create_smart_playlist change Plex as read back", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "library,playlists,watch_state,curation",
  });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const [rk] = [...fake.library.playlists.entries()].find(([, p]) =>
      p.raw.title === "Halloween Night"
    )!;

    // Rename and re-summarise, locked, before and after.
    let at = fake.requests.length;
    const edited = await call("edit_playlist", {
      playlist: "Halloween Night",
      title: "Spooky Season",
      summary: "For late October.",
    });
    assert.equal(edited.r.isError, undefined, edited.text);
    assert.deepEqual(edited.s, {
      ratingKey: rk,
      before: {
        title: "Halloween Night",
        summary: "Scary classics for October.",
      },
      after: { title: "Spooky Season", summary: "For late October." },
      changed: ["title", "summary"],
    });
    assert.deepEqual(writes(fake, at), [
      `PUT /playlists/${rk}?title.value=Spooky Season&title.locked=1&summary.value=For late October.&summary.locked=1`,
    ]);
    // Another playlist's title, a blank or partial name, clearing without
    // confirmation: refused, nothing sent.
    await call("create_playlist", {
      title: "Noir",
      ratingKeys: [fake.library.playlists.get(rk)!.entries[0]!.ratingKey],
    });
    at = fake.requests.length;
    for (
      const [args, message] of [
        [
          { playlist: rk, title: "noir" },
          /Playlist "Noir" \(\d+\) already has that title/,
        ],
        [
          { playlist: "Spooky", title: "X" },
          /No playlist is named exactly "Spooky"/,
        ],
        [
          { playlist: rk, summary: "" },
          /Clear the summary of playlist "Spooky Season" cannot be undone/,
        ],
        [{ playlist: rk }, /Nothing to change/],
      ] as const
    ) {
      const r = await call("edit_playlist", args);
      assert.equal(r.r.isError, true);
      assert.match(r.text, message);
    }
    assert.deepEqual(writes(fake, at), []);

    // Move the last entry after the first, then the middle one to the top.
    const entries = () =>
      fake.library.playlists.get(rk)!.entries.map((e) => String(e.id));
    const [a, b, c] = entries();
    at = fake.requests.length;
    const moved = await call("move_playlist_item", {
      playlist: rk,
      playlistItemId: c,
      after: a,
    });
    assert.equal(moved.r.isError, undefined, moved.text);
    assert.equal(moved.s.position, 2);
    assert.deepEqual(entries(), [a, c, b]);
    assert.deepEqual(writes(fake, at), [
      `PUT /playlists/${rk}/items/${c}/move?after=${a}`,
    ]);
    const top = await call("move_playlist_item", {
      playlist: rk,
      playlistItemId: b,
    });
    assert.equal(top.s.position, 1);
    assert.deepEqual(entries(), [b, a, c]);
    const shown = await call("get_playlist", { playlist: rk });
    assert.deepEqual(
      shown.s.items.map((i: Any) => i.playlistItemId),
      [b, a, c],
      "get_playlist shows the new order",
    );
    at = fake.requests.length;
    for (
      const [args, message] of [
        [
          { playlist: rk, playlistItemId: "123" },
          /has no entry 123; get_playlist/,
        ],
        [{ playlist: rk, playlistItemId: a, after: "9" }, /has no entry 9/],
        [
          { playlist: rk, playlistItemId: a, after: a },
          /cannot be moved after itself/,
        ],
      ] as const
    ) {
      const r = await call("move_playlist_item", args);
      assert.match(r.text, message);
    }
    assert.deepEqual(writes(fake, at), []);

    // A smart playlist holds what browse_library lists for the same filter
    // and follows the library.
    const browse = await call("browse_library", {
      library: "Classic Movies",
      genre: "Horror",
      unwatched: true,
    });
    at = fake.requests.length;
    const smart = await call("create_smart_playlist", {
      title: "Unwatched horror",
      library: "Classic Movies",
      filter: { genre: "Horror", unwatched: true },
    });
    assert.equal(smart.r.isError, undefined, smart.text);
    assert.equal(smart.s.items, browse.s.total);
    assert.equal(smart.s.type, "video");
    const [post] = writes(fake, at);
    assert.match(
      post!,
      /^POST \/playlists\?type=video&title=Unwatched horror&smart=1&uri=server:\/\/\w+\/com\.plexapp\.plugins\.library\/library\/sections\/1\/all\?type=1&sort=titleSort&unwatched=1&genre=\d+$/,
    );
    const listed = await call("get_playlist", { playlist: "Unwatched horror" });
    assert.match(listed.text, /\(smart\)/);
    assert.deepEqual(
      listed.s.items.map((i: Any) => i.ratingKey),
      browse.s.items.map((i: Any) => i.ratingKey),
    );
    await call("mark_watched", { ratingKey: browse.s.items[0].ratingKey });
    const fewer = await call("get_playlist", { playlist: "Unwatched horror" });
    assert.equal(fewer.s.total, browse.s.total - 1, "the filter is live");
    // Episodes by default in a TV library; tracks in music.
    const tv = await call("create_smart_playlist", {
      title: "Fifties TV",
      library: "TV Shows",
      filter: { year: 1954 },
    });
    assert.equal(tv.r.isError, undefined, tv.text);
    assert.match(tv.text, /\(episodes, from 1954, sorted by title\)/);
    for (
      const [name, args, message] of [
        [
          "add_to_playlist",
          {
            playlist: "Unwatched horror",
            ratingKeys: [browse.s.items[0].ratingKey],
          },
          /is a smart playlist; Plex fills it from its rules/,
        ],
        [
          "move_playlist_item",
          { playlist: "Unwatched horror", playlistItemId: "1" },
          /is a smart playlist/,
        ],
        [
          "create_smart_playlist",
          { title: "Albums", library: "Music", filter: { type: "album" } },
          /not albums; set filter\.type/,
        ],
        [
          "create_smart_playlist",
          { title: "unwatched HORROR", library: "1", filter: {} },
          /already has that title/,
        ],
        [
          "create_smart_playlist",
          { title: "X", library: "1", filter: { genre: "Horr" } },
          /No genre is named exactly "Horr"/,
        ],
      ] as const
    ) {
      const r = await call(name, args);
      assert.equal(r.r.isError, true, name);
      assert.match(r.text, message);
    }
  } finally {
    await close();
  }
});
