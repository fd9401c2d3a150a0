/**
 * Live changes with several servers, over stdio: each server has its own
 * socket, opened by a subscription to one of its resources (`?server=`)
 * and closed with the last of them; a change on one server updates only
 * that server's URIs.
 */
import assert from "node:assert/strict";
import { liveServer, sleep, waitFor } from "../support/live_helpers.ts";

Deno.test("live with several servers: one socket per server, updates name the server's URIs, each closes on its own", async () => {
  const s = await liveServer(2);
  const [a, b] = s.fakes as [
    (typeof s.fakes)[0],
    (typeof s.fakes)[0],
  ];
  try {
    const uris = (await s.client.listResources()).resources.map((r) => r.uri);
    for (const name of ["s0", "s1"]) {
      assert.ok(
        uris.includes(`plex://sessions?server=${name}`),
        uris.join(" "),
      );
      assert.ok(uris.includes(`plex://activities?server=${name}`));
    }
    await s.client.subscribeResource({ uri: "plex://sessions?server=s0" });
    await waitFor(
      () => a.notificationSockets.size === 1,
      10_000,
      "s0's socket",
    );
    await sleep(200);
    assert.equal(b.socketHandshakes.length, 0, "s1 has no subscription yet");

    await s.client.subscribeResource({ uri: "plex://sessions?server=s1" });
    await s.client.subscribeResource({ uri: "plex://library/1?server=s1" });
    // No server named: the default's.
    await s.client.subscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => b.notificationSockets.size === 1,
      10_000,
      "s1's socket",
    );
    assert.equal(a.socketHandshakes.length, 1, "s0 kept its one socket");

    b.updateSession("42", { state: "playing" });
    await waitFor(
      () => s.updatesFor("plex://sessions?server=s1").length === 1,
      5_000,
      "s1's update",
    );
    await sleep(300);
    assert.equal(s.updatesFor("plex://sessions?server=s0").length, 0);

    a.updateSession("41", { state: "paused" });
    const scan = await s.client.callTool({
      name: "scan_library",
      arguments: { library: "1", wait: false },
    });
    assert.equal(scan.isError, undefined);
    await waitFor(
      () =>
        s.updatesFor("plex://sessions?server=s0").length === 1 &&
        s.updatesFor("plex://activities").length === 1,
      5_000,
      "s0's updates (the scan ran on the default server, s0)",
    );
    assert.equal(s.updatesFor("plex://library/1?server=s1").length, 0);

    await assert.rejects(
      s.client.subscribeResource({ uri: "plex://sessions?server=nope" }),
      /No server "nope": choose "s0", "s1"/,
    );

    // s0's last subscriptions go: its socket closes, s1's stays.
    await s.client.unsubscribeResource({ uri: "plex://sessions?server=s0" });
    await s.client.unsubscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => a.notificationSockets.size === 0,
      5_000,
      "s0's socket to close",
    );
    await sleep(300);
    assert.equal(b.notificationSockets.size, 1);
    b.notifyTimeline(
      b.library.items.get(b.library.sections.get(1)!.items[0]!)!,
      5,
    );
    await waitFor(
      () => s.updatesFor("plex://library/1?server=s1").length === 1,
      5_000,
      "s1's library update",
    );
  } finally {
    await s.close();
  }
});
