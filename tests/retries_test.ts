/** Retries, counted at the fake: reads retry with a bound, writes never. */
import assert from "node:assert/strict";
import { FakePlex } from "../src/demo/fake_plex.ts";
import { PlexClient } from "../src/plex/client.ts";

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
