import assert from "node:assert/strict";
import { FakePlex } from "../demo/fake_plex/mod.ts";
import { PlexClient } from "./client.ts";

function setup(ttlMs = 5000, timeoutMs = 30_000) {
  const fake = new FakePlex();
  let now = 0;
  const plex = new PlexClient({
    baseUrl: "http://cache.test:32400",
    token: "demo-token",
    fetch: fake.fetch,
    cacheTtlMs: ttlMs,
    timeoutMs,
    now: () => now,
  });
  const gets = (path: string) =>
    fake.requests.filter((r) =>
      r.method === "GET" && r.path.split("?")[0] === path
    ).length;
  return { fake, plex, gets, advance: (ms: number) => (now += ms) };
}

Deno.test("cache: identical reads within the TTL cost one request; after it, a new one", async () => {
  const { plex, gets, advance } = setup();
  await plex.sections();
  await plex.sections();
  assert.equal(gets("/library/sections"), 1);
  advance(4999);
  await plex.sections();
  assert.equal(gets("/library/sections"), 1);
  advance(2);
  await plex.sections();
  assert.equal(gets("/library/sections"), 2);
  assert.deepEqual(plex.cacheStats(), {
    hits: 2,
    shared: 0,
    misses: 2,
    invalidations: 0,
  });
});

Deno.test("cache: different queries are different entries", async () => {
  const { plex, gets } = setup();
  await plex.sectionItemCount("1");
  await plex.sectionItemCount("2");
  await plex.sectionItemCount("1");
  assert.equal(
    gets("/library/sections/1/all") + gets("/library/sections/2/all"),
    2,
  );
});

Deno.test("cache: any write clears it, so the next read is fresh", async () => {
  const { fake, plex, gets } = setup();
  const rk =
    [...fake.library.items.values()].find((i) => i.raw.title === "Detour")!
      .ratingKey;
  const read = () =>
    plex.getJson(`/library/metadata/${rk}`, {
      safeParse: (d: unknown) => ({ success: true as const, data: d }),
    });
  await read();
  await plex.send("/:/scrobble", {
    method: "PUT",
    query: { key: rk, identifier: "com.plexapp.plugins.library" },
  });
  const after = await read() as {
    MediaContainer: { Metadata: { viewCount?: number }[] };
  };
  assert.equal(
    after.MediaContainer.Metadata[0]!.viewCount,
    1,
    "fresh after the write",
  );
  assert.equal(gets(`/library/metadata/${rk}`), 2);
  assert.equal(plex.cacheStats()!.invalidations, 1);
});

Deno.test("cache: a write that fails still clears it (it may have half-happened)", async () => {
  const { fake, plex, gets } = setup();
  await plex.sections();
  fake.fault = "500";
  fake.faultFilter = (method) => method !== "GET";
  await assert.rejects(plex.send("/playlists", { method: "POST" }));
  await plex.sections();
  assert.equal(gets("/library/sections"), 2);
});

Deno.test("cache: identical reads in flight share one request; errors are not cached", async () => {
  const { fake, plex, gets } = setup();
  await Promise.all(Array.from({ length: 10 }, () => plex.sections()));
  assert.equal(gets("/library/sections"), 1);
  assert.equal(plex.cacheStats()!.shared, 9);
  const { fake: f2, plex: p2, gets: g2 } = setup();
  f2.fault = "404";
  await assert.rejects(p2.sections());
  f2.fault = undefined;
  assert.equal((await p2.sections()).length, 6);
  assert.equal(g2("/library/sections"), 2);
  assert.ok(fake);
});

Deno.test("cache: an answer that cannot be parsed is not served again", async () => {
  const { fake, plex, gets } = setup();
  fake.fault = "malformed";
  await assert.rejects(plex.sections(), /not valid JSON/);
  fake.fault = undefined;
  assert.deepEqual((await plex.sections()).length > 0, true);
  assert.equal(gets("/library/sections"), 2);
});

Deno.test("cache: a caller that aborts stops waiting without failing the others", async () => {
  const { fake, plex, gets } = setup(5000, 200);
  fake.fault = "stall";
  const controller = new AbortController();
  const first = plex.sections({ signal: controller.signal });
  const second = plex.sections();
  controller.abort(new DOMException("gone", "AbortError"));
  await assert.rejects(first, /gone/);
  // The shared request goes on for the second caller, until its own timeout.
  await assert.rejects(second, /did not answer within 0\.2 s/);
  assert.equal(gets("/library/sections"), 1);
});

Deno.test("cache: cache false and requests with headers bypass it", async () => {
  const { plex, gets } = setup();
  await plex.sections({ cache: false });
  await plex.sections({ cache: false });
  assert.equal(gets("/library/sections"), 2);
  // Headers can change the answer (a player target, paging as headers), so
  // a request that carries its own is never served from the cache.
  const headers = { "X-Plex-Container-Start": "0" };
  await plex.sections({ headers });
  await plex.sections({ headers });
  assert.equal(gets("/library/sections"), 4);
  await plex.sections();
  await plex.sections();
  assert.equal(gets("/library/sections"), 5, "plain reads are still cached");
});

Deno.test("cache: off by default in the client", async () => {
  const fake = new FakePlex();
  const plex = new PlexClient({
    baseUrl: "http://x:32400",
    token: "demo-token",
    fetch: fake.fetch,
  });
  await plex.sections();
  await plex.sections();
  assert.equal(fake.requests.length, 2);
  assert.equal(plex.cacheStats(), undefined);
});
