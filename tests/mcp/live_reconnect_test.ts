/**
 * The notification socket's failures over stdio: a dropped socket is
 * reconnected (and every subscribed resource updated, since changes made
 * meanwhile were not seen), refusals are retried after growing delays, and
 * the fake refuses a handshake without the token, as Plex does.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { serveFake } from "../../src/demo/serve.ts";
import { TEST_TOKEN, textOf } from "../support/helpers.ts";
import { liveServer, sleep, waitFor } from "../support/live_helpers.ts";

/** Opens a websocket to `url` with `headers`; resolves how it went. */
function handshake(
  url: string,
  headers: Record<string, string>,
): Promise<{ opened: boolean; error?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    let error: string | undefined;
    ws.onopen = () => {
      ws.close();
      resolve({ opened: true });
    };
    ws.onerror = (e) => {
      error = (e as ErrorEvent).message;
    };
    ws.onclose = () => resolve({ opened: false, error });
  });
}

Deno.test("live: the fake refuses a handshake without the owner's token (401), as Plex does", async () => {
  const fake = new FakePlex({ token: TEST_TOKEN });
  const served = serveFake(fake);
  try {
    const url = `ws://${served.host}/:/websockets/notifications`;
    const none = await handshake(url, {});
    assert.equal(none.opened, false);
    assert.match(none.error ?? "", /401/);
    const wrong = await handshake(url, { "X-Plex-Token": "not-the-token" });
    assert.match(wrong.error ?? "", /401/);
    const singular = await handshake(
      `ws://${served.host}/:/websocket/notifications`,
      { "X-Plex-Token": TEST_TOKEN },
    );
    assert.match(singular.error ?? "", /404/);
    const ok = await handshake(url, { "X-Plex-Token": TEST_TOKEN });
    assert.equal(ok.opened, true);
    assert.deepEqual(fake.socketHandshakes.map((h) => h.status), [
      401,
      401,
      404,
      101,
    ]);
  } finally {
    await served.close();
  }
});

Deno.test("live: a dropped socket is reconnected; the subscribed resources are updated, then changes flow again", async () => {
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
    const dropped = performance.now();
    fake.dropSockets();
    await waitFor(
      () => fake.notificationSockets.size === 1,
      10_000,
      "the server to reconnect",
    );
    const took = performance.now() - dropped;
    assert.ok(
      took >= 800,
      `reconnected after ${took.toFixed(0)} ms, not at once`,
    );
    assert.equal(fake.socketHandshakes.length, 2);
    // Whatever changed while it was down, each resource is read again.
    await waitFor(
      () =>
        s.updatesFor("plex://sessions").length === 1 &&
        s.updatesFor("plex://activities").length === 1,
      5_000,
      "one update per subscribed resource after the reconnection",
    );
    await sleep(1_100);
    fake.updateSession("42", { state: "playing" });
    await waitFor(
      () => s.updatesFor("plex://sessions").length === 2,
      5_000,
      "the update for a change after the reconnection",
    );
    assert.equal(s.updatesFor("plex://activities").length, 1);
    assert.match(s.stderr(), /Listening to ws:\/\/\S+ again/);
  } finally {
    await s.close();
  }
});

Deno.test("live: refused handshakes are retried after 1, 2, 4 s, with a clear warning; the server keeps serving", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    // Plex answers 503 while it starts up (the fake's fault applies to the
    // handshake as to any request).
    fake.fault = "503";
    fake.faultFilter = (_m, path) => path.startsWith("/:/websockets");
    await s.client.subscribeResource({ uri: "plex://sessions" });
    await waitFor(
      () => fake.socketHandshakes.length >= 3,
      15_000,
      "three attempts",
    );
    const r = await s.client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    fake.fault = undefined;
    await waitFor(
      () => fake.notificationSockets.size === 1,
      15_000,
      "the socket to open once Plex accepts it",
    );
    const statuses = fake.socketHandshakes.map((h) => h.status);
    assert.deepEqual(statuses.slice(0, 3), [503, 503, 503]);
    assert.equal(statuses.at(-1), 101);
    assert.match(
      s.stderr(),
      /Plex notification socket ws:\/\/\S+: .*503.*; retrying in 1 s/,
    );
    assert.match(s.stderr(), /retrying in 2 s/);
    assert.match(s.stderr(), /retrying in 4 s/);
    // The socket being new, nothing was missed: no update yet.
    assert.equal(s.updates.length, 0);
    fake.updateSession("41", { state: "paused" });
    await waitFor(
      () => s.updates.length === 1,
      5_000,
      "the first update",
    );
  } finally {
    await s.close();
  }
});

Deno.test("live: a token Plex refuses (401) is named in the warning, and never shown", async () => {
  const s = await liveServer();
  const fake = s.fakes[0]!;
  try {
    // Reads work, but the socket is refused: a proxy that strips the
    // header, say (the fake's 401 fault on the handshake only).
    fake.fault = "401";
    fake.faultFilter = (_m, path) => path.startsWith("/:/websockets");
    await s.client.subscribeResource({ uri: "plex://activities" });
    await waitFor(
      () => /Plex refused the token/.test(s.stderr()),
      10_000,
      "the warning about the token",
    );
    assert.equal(fake.socketHandshakes[0]!.status, 401);
    assert.ok(fake.socketHandshakes.every((h) => !h.tokenInUrl));
    assert.ok(!s.stderr().includes(TEST_TOKEN));
    const read = await s.client.readResource({ uri: "plex://activities" });
    assert.match((read.contents[0] as { text: string }).text, /"total": 0/);
  } finally {
    await s.close();
  }
});
