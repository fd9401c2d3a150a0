/**
 * The watch-state and playback tools end to end over stdio against the
 * loopback fake Plex: each write shown by a read, and a player that
 * refuses control named as such.
 */
import assert from "node:assert/strict";
import { type Any, fails, ok, rk, withServer } from "../support/tool_calls.ts";

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
