/**
 * What the notification socket may send, over stdio: bursts (Plex sends
 * `playing` again and again during playback) give at most one update per
 * resource a second, and a hostile socket (huge frames, garbage, unknown
 * types, binary frames, oversized entry lists, a frame over Deno's limit)
 * neither crashes the server nor grows its memory.
 */
import assert from "node:assert/strict";
import { peakRssMiB, textOf } from "../support/helpers.ts";
import { liveServer, sleep, waitFor } from "../support/live_helpers.ts";

Deno.test("live: a burst of playing frames gives one update at once and one when it ends; steady frames at most one a second", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    await s.client.subscribeResource({ uri: "plex://sessions" });
    const rk = String(fake.library.sessions[0]!.ratingKey);
    await s.client.subscribeResource({ uri: `plex://media/${rk}` });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the socket to open",
    );
    for (let i = 0; i < 200; i++) {
      fake.updateSession("41", { viewOffset: 2_460_000 + i * 1000 });
    }
    await waitFor(
      () => s.updatesFor("plex://sessions").length >= 1,
      5_000,
      "the first update",
    );
    await sleep(1_500);
    for (const uri of ["plex://sessions", `plex://media/${rk}`]) {
      assert.equal(
        s.updatesFor(uri).length,
        2,
        `${uri}: 200 frames, one update at once and one after the window`,
      );
    }
    const [first, second] = s.updatesFor("plex://sessions");
    // A second apart when sent; arrival may jitter a little.
    assert.ok(second!.at - first!.at >= 500, "about a second apart");

    // Frames every 100 ms for 3 s: about one update a second, never more.
    const before = s.updatesFor("plex://sessions").length;
    const began = performance.now();
    while (performance.now() - began < 3_000) {
      fake.updateSession("41", { state: "playing" });
      await sleep(100);
    }
    await sleep(1_200);
    const steady = s.updatesFor("plex://sessions").slice(before);
    assert.ok(
      steady.length >= 3 && steady.length <= 5,
      `${steady.length} updates for 30 frames over 3 s`,
    );
    for (let i = 1; i < steady.length; i++) {
      assert.ok(steady[i]!.at - steady[i - 1]!.at >= 500);
    }
  } finally {
    await s.close();
  }
});

Deno.test("live: a hostile socket (huge, garbage, unknown, binary, over-long lists) does not crash the server or grow its memory", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    await s.client.subscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the socket to open",
    );
    const big = "x".repeat(8 * 1024 * 1024);
    const entries = Array.from({ length: 200_000 }, (_, i) => ({
      event: "updated",
      uuid: `u${i}`,
    }));
    const hostile: (string | Uint8Array)[] = [
      "not json at all {",
      "null",
      "[1,2,3]",
      '{"NotificationContainer":{}}',
      '{"NotificationContainer":{"type":"playing","PlaySessionStateNotification":"nope"}}',
      '{"NotificationContainer":{"type":"timeline","TimelineEntry":[null,7,"x",{"sectionID":{"a":1}}]}}',
      JSON.stringify({
        NotificationContainer: { type: "made.up", size: 1, Thing: [{ a: 1 }] },
      }),
      JSON.stringify({ NotificationContainer: { type: "log", size: 1 } }),
      // One huge frame of a known type, over the frame limit.
      JSON.stringify({
        NotificationContainer: {
          type: "activity",
          ActivityNotification: [{ event: "started", title: big }],
        },
      }),
      // A list of entries longer than read (cut to the first thousand).
      JSON.stringify({
        NotificationContainer: {
          type: "backgroundProcessingQueue",
          BackgroundProcessingQueueEventNotification: entries,
        },
      }),
      new Uint8Array(1024 * 1024),
    ];
    for (let round = 0; round < 8; round++) {
      for (const frame of hostile) {
        for (const socket of fake.notificationSockets) {
          (socket as unknown as { send(f: string | Uint8Array): void }).send(
            frame,
          );
        }
      }
      // The hostile frames change no resource.
      const r = await s.client.callTool({
        name: "get_libraries",
        arguments: {},
      });
      assert.equal(r.isError, undefined, textOf(r));
    }
    await sleep(300);
    assert.equal(s.updates.length, 0, "nothing readable, nothing updated");
    // Warned about, once a minute at most.
    const warnings = s.stderr().match(/skipped a frame/g) ?? [];
    assert.equal(warnings.length, 1, s.stderr().slice(-2000));
    assert.match(s.stderr(), /skipped a frame that is not JSON/);

    // A real activity still comes through on the same socket.
    assert.equal(fake.notificationSockets.size, 1);
    assert.equal(fake.socketHandshakes.length, 1);
    fake.notifyActivity("started", {
      uuid: "a1",
      type: "library.update.section",
      title: "Scanning",
      progress: 0,
    });
    await waitFor(
      () => s.updatesFor("plex://activities").length === 1,
      5_000,
      "the update after the hostile frames",
    );

    // Over Deno's own frame limit (64 MiB): the connection fails, the
    // server reconnects.
    fake.broadcast("y".repeat(70 * 1024 * 1024));
    await waitFor(
      () => fake.socketHandshakes.length === 2,
      15_000,
      "a reconnection after the oversized frame",
    );
    const r = await s.client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    const peak = peakRssMiB(s.pid);
    assert.ok(peak < 400, `peak RSS ${peak.toFixed(0)} MiB`);
  } finally {
    await s.close();
  }
});
