/**
 * The playlist tools end to end over stdio against the loopback fake Plex:
 * create, read, add, remove, delete, each write verified by a read.
 */
import assert from "node:assert/strict";
import { type Any, fails, ok, rk, withServer } from "../support/tool_calls.ts";

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
