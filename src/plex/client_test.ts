/**
 * PlexClient's own calls: counts and paging walks, the answer schemas,
 * the client identifier and redaction, and naming a server that is not
 * Plex (the /identity probe). The transport under it: src/transport/.
 */
import assert from "node:assert/strict";
import {
  BASE,
  client,
  json,
  plexIdentity,
  TOKEN,
} from "../../tests/support/plex_client.ts";
import { PlexClient } from "./client.ts";
import {
  NotPlexServerError,
  PlexNotFoundError,
  PlexResponseError,
} from "../transport/errors.ts";
import { itemsContainerSchema, sectionsSchema } from "./schemas.ts";

Deno.test("PlexClient.count() asks for a zero-size page and reads totalSize", async () => {
  const { plex, seen } = client(() =>
    json({ MediaContainer: { size: 0, totalSize: 100000, offset: 0 } })
  );
  assert.equal(await plex.sectionItemCount("7"), 100000);
  const url = new URL(seen[0]!.url);
  assert.equal(url.pathname, "/library/sections/7/all");
  assert.equal(url.searchParams.get("X-Plex-Container-Size"), "0");
  assert.equal(url.searchParams.get("X-Plex-Container-Start"), "0");
});

Deno.test("PlexClient reads a list's total from X-Plex-Container-Total-Size when the body has none", async () => {
  const all = Array.from(
    { length: 7 },
    (_, i) => ({ ratingKey: String(i), title: `T${i}`, type: "movie" }),
  );
  const { plex, seen } = client((req) => {
    const u = new URL(req.url);
    const start = Number(u.searchParams.get("X-Plex-Container-Start"));
    const size = Number(u.searchParams.get("X-Plex-Container-Size"));
    const page = all.slice(start, start + size);
    return new Response(
      JSON.stringify({ MediaContainer: { size: page.length, Metadata: page } }),
      {
        headers: {
          "content-type": "application/json",
          "X-Plex-Container-Total-Size": String(all.length),
        },
      },
    );
  });
  assert.equal(await plex.sectionItemCount("1"), 7);
  const page = await plex.listItems("/library/sections/1/all", {
    offset: 0,
    limit: 3,
  });
  assert.equal(page.total, 7);
  // A full last page ends the walk on the total: no empty page asked for.
  const keys: string[] = [];
  const before = seen.length;
  for await (
    const item of plex.iterate("/library/sections/1/all", { limit: 7 })
  ) keys.push(item.ratingKey);
  assert.equal(keys.length, 7);
  assert.equal(seen.length - before, 1);
});

Deno.test("PlexClient.iterate() walks every page exactly once", async () => {
  const all = Array.from(
    { length: 23 },
    (_, i) => ({ ratingKey: String(i), title: `T${i}`, type: "movie" }),
  );
  const { plex, seen } = client((req) => {
    const u = new URL(req.url);
    const start = Number(u.searchParams.get("X-Plex-Container-Start"));
    const size = Number(u.searchParams.get("X-Plex-Container-Size"));
    const page = all.slice(start, start + size);
    return json({
      MediaContainer: {
        size: page.length,
        totalSize: all.length,
        offset: start,
        Metadata: page,
      },
    });
  });
  const keys: string[] = [];
  for await (
    const item of plex.iterate("/library/sections/1/all", { limit: 10 })
  ) keys.push(item.ratingKey);
  assert.deepEqual(keys, all.map((a) => a.ratingKey));
  assert.equal(seen.length, 3);
});

Deno.test("schemas tolerate Plex quirks: strings for numbers, 0/1 booleans, omitted arrays, lone objects", () => {
  const sections = sectionsSchema.parse({
    MediaContainer: {
      size: 2,
      Directory: [
        {
          key: 7,
          type: "movie",
          title: "Films",
          hidden: 0,
          refreshing: "1",
          createdAt: "1598476504",
          Location: { id: 1, path: "/films" },
        },
        { key: "8", type: "show", title: "TV", hidden: true },
      ],
    },
  });
  assert.equal(sections[0]!.key, "7");
  assert.equal(sections[0]!.hidden, false);
  assert.equal(sections[0]!.refreshing, true);
  assert.equal(sections[0]!.createdAt, 1598476504);
  assert.deepEqual(sections[0]!.locations, ["/films"]);
  assert.deepEqual(sections[1]!.locations, []);

  const items = itemsContainerSchema.parse({
    MediaContainer: {
      size: 1,
      Metadata: [{
        ratingKey: "1",
        title: "X",
        type: "episode",
        librarySectionID: 3,
        grandparentRatingKey: 22,
        score: "0.92000",
        viewCount: "2",
        hasPremiumPrimaryExtra: "1",
        Media: [{
          id: "130355",
          Part: [{
            id: "5",
            Stream: [{ streamType: 2, codec: "flac", selected: true }],
          }],
        }],
        year: "not a year",
      }],
    },
  });
  const item = items.Metadata[0]!;
  assert.equal(item.librarySectionID, "3");
  assert.equal(item.grandparentRatingKey, "22");
  assert.equal(item.score, 0.92);
  assert.equal(item.viewCount, 2);
  assert.equal(
    item.year,
    undefined,
    "a bad optional value is dropped, not fatal",
  );
  assert.equal(item.media[0]!.parts[0]!.streams[0]!.kind, "audio");
  assert.deepEqual(item.genres, []);

  const empty = itemsContainerSchema.parse({ MediaContainer: { size: 0 } });
  assert.deepEqual(empty.Metadata, []);
});

Deno.test("PlexClient.iterate() stops when Plex ignores paging", async () => {
  const page = Array.from(
    { length: 10 },
    (_, i) => ({ ratingKey: String(i), title: `T${i}`, type: "movie" }),
  );
  // Ignores the container params: the same ten items, no totalSize.
  const { plex, seen } = client(() =>
    json({ MediaContainer: { size: 10, Metadata: page } })
  );
  const keys: string[] = [];
  const error = await (async () => {
    for await (
      const item of plex.iterate("/playlists/1/items", { limit: 10 })
    ) keys.push(item.ratingKey);
  })().catch((e) => e);
  assert.ok(error instanceof PlexResponseError);
  assert.match(
    error.message,
    /Plex ignored paging for GET \/playlists\/1\/items/,
  );
  assert.equal(seen.length, 2);
  assert.equal(keys.length, 10);

  let offset = 0;
  const endless = client(() => {
    const items = [{ ratingKey: String(offset++), title: "x", type: "movie" }];
    return json({ MediaContainer: { size: 1, Metadata: items } });
  }, { maxPages: 5 });
  const stopped = await (async () => {
    for await (const _ of endless.plex.iterate("/x", { limit: 1 })) {
      /* walk */
    }
  })().catch((e) => e);
  assert.match(stopped.message, /Stopped walking GET \/x after 5 pages/);
  assert.equal(endless.seen.length, 5);
});

Deno.test("PlexClient: a web server that is not Plex is named as such, a real 404 is not", async () => {
  // A generic web server: 404 everywhere, /identity included.
  const web = client(() =>
    new Response("<html>Not Found</html>", { status: 404 })
  );
  const e1 = await web.plex.sections().catch((e) => e);
  assert.ok(e1 instanceof NotPlexServerError, String(e1));
  assert.match(
    e1.message,
    /does not look like a Plex Media Server: GET \/identity answered 404/,
  );
  // An HTML home page at every path.
  const page = client(() => new Response("<!doctype html><p>hi</p>"));
  const e2 = await page.plex.serverInfo().catch((e) => e);
  assert.ok(e2 instanceof NotPlexServerError);
  // A JSON API that is not Plex.
  const api = client(() => json({ status: "ok" }));
  const e3 = await api.plex.sections().catch((e) => e);
  assert.ok(e3 instanceof NotPlexServerError);
  assert.match(e3.message, /JSON without a machine identifier/);
  // The probe sends no token.
  assert.equal(
    api.seen.find((r) => new URL(r.url).pathname === "/identity")?.headers
      .get("X-Plex-Token"),
    null,
  );
  // Real Plex, unknown item: still "check the id".
  const real = client(plexIdentity(() => new Response("", { status: 404 })));
  const e4 = await real.plex.getJson("/library/metadata/9", sectionsSchema)
    .catch((e) => e);
  assert.ok(e4 instanceof PlexNotFoundError);
  // A router's or NAS's login page: 401, 403 or 405 at every path,
  // /identity included, is not "check the token".
  for (const status of [401, 403, 405]) {
    const login = client(() =>
      new Response("<html><form>Sign in</form></html>", { status })
    );
    const e = await login.plex.sections().catch((e) => e);
    assert.ok(e instanceof NotPlexServerError, `${status}: ${e}`);
    assert.match(
      e.message,
      new RegExp(
        `does not look like a Plex Media Server: GET /identity answered ${status}`,
      ),
    );
  }
  // Real Plex refusing the token or the request keeps its own message.
  for (
    const [status, message] of [[401, /rejected the token/], [
      403,
      /not allowed/,
    ]] as const
  ) {
    const plex = client(plexIdentity(() => new Response("", { status })));
    const e = await plex.plex.sections().catch((e) => e);
    assert.ok(!(e instanceof NotPlexServerError), String(e));
    assert.match(e.message, message);
  }
});

Deno.test("PlexClient derives a stable client identifier that hides the token", async () => {
  const id = (token: string, base = BASE) =>
    new PlexClient({ baseUrl: base, token }).clientIdentifier();
  const a = await id(TOKEN);
  assert.match(a, /^plexmcp-[0-9a-f]{24}$/);
  assert.equal(await id(TOKEN), a);
  assert.notEqual(await id("another-token-xyz"), a);
  assert.notEqual(await id(TOKEN, "http://other:32400"), a);
  assert.ok(!a.includes(TOKEN));
  const { plex, seen } = client(
    () => json({ MediaContainer: { Directory: [] } }),
    { clientIdentifier: undefined },
  );
  await plex.sections();
  assert.equal(seen[0]!.headers.get("X-Plex-Client-Identifier"), a);
  const fixed = new PlexClient({
    baseUrl: BASE,
    token: TOKEN,
    clientIdentifier: "mine",
  });
  assert.equal(await fixed.clientIdentifier(), "mine");
});

Deno.test("PlexClient.addSecret() adds a secret that redact() removes", () => {
  const plex = new PlexClient({ baseUrl: BASE, token: TOKEN });
  plex.addSecret("transient-abc123");
  assert.equal(
    plex.redact(`a ${TOKEN} b transient-abc123`),
    "a [REDACTED] b [REDACTED]",
  );
});

Deno.test("PlexClient's /identity probe waits for a pool slot within the call's budget", async () => {
  const { plex, seen } = client((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/stall") {
      return new Promise<Response>((_resolve, reject) =>
        req.signal.addEventListener("abort", () => reject(req.signal.reason))
      );
    }
    // Not Plex: 404 everywhere, /identity included.
    return new Response("<html>Not Found</html>", { status: 404 });
  }, { maxConcurrent: 1, timeoutMs: 5_000 });
  const call = new AbortController();
  plex.shareBudget(call.signal, 300);
  const other = new AbortController();
  const started = performance.now();
  const failing = plex.send("/library/metadata/1", { signal: call.signal })
    .catch((e) => e);
  // As soon as the 404 frees the only slot, a stalled request takes it.
  const stalled = plex.send("/stall", { signal: other.signal }).catch((e) => e);
  const error = await failing;
  const took = performance.now() - started;
  // The probe never got a slot before the call's budget ran out, so the
  // error is the 404 itself, on time, and /identity was never asked.
  assert.ok(error instanceof PlexNotFoundError, String(error));
  assert.ok(took < 600, `took ${took.toFixed(0)} ms`);
  assert.equal(
    seen.filter((r) => new URL(r.url).pathname === "/identity").length,
    0,
  );
  other.abort();
  await stalled;
  // With a free slot, the same failure is explained.
  const again = await plex.send("/library/metadata/1").catch((e) => e);
  assert.ok(again instanceof NotPlexServerError, String(again));
});
