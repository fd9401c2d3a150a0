/**
 * Players want a timeline poll first: Plex Media Player and Plex HTPC
 * answer 406 to a command from a controller that has not polled their
 * timeline in the last 90 s (pmp RemoteComponent.cpp:317-324, :510), and
 * python-plexapi polls first (client.py:229). The remote tools poll when
 * this client has not lately — once, not before every command — and poll
 * again when a player that forgot them answers 406. The fake's players
 * refuse as Plex Media Player does.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import {
  FAKE_SUBSCRIPTION_MS,
  playerSubscribers,
} from "../../../src/demo/fake_plex/routes/remote.ts";
import { connectInMemory, textOf } from "../../support/helpers.ts";

function playerPaths(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).map((r) => r.path.split("?")[0]!)
    .filter((p) => p.startsWith("/player/"));
}

Deno.test("remote tools poll a player's timeline before the first command, not before every one, and again after a 406", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    assert.equal(r.isError, undefined, `${name}: ${textOf(r)}`);
    return r;
  };
  const tv = fake.library.clients[0]!;
  try {
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!.ratingKey;
    let at = fake.requests.length;
    await call("play_media", { client: "Living Room TV", ratingKey: detour });
    assert.deepEqual(playerPaths(fake, at), [
      "/player/timeline/poll",
      "/player/playback/playMedia",
    ]);
    assert.equal(tv.state, "playing");

    // Within the subscription: commands go straight to the player.
    at = fake.requests.length;
    await call("control_playback", {
      client: "Living Room TV",
      action: "pause",
    });
    await call("navigate_player", {
      client: "Living Room TV",
      action: "down",
      times: 2,
    });
    assert.deepEqual(playerPaths(fake, at), [
      "/player/playback/pause",
      "/player/navigation/moveDown",
      "/player/navigation/moveDown",
    ]);
    assert.equal(tv.state, "paused");

    // The player forgot this controller (more than 90 s, or it restarted):
    // its 406 is answered with a poll and the command once more.
    const subscribers = playerSubscribers(tv);
    assert.equal(subscribers.size, 1);
    const [controller] = [...subscribers.keys()];
    subscribers.set(controller!, Date.now() - FAKE_SUBSCRIPTION_MS - 1000);
    at = fake.requests.length;
    await call("control_playback", {
      client: "Living Room TV",
      action: "resume",
    });
    assert.deepEqual(playerPaths(fake, at), [
      "/player/playback/play",
      "/player/timeline/poll",
      "/player/playback/play",
    ]);
    assert.equal(tv.state, "playing");
  } finally {
    await close();
  }
});

Deno.test("the fake's player refuses a command from a controller that has not polled its timeline in 90 s", async () => {
  const { fake, close } = await connectInMemory();
  const tv = fake.library.clients[0]!;
  const get = async (path: string, controller: string) => {
    const r = await fake.handle(
      new Request(`http://fake${path}`, {
        headers: {
          "X-Plex-Token": "demo-token",
          "X-Plex-Target-Client-Identifier": String(tv.raw.machineIdentifier),
          "X-Plex-Client-Identifier": controller,
        },
      }),
    );
    await r.body?.cancel();
    return r.status;
  };
  try {
    const pause = "/player/playback/pause?type=video&commandID=1";
    assert.equal(await get(pause, "remote-a"), 406, "never polled");
    assert.equal(
      await get("/player/timeline/poll?wait=0&commandID=2", "remote-a"),
      200,
    );
    assert.equal(await get(pause, "remote-a"), 200, "just polled");
    assert.equal(await get(pause, "remote-b"), 406, "another controller");
    playerSubscribers(tv).set(
      "remote-a",
      Date.now() - FAKE_SUBSCRIPTION_MS - 1,
    );
    assert.equal(await get(pause, "remote-a"), 406, "polled over 90 s ago");
  } finally {
    await close();
  }
});
