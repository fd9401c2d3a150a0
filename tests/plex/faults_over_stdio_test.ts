/**
 * Faults of the fake Plex run through the real stdio server: a busy Plex
 * (429/503 with Retry-After), a login page or forbidden web server where
 * Plex should be, a Plex that ignores paging, a slow Plex and the time
 * budget of one tool call, and the pool of 16 requests with a queued call
 * the client cancels.
 */
import assert from "node:assert/strict";
import { SLOW_MS } from "../../src/demo/fake_plex/transform_faults.ts";
import { connectStdio, textOf } from "../support/helpers.ts";
import { ONE_SERVER_TOOLS, validArgs } from "../support/tool_args.ts";

const requestsTo = (
  fake: { requests: { method: string; path: string }[] },
  from: number,
  method: string,
  path: string,
) =>
  fake.requests.slice(from).filter((r) =>
    r.method === method && r.path.split("?")[0] === path
  ).length;

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("429 and 503 with Retry-After: 'Plex is busy, retry after N s'; a read waits once for a short one, a write never", async () => {
  const { client, fake, close } = await connectStdio();
  const call = (name: string, args: Record<string, unknown> = {}) =>
    client.callTool({ name, arguments: args });
  try {
    // 429 with Retry-After: 120: reported at once, not waited for.
    fake.fault = "busy";
    let from = fake.requests.length;
    let started = performance.now();
    const long = await call("get_libraries");
    assert.equal(long.isError, true);
    assert.match(
      textOf(long),
      /^Plex is busy \(429\) for GET \/library\/sections: retry after 120 s$/,
    );
    assert.equal(requestsTo(fake, from, "GET", "/library/sections"), 1);
    assert.ok(performance.now() - started < 1_000, "no wait");

    // 503 with Retry-After: 1: a read waits once, then reports.
    fake.fault = "busy-503";
    from = fake.requests.length;
    started = performance.now();
    const short = await call("get_libraries");
    const waited = performance.now() - started;
    assert.equal(short.isError, true);
    assert.match(
      textOf(short),
      /^Plex is busy \(503\) for GET \/library\/sections: retry after 1 s \(2 tries; /,
    );
    assert.equal(requestsTo(fake, from, "GET", "/library/sections"), 2);
    assert.ok(waited >= 1_000, `waited ${waited.toFixed(0)} ms`);

    // ...and succeeds when Plex has recovered by then.
    let first = true;
    fake.faultFilter = () => {
      const busy = first;
      first = false;
      return busy;
    };
    from = fake.requests.length;
    const recovered = await call("get_libraries");
    assert.equal(recovered.isError, undefined, textOf(recovered));
    assert.equal(requestsTo(fake, from, "GET", "/library/sections"), 2);

    // A write is never retried, however short the Retry-After.
    fake.faultFilter = (method) => method !== "GET";
    from = fake.requests.length;
    const movie = validArgs(fake.library).get_media_details!.ratingKey;
    const write = await call("rate_media", { ratingKey: movie, rating: 4 });
    assert.equal(write.isError, true);
    assert.match(
      textOf(write),
      /^Plex is busy \(503\) for PUT \/:\/rate: retry after 1 s$/,
    );
    assert.equal(requestsTo(fake, from, "PUT", "/:/rate"), 1);
    for (const r of [long, short, write]) {
      assert.doesNotMatch(textOf(r), /unexpected answer/);
    }
  } finally {
    await close();
  }
});

Deno.test("a login page (401/405) or a forbidden web server (403) where Plex should be: every tool says it is not Plex", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const args = validArgs(fake.library);
    for (
      const [fault, status] of [["login-page", 401], [
        "forbidden-page",
        403,
      ]] as const
    ) {
      fake.fault = fault;
      for (const tool of ONE_SERVER_TOOLS) {
        const r = await client.callTool({
          name: tool.name,
          arguments: args[tool.name],
        });
        assert.equal(r.isError, true, `${tool.name} × ${fault}`);
        assert.match(
          textOf(r),
          new RegExp(
            `does not look like a Plex Media Server: GET /identity answered ${status} \\(\\S+ \\S+ answered ${status}\\)\\. Set PLEX_SERVER_URL`,
          ),
          `${tool.name} × ${fault}`,
        );
        assert.doesNotMatch(textOf(r), /rejected the token|not allowed/);
      }
    }
    // A real Plex refusing the token keeps "check PLEX_TOKEN".
    fake.fault = "401";
    const r = await client.callTool({ name: "get_libraries", arguments: {} });
    assert.match(
      textOf(r),
      /Plex rejected the token \(401\).*check PLEX_TOKEN/,
    );
  } finally {
    await close();
  }
});

Deno.test("a Plex that ignores paging (same page, no totalSize): a walk stops after 2 requests with a clear error", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // A playlist of 150 entries whose last is the one to remove.
    const [key, playlist] = [...fake.library.playlists.entries()][0]!;
    const filler = playlist.entries[0]!.ratingKey;
    const wanted = [...fake.library.items.values()].find((i) =>
      i.raw.type === "movie" &&
      !playlist.entries.some((e) =>
        e.ratingKey === i.ratingKey
      )
    )!.ratingKey;
    playlist.entries = [
      ...Array.from({ length: 149 }, () => filler),
      wanted,
    ].map((ratingKey) => ({
      id: fake.library.nextPlaylistItemId++,
      ratingKey,
    }));
    const args = {
      playlist: key,
      ratingKey: wanted,
      confirm: true,
    };
    fake.fault = "ignore-paging";
    const from = fake.requests.length;
    const r = await client.callTool({
      name: "remove_from_playlist",
      arguments: args,
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      new RegExp(
        `^Plex ignored paging for GET /playlists/${key}/items: it sent the same page again at offset 100; stopped after 2 requests$`,
      ),
    );
    assert.equal(requestsTo(fake, from, "GET", `/playlists/${key}/items`), 2);
    assert.equal(playlist.entries.length, 150, "nothing removed");
    // With paging honoured, the same walk finds the entry on page 2.
    fake.fault = undefined;
    const ok = await client.callTool({
      name: "remove_from_playlist",
      arguments: args,
    });
    assert.equal(ok.isError, undefined, textOf(ok));
    assert.equal(playlist.entries.length, 149);
  } finally {
    await close();
  }
});

Deno.test("one tool call takes at most PLEX_TIMEOUT in all, however many requests it makes; scan_library's wait is on top", async () => {
  const { client, fake, close } = await connectStdio({ PLEX_TIMEOUT: "0.5" });
  try {
    const args = validArgs(fake.library);
    // Every answer 300 ms late: each request fits in 0.5 s, but not two.
    assert.equal(SLOW_MS, 300);
    fake.fault = "slow";
    for (
      const [name, a] of [
        ["play_media", args.play_media!],
        // Named library: its lookup, then the page (the account names are
        // asked for alongside), two requests one after the other.
        ["get_watch_history", { ...args.get_watch_history!, library: "1" }],
        ["scan_library", { library: "1", wait: false }],
      ] as const
    ) {
      const started = performance.now();
      const r = await client.callTool({ name, arguments: a });
      const took = performance.now() - started;
      assert.equal(r.isError, true, `${name}: ${textOf(r)}`);
      // Cut off mid-request, or (scan_library, whose item count may fail)
      // with the budget spent before the next request, which is not sent.
      assert.match(
        textOf(r),
        /did not answer within 0\.5 s( \(\S+ \S+; this call's \d+ requests share one budget of 0\.5 s, and this one started 0\.\d s into it and was cut off after 0\.\d s\)|: this call's \d+ earlier requests used up its time budget, so \S+ \S+ was not sent)/,
        name,
      );
      assert.ok(took < 500 + 400, `${name} took ${took.toFixed(0)} ms`);
    }
    // scan_library waiting for the scan: its timeout_seconds come on top.
    const started = performance.now();
    const scan = await client.callTool({
      name: "scan_library",
      arguments: { library: "1", timeout_seconds: 5 },
    });
    const took = performance.now() - started;
    assert.equal(scan.isError, undefined, textOf(scan));
    assert.ok(took > 500, `the scan wait took ${took.toFixed(0)} ms`);
    assert.ok(took < 5_500 + 400, `the scan wait took ${took.toFixed(0)} ms`);
  } finally {
    await close();
  }
});

Deno.test("at most 16 requests reach Plex at once; a queued call the client cancels never reaches it; completion is cancellable", async () => {
  const { client, fake, close } = await connectStdio();
  const controllers: AbortController[] = [];
  const call = (name: string, args: Record<string, unknown>) => {
    const c = new AbortController();
    controllers.push(c);
    const done = client.callTool({ name, arguments: args }, undefined, {
      signal: c.signal,
    }).catch((e: Error) => e);
    return { c, done };
  };
  try {
    fake.fault = "stall";
    const from = fake.requests.length;
    const filling = Array.from(
      { length: 16 },
      () => call("get_libraries", {}),
    );
    await until(
      () => requestsTo(fake, from, "GET", "/library/sections") === 16,
      5_000,
      "16 requests in flight",
    );
    const movies = [...fake.library.items.values()].filter((i) =>
      i.raw.type === "movie"
    );
    const queuedA = call("get_media_details", {
      ratingKey: movies[0]!.ratingKey,
    });
    const queuedB = call("get_media_details", {
      ratingKey: movies[1]!.ratingKey,
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fake.requests.length - from, 16, "the next two wait");
    // The client cancels a queued call, then one in flight.
    queuedA.c.abort();
    await queuedA.done;
    filling[0]!.c.abort();
    await until(
      () =>
        requestsTo(
          fake,
          from,
          "GET",
          `/library/metadata/${movies[1]!.ratingKey}`,
        ) === 1,
      5_000,
      "the next queued call to get the freed slot",
    );
    assert.equal(
      requestsTo(
        fake,
        from,
        "GET",
        `/library/metadata/${movies[0]!.ratingKey}`,
      ),
      0,
      "the cancelled call never reached Plex",
    );
    assert.equal(fake.requests.length - from, 17);
    for (const c of controllers) c.abort();
    await Promise.all([...filling, queuedB].map((f) => f.done));

    // A completion waiting on a stalled Plex stops when it is cancelled.
    await until(() => fake.aborted >= 17, 5_000, "the stalled calls aborted");
    const before = fake.aborted;
    const c = new AbortController();
    const completion = client.complete({
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "" },
    }, { signal: c.signal }).catch((e: Error) => e);
    await until(
      () => requestsTo(fake, from, "GET", "/library/sections") === 17,
      5_000,
      "the completion's request",
    );
    c.abort();
    assert.ok((await completion) instanceof Error);
    await until(
      () => fake.aborted > before,
      3_000,
      "its Plex request to abort",
    );
  } finally {
    for (const c of controllers) c.abort();
    fake.fault = undefined;
    await close();
  }
});
