/** Concurrent writes to one playlist leave it consistent. */
import assert from "node:assert/strict";
import {
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";

Deno.test("20 concurrent adds and 10 concurrent removes on one playlist leave it consistent", async () => {
  const { fake, served } = startFake();
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: served.host,
  });
  const playlist = [...fake.library.playlists.values()][0]!;
  const movies = [...fake.library.items.values()].filter((i) =>
    i.raw.type === "movie"
  ).map((i) => i.ratingKey);
  const initial = playlist.entries.length;
  try {
    const adds = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        s.client.callTool({
          name: "add_to_playlist",
          arguments: {
            playlist: "Halloween Night",
            ratingKeys: [movies[n % movies.length]!],
          },
        })),
    );
    for (const r of adds) assert.notEqual(r.isError, true, textOf(r));
    assert.equal(playlist.entries.length, initial + 20);
    assert.equal(
      new Set(playlist.entries.map((e) => e.id)).size,
      playlist.entries.length,
      "entry ids unique",
    );

    const victims = playlist.entries.slice(0, 10).map((e) => String(e.id));
    const removes = await Promise.all(victims.map((id) =>
      s.client.callTool({
        name: "remove_from_playlist",
        arguments: {
          playlist: "Halloween Night",
          playlistItemId: id,
          confirm: true,
        },
      })
    ));
    for (const r of removes) assert.notEqual(r.isError, true, textOf(r));
    assert.equal(playlist.entries.length, initial + 10);
    assert.ok(
      victims.every((id) => !playlist.entries.some((e) => String(e.id) === id)),
    );

    const read = await s.client.callTool({
      name: "get_playlist",
      arguments: { playlist: "Halloween Night", limit: 100 },
    });
    const sc = read.structuredContent as { total: number; items: unknown[] };
    assert.equal(sc.total, initial + 10);
    assert.equal(sc.items.length, initial + 10);
  } finally {
    await s.close();
    await served.close();
  }
});
