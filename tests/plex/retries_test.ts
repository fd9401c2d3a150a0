/** Retries, counted at the fake: reads retry with a bound, writes never. */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { PlexConnectionError } from "../../src/transport/errors.ts";

function client(fake: FakePlex, sleeps: number[] = []) {
  return new PlexClient({
    baseUrl: "http://retry.test:32400",
    token: "demo-token",
    fetch: fake.fetch,
    retries: 2,
    retryDelayMs: 100,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
}

const count = (fake: FakePlex, method: string, path: string) =>
  fake.requests.filter((r) =>
    r.method === method && r.path.split("?")[0] === path
  ).length;

Deno.test("reads retry 502/503 and refused connections twice, with growing jittered backoff", async () => {
  for (const fault of ["502", "503", "refuse"] as const) {
    const fake = new FakePlex();
    const sleeps: number[] = [];
    fake.fault = fault;
    await assert.rejects(client(fake, sleeps).sections());
    assert.equal(count(fake, "GET", "/library/sections"), 3, fault);
    assert.equal(sleeps.length, 2);
    assert.ok(
      sleeps[0]! >= 100 && sleeps[0]! < 200,
      `first backoff ${sleeps[0]}`,
    );
    assert.ok(
      sleeps[1]! >= 200 && sleeps[1]! < 400,
      `second backoff ${sleeps[1]}`,
    );
  }
});

Deno.test("a read recovers when the fault clears between attempts", async () => {
  const fake = new FakePlex();
  fake.fault = "503";
  const plex = new PlexClient({
    baseUrl: "http://retry.test:32400",
    token: "demo-token",
    fetch: fake.fetch,
    sleep: () => {
      fake.fault = undefined;
      return Promise.resolve();
    },
  });
  assert.equal((await plex.sections()).length, 6);
  assert.equal(count(fake, "GET", "/library/sections"), 2);
});

Deno.test("500, 401, 404 and timeouts are not retried", async () => {
  for (const fault of ["500", "401", "404", "malformed"] as const) {
    const fake = new FakePlex();
    fake.fault = fault;
    await assert.rejects(client(fake).sections());
    assert.equal(count(fake, "GET", "/library/sections"), 1, fault);
  }
  const fake = new FakePlex();
  fake.fault = "stall";
  const plex = new PlexClient({
    baseUrl: "http://retry.test:32400",
    token: "demo-token",
    fetch: fake.fetch,
    timeoutMs: 50,
  });
  await assert.rejects(plex.sections(), /did not answer within/);
  assert.equal(count(fake, "GET", "/library/sections"), 1);
});

Deno.test("writes never retry, whatever the failure", async () => {
  for (const fault of ["502", "503", "refuse"] as const) {
    const fake = new FakePlex();
    fake.fault = fault;
    fake.faultFilter = (method) => method !== "GET";
    const plex = client(fake);
    await assert.rejects(
      plex.send("/playlists", { method: "POST", query: { title: "x" } }),
    );
    await assert.rejects(
      plex.send("/:/scrobble", { method: "PUT", query: { key: "1000" } }),
    );
    await assert.rejects(
      plex.send("/playlists/1/items/2", { method: "DELETE" }),
    );
    assert.equal(count(fake, "POST", "/playlists"), 1, fault);
    assert.equal(count(fake, "PUT", "/:/scrobble"), 1, fault);
    assert.equal(count(fake, "DELETE", "/playlists/1/items/2"), 1, fault);
  }
});

Deno.test('a connection the OS gives up on ("Connection timed out", not our budget) is one try, named as such, at once', async () => {
  // Deno's wording when the TCP connect times out in the OS (ETIMEDOUT).
  const osTimeout = () =>
    new TypeError(
      "error sending request for url (http://retry.test:32400/library/sections): client error (Connect): tcp connect error: Connection timed out (os error 110)",
    );
  const reset = () =>
    new TypeError(
      "error sending request for url (http://retry.test:32400/library/sections): client error (SendRequest): connection error: Connection reset by peer (os error 104)",
    );
  for (const [make, tries] of [[osTimeout, 1], [reset, 3]] as const) {
    let calls = 0;
    const plex = new PlexClient({
      baseUrl: "http://retry.test:32400",
      token: "demo-token",
      fetch: () => {
        calls++;
        return Promise.reject(make());
      },
      retries: 2,
      timeoutMs: 30_000,
      sleep: () => Promise.resolve(),
    });
    const started = performance.now();
    const error = await plex.sections().catch((e) => e);
    assert.ok(error instanceof PlexConnectionError, String(error));
    assert.equal(calls, tries, make === osTimeout ? "OS timeout" : "reset");
    assert.ok(performance.now() - started < 5_000, "no wait for the budget");
    if (make === osTimeout) {
      assert.equal(error.failure, "timeout");
      // Not our budget: it neither claims the 30 s ran out nor says to
      // raise PLEX_TIMEOUT.
      assert.match(
        error.message,
        /^Cannot reach Plex at http:\/\/retry\.test:32400: the connection timed out \(GET \/library\/sections\)/,
      );
      assert.doesNotMatch(error.message, /within 30 s|PLEX_TIMEOUT/);
    } else {
      assert.equal(error.failure, "network");
    }
  }
});
