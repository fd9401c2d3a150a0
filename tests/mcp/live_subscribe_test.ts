/**
 * Live changes over stdio with the SDK client: a subscription opens Plex's
 * notification socket (token in a header, never in the URL), a change on
 * the fake sends `notifications/resources/updated` for the resources it
 * touches and for no other, unsubscribing (or closing the session) closes
 * the socket, and without a subscription no socket is ever opened.
 */
import assert from "node:assert/strict";
import { TEST_TOKEN, textOf } from "../support/helpers.ts";
import { liveServer, sleep, waitFor } from "../support/live_helpers.ts";

Deno.test("live: resources/subscribe is advertised; no subscription, no socket", async () => {
  const s = await liveServer();
  try {
    const caps = s.client.getServerCapabilities();
    assert.equal(caps?.resources?.subscribe, true);
    const uris = (await s.client.listResources()).resources.map((r) => r.uri);
    assert.ok(uris.includes("plex://sessions"), uris.join(" "));
    assert.ok(uris.includes("plex://activities"), uris.join(" "));
    // Reads, tool calls and changes on the fake open nothing.
    await s.client.readResource({ uri: "plex://sessions" });
    await s.client.readResource({ uri: "plex://library/1" });
    const r = await s.client.callTool({
      name: "scan_library",
      arguments: { library: "1", wait: false },
    });
    assert.equal(r.isError, undefined, textOf(r));
    s.fakes[0]!.updateSession("41", { state: "paused" });
    await sleep(300);
    assert.equal(s.fakes[0]!.socketHandshakes.length, 0);
    assert.equal(s.updates.length, 0);
  } finally {
    await s.close();
  }
});

Deno.test("live: plex://sessions gets an update when playback changes, not before", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    const read = await s.client.readResource({ uri: "plex://sessions" });
    const before = JSON.parse((read.contents[0] as { text: string }).text);
    assert.equal(before.total, 2);
    assert.equal(before.sessions[0].state, "playing");

    await s.client.subscribeResource({ uri: "plex://sessions" });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the server to open the notification socket",
    );
    const [handshake] = fake.socketHandshakes;
    assert.equal(handshake!.status, 101);
    assert.equal(handshake!.tokenInUrl, false, handshake!.path);
    assert.equal(handshake!.tokenHeader, true);
    assert.equal(handshake!.path, "/:/websockets/notifications");
    await sleep(200);
    assert.equal(s.updates.length, 0, "no update before a change");

    fake.updateSession("41", { state: "paused", viewOffset: 2_500_000 });
    await waitFor(
      () => s.updatesFor("plex://sessions").length === 1,
      5_000,
      "the update for plex://sessions",
    );
    const after = JSON.parse(
      ((await s.client.readResource({ uri: "plex://sessions" }))
        .contents[0] as { text: string }).text,
    );
    assert.equal(after.sessions[0].state, "paused");
    assert.equal(after.sessions[0].progressMs, 2_500_000);
    // The token was never in a URL or a log line.
    assert.ok(!s.stderr().includes(TEST_TOKEN));
    assert.match(
      s.stderr(),
      /Listening to ws:\/\/127\.0\.0\.1:\d+\/:\/websockets\/notifications/,
    );
  } finally {
    await s.close();
  }
});

Deno.test("live: a change touches only the resources it concerns (library by key or title, media, activities)", async () => {
  const s = await liveServer(1, { PLEX_TOOLSETS: "all" });
  const fake = s.fakes[0]!;
  try {
    const nosferatu = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Nosferatu"
    )!;
    const other = [...fake.library.items.values()].find((i) =>
      i.raw.type === "movie" && i.sectionId !== nosferatu.sectionId
    )!;
    const media = `plex://media/${nosferatu.ratingKey}`;
    const otherMedia = `plex://media/${other.ratingKey}`;
    const byTitle = "plex://library/Silent%20Films";
    const byKey = `plex://library/${other.sectionId}`;
    for (
      const uri of [
        media,
        otherMedia,
        byTitle,
        byKey,
        "plex://activities",
        "plex://sessions",
      ]
    ) {
      await s.client.subscribeResource({ uri });
    }
    assert.equal(String(nosferatu.sectionId), "2", "Silent Films is key 2");
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "one socket for all six subscriptions",
    );

    // An edit of Nosferatu: its item and its library, nothing else.
    const edit = await s.client.callTool({
      name: "update_metadata",
      arguments: { ratingKey: nosferatu.ratingKey, summary: "A new summary" },
    });
    assert.equal(edit.isError, undefined, textOf(edit));
    await waitFor(
      () =>
        s.updatesFor(media).length === 1 && s.updatesFor(byTitle).length === 1,
      5_000,
      "updates for the item and its library",
    );
    await sleep(300);
    assert.deepEqual(
      s.updates.map((u) => u.uri).sort(),
      [byTitle, media].sort(),
    );

    // A scan of the other library: activities and that library.
    const scan = await s.client.callTool({
      name: "scan_library",
      arguments: { library: String(other.sectionId), wait: false },
    });
    assert.equal(scan.isError, undefined, textOf(scan));
    await waitFor(
      () =>
        s.updatesFor("plex://activities").length >= 1 &&
        s.updatesFor(byKey).length >= 1,
      5_000,
      "updates for the activities and the scanned library",
    );
    assert.equal(s.updatesFor(otherMedia).length, 0);
    assert.equal(s.updatesFor("plex://sessions").length, 0);
    assert.equal(fake.socketHandshakes.length, 1, "still the one socket");
  } finally {
    await s.close();
  }
});

Deno.test("live: unsubscribing from the last resource closes the socket; the session's end does too", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    await s.client.subscribeResource({ uri: "plex://sessions" });
    await s.client.subscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the socket to open",
    );
    await s.client.unsubscribeResource({ uri: "plex://sessions" });
    await sleep(300);
    assert.equal(fake.notificationSockets.size, 1, "one subscription left");
    // Unsubscribing from what was never subscribed is not an error.
    await s.client.unsubscribeResource({ uri: "plex://library/1" });
    await s.client.unsubscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => fake.notificationSockets.size === 0,
      5_000,
      "the fake to see the socket close",
    );
    // No update comes any more, and nothing reconnects.
    fake.updateSession("41", { state: "paused" });
    await sleep(1_500);
    assert.equal(s.updates.length, 0);
    assert.equal(fake.socketHandshakes.length, 1);

    // Subscribed again, then the client goes away: the socket closes.
    await s.client.subscribeResource({ uri: "plex://sessions" });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the socket to open again",
    );
    await s.client.close();
    await waitFor(
      () => fake.notificationSockets.size === 0,
      10_000,
      "the socket to close with the session",
    );
  } finally {
    // Closing the client again is harmless; this also scans stderr.
    await s.close();
  }
});

Deno.test("live: bad subscriptions get clear errors and the server keeps serving", async () => {
  const s = await liveServer();
  try {
    const cases: [string, RegExp][] = [
      ["plex://media/abc", /the ratingKey must be numeric/],
      ["plex://library/Nope", /No library matches "Nope"/],
      [
        "plex://libraries",
        /does not change live: subscriptions are for plex:\/\/sessions/,
      ],
      ["plex://media/1/poster", /does not change live/],
      [
        "plex://nothing",
        /Resource "plex:\/\/nothing" not found: subscriptions are for/,
      ],
      ["plex://sessions?server=x", /Only one server is configured/],
      ["plex://media/%zz", /not valid percent-encoding/],
    ];
    for (const [uri, message] of cases) {
      await assert.rejects(
        s.client.subscribeResource({ uri }),
        message,
        uri,
      );
    }
    assert.equal(s.fakes[0]!.socketHandshakes.length, 0);
    const r = await s.client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined);
    // A hundred subscriptions at most per session.
    for (let i = 0; i < 100; i++) {
      await s.client.subscribeResource({ uri: `plex://media/${9000 + i}` });
    }
    await assert.rejects(
      s.client.subscribeResource({ uri: "plex://media/1" }),
      /At most 100 resources can be subscribed to at once/,
    );
    // Subscribing again to one already held is fine.
    await s.client.subscribeResource({ uri: "plex://media/9000" });
  } finally {
    await s.close();
  }
});

Deno.test("live: a player command (play, pause, stop) updates the item played and the sessions", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!.ratingKey;
    const media = `plex://media/${detour}`;
    await s.client.subscribeResource({ uri: media });
    await s.client.subscribeResource({ uri: "plex://sessions" });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the socket to open",
    );
    const play = await s.client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: detour },
    });
    assert.equal(play.isError, undefined, textOf(play));
    await waitFor(
      () => s.updatesFor(media).length === 1,
      5_000,
      "the played item's update",
    );
    await sleep(1_100);
    for (const action of ["pause", "stop"]) {
      const r = await s.client.callTool({
        name: "control_playback",
        arguments: { client: "Living Room TV", action },
      });
      assert.equal(r.isError, undefined, textOf(r));
      await sleep(1_100);
    }
    assert.equal(s.updatesFor(media).length, 3, "play, pause, stop");
    assert.equal(s.updatesFor("plex://sessions").length, 3);
  } finally {
    await s.close();
  }
});
