/**
 * Live changes over `serve --http`: sessions that subscribe to the same
 * server's resources share its one notification socket, each gets its own
 * updates on its stream, and the socket closes when the last of them ends.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import {
  connectHttp,
  HTTP_TOKEN,
  startHttpRig,
} from "../support/http_helpers.ts";
import { sleep, waitFor } from "../support/live_helpers.ts";

Deno.test("live over HTTP: two sessions share one socket, each gets its updates, the last to end closes it", async () => {
  const rig = await startHttpRig();
  const fake = rig.fake;
  const sessions = await Promise.all(
    ["one", "two"].map(async (name) => {
      const { client, transport } = await connectHttp(
        rig.server.url,
        HTTP_TOKEN,
        { name },
      );
      const updates: string[] = [];
      client.setNotificationHandler(
        ResourceUpdatedNotificationSchema,
        (n: { params: { uri: string } }) => {
          updates.push(n.params.uri);
        },
      );
      return { client, transport, updates };
    }),
  );
  const [one, two] = sessions as [
    (typeof sessions)[0],
    (typeof sessions)[0],
  ];
  try {
    await one.client.subscribeResource({ uri: "plex://sessions" });
    await two.client.subscribeResource({ uri: "plex://sessions" });
    await two.client.subscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the socket to open",
    );
    fake.updateSession("41", { state: "paused" });
    await waitFor(
      () => one.updates.length === 1 && two.updates.length === 1,
      5_000,
      "both sessions' updates",
    );
    assert.deepEqual(one.updates, ["plex://sessions"]);
    assert.deepEqual(two.updates, ["plex://sessions"]);
    assert.equal(fake.socketHandshakes.length, 1, "one socket for both");

    // The first session ends: the other still listens.
    await one.transport.terminateSession();
    await one.client.close();
    await sleep(300);
    assert.equal(fake.notificationSockets.size, 1);
    const scan = await two.client.callTool({
      name: "scan_library",
      arguments: { library: "1", wait: false },
    });
    assert.equal(scan.isError, undefined);
    await waitFor(
      () => two.updates.includes("plex://activities"),
      5_000,
      "the second session's activities update",
    );
    assert.deepEqual(one.updates, ["plex://sessions"]);

    await two.transport.terminateSession();
    await two.client.close();
    await waitFor(
      () => fake.notificationSockets.size === 0,
      5_000,
      "the socket to close with the last session",
    );
  } finally {
    for (const s of sessions) await s.client.close().catch(() => {});
    assert.equal(await rig.close(), 0);
  }
});
