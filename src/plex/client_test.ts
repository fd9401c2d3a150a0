import assert from "node:assert/strict";
import { PlexClient } from "./client.ts";
import {
  NotPlexServerError,
  PlexApiError,
  PlexAuthError,
  PlexBusyError,
  PlexConnectionError,
  PlexNotFoundError,
  PlexRedirectError,
  PlexRequestError,
  PlexResponseError,
} from "../transport/errors.ts";
import { itemsContainerSchema, sectionsSchema } from "./schemas.ts";

const TOKEN = "unit-SECRET-token-123456";
const BASE = "http://plex.test:32400";

type Handler = (req: Request) => Response | Promise<Response>;

function client(
  handler: Handler,
  extra: Partial<ConstructorParameters<typeof PlexClient>[0]> = {},
) {
  const seen: Request[] = [];
  const plex = new PlexClient({
    baseUrl: BASE,
    token: TOKEN,
    retryDelayMs: 1,
    sleep: () => Promise.resolve(),
    fetch: (input, init) => {
      const req = new Request(input, init);
      seen.push(req);
      return Promise.resolve(handler(req));
    },
    ...extra,
  });
  return { plex, seen };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const HTML_401 =
  "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";

function assertNoToken(error: unknown): void {
  const e = error as Error;
  assert.ok(!e.message.includes(TOKEN), `token leaked: ${e.message}`);
  assert.ok(!String(e.stack).includes(TOKEN));
}

Deno.test("PlexClient sends the token as a header, JSON accept and client identification", async () => {
  const { plex, seen } = client(() =>
    json({ MediaContainer: { machineIdentifier: "abc", friendlyName: "Den" } })
  );
  const info = await plex.serverInfo();
  assert.equal(info.name, "Den");
  const req = seen[0]!;
  assert.equal(req.headers.get("X-Plex-Token"), TOKEN);
  assert.equal(req.headers.get("Accept"), "application/json");
  assert.ok(req.headers.get("X-Plex-Client-Identifier"));
  assert.ok(req.headers.get("X-Plex-Product"));
  assert.ok(req.headers.get("X-Plex-Version"));
  assert.ok(!req.url.includes(TOKEN), "token never in the URL");
});

/** Answers /identity as Plex does, everything else with `other`. */
function plexIdentity(other: Handler): Handler {
  return (req) =>
    new URL(req.url).pathname === "/identity"
      ? json({ MediaContainer: { size: 0, machineIdentifier: "abc" } })
      : other(req);
}

Deno.test("PlexClient maps 401 with an HTML body to PlexAuthError without parsing it", async () => {
  const { plex } = client(plexIdentity(() =>
    new Response(HTML_401, {
      status: 401,
      headers: { "content-type": "text/html" },
    })
  ));
  const error = await plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexAuthError);
  assert.equal(error.status, 401);
  assert.equal(error.endpoint, "GET /library/sections");
  assert.match(
    error.message,
    /Plex rejected the token \(401\).*check PLEX_TOKEN/,
  );
  assertNoToken(error);
});

Deno.test("PlexClient maps 404 to PlexNotFoundError naming the endpoint", async () => {
  const { plex } = client(
    plexIdentity(() => new Response("<html>404</html>", { status: 404 })),
  );
  const error = await plex.getJson("/library/metadata/99", sectionsSchema)
    .catch((e) => e);
  assert.ok(error instanceof PlexNotFoundError);
  assert.match(error.message, /GET \/library\/metadata\/99 \(404\)/);
});

Deno.test("PlexClient maps other statuses to PlexApiError with status and endpoint", async () => {
  const { plex, seen } = client(() =>
    new Response("<html>oops</html>", { status: 400 })
  );
  const error = await plex.send("/:/rate", { method: "PUT" }).catch((e) => e);
  assert.ok(error instanceof PlexApiError);
  assert.equal(error.status, 400);
  assert.equal(error.endpoint, "PUT /:/rate");
  assert.equal(seen.length, 1, "writes never retry");
});

Deno.test("PlexClient retries idempotent reads on 503 and connection failures, then succeeds", async () => {
  let n = 0;
  const { plex, seen } = client(() => {
    n++;
    if (n === 1) {
      throw new TypeError("fetch failed", {
        cause: new Error(
          "tcp connect error: Connection refused (os error 111)",
        ),
      });
    }
    if (n === 2) return new Response("<html>busy</html>", { status: 503 });
    return json({ MediaContainer: { Directory: [] } });
  });
  assert.deepEqual(await plex.sections(), []);
  assert.equal(seen.length, 3);
});

Deno.test("PlexClient gives up after the retry budget with the last error", async () => {
  const { plex, seen } = client(() => new Response("", { status: 502 }), {
    retries: 1,
  });
  const error = await plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexApiError);
  assert.equal(error.status, 502);
  assert.equal(seen.length, 2);
});

Deno.test("PlexClient never retries a write on connection failure", async () => {
  const { plex, seen } = client(() => {
    throw new TypeError("fetch failed", {
      cause: new Error("Connection refused"),
    });
  });
  const error = await plex.send("/playlists", { method: "POST" }).catch((e) =>
    e
  );
  assert.ok(error instanceof PlexConnectionError);
  assert.equal(error.failure, "refused");
  assert.equal(seen.length, 1);
});

Deno.test("PlexClient classifies DNS, TLS and permission failures with actionable messages", async () => {
  const cases: [unknown, string, RegExp][] = [
    [
      new TypeError("fetch failed", {
        cause: new Error("dns error: failed to lookup address information"),
      }),
      "dns",
      /does not resolve/,
    ],
    [
      new TypeError("fetch failed", {
        cause: new Error("invalid peer certificate: UnknownIssuer"),
      }),
      "tls",
      /TLS handshake failed/,
    ],
    [
      Object.assign(new Error('Requires net access to "plex.test:32400"'), {
        name: "NotCapable",
      }),
      "permission",
      /--allow-net=plex\.test:32400/,
    ],
  ];
  for (const [thrown, failure, message] of cases) {
    const { plex } = client(() => {
      throw thrown;
    });
    const error = await plex.serverInfo().catch((e) => e);
    assert.ok(error instanceof PlexConnectionError);
    assert.equal(error.failure, failure);
    assert.match(error.message, message);
    assertNoToken(error);
  }
});

Deno.test("PlexClient times out a stalled server with a PlexConnectionError", async () => {
  const { plex } = client(
    (req) =>
      new Promise<Response>((_resolve, reject) => {
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
      }),
    { timeoutMs: 50, retries: 0 },
  );
  const error = await plex.serverInfo().catch((e) => e);
  assert.ok(error instanceof PlexConnectionError);
  assert.equal(error.failure, "timeout");
  assert.match(error.message, /did not answer within 0\.05 s/);
});

Deno.test("PlexClient passes the caller's abort through instead of retrying", async () => {
  const controller = new AbortController();
  const { plex, seen } = client((req) =>
    new Promise<Response>((_resolve, reject) => {
      req.signal.addEventListener("abort", () => reject(req.signal.reason));
      controller.abort(new DOMException("stop", "AbortError"));
    })
  );
  const error = await plex.serverInfo({ signal: controller.signal }).catch((
    e,
  ) => e);
  assert.equal((error as DOMException).name, "AbortError");
  assert.equal(seen.length, 1);
});

Deno.test("PlexClient reports XML, malformed and truncated bodies as PlexResponseError", async () => {
  for (
    const [body, message] of [
      [
        '<?xml version="1.0"?><MediaContainer size="0"/>',
        /XML or HTML instead of JSON/,
      ],
      ['{"MediaContainer": {"Directory": [', /not valid JSON/],
      ['{"Something": 1}', /unexpected shape at MediaContainer/],
    ] as const
  ) {
    const { plex } = client(
      plexIdentity(() => new Response(body, { status: 200 })),
    );
    const error = await plex.sections().catch((e) => e);
    assert.ok(error instanceof PlexResponseError, String(error));
    assert.match(error.message, message);
  }
});

Deno.test("PlexClient refuses bodies over the size limit", async () => {
  const { plex } = client(() => new Response("x".repeat(2000)), {
    maxBodyBytes: 1000,
  });
  const error = await plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexResponseError);
  assert.match(error.message, /1000-byte limit|more than 1000 bytes/);
});

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

Deno.test("PlexClient keeps a reverse proxy's path prefix in every request", async () => {
  const { plex, seen } = client(
    () => json({ MediaContainer: { totalSize: 3 } }),
    { baseUrl: "https://media.example.org/plex" },
  );
  assert.equal(await plex.count("/library/sections/1/all"), 3);
  const url = new URL(seen[0]!.url);
  assert.equal(url.pathname, "/plex/library/sections/1/all");
  assert.equal(url.searchParams.get("X-Plex-Container-Size"), "0");
  assert.equal(seen[0]!.headers.get("X-Plex-Token"), TOKEN);
});

// ---------------------------------------------------------------- hardening

Deno.test("PlexClient follows same-origin redirects, keeping the path prefix", async () => {
  const { plex, seen } = client((req) => {
    const u = new URL(req.url);
    if (u.pathname === "/plex/library/sections") {
      return new Response(null, {
        status: 301,
        headers: { location: "/plex/library/sections/" },
      });
    }
    if (u.pathname === "/plex/library/sections/") {
      return new Response(null, {
        status: 302,
        headers: { location: "https://media.example.org/plex/library/all" },
      });
    }
    return json({ MediaContainer: { Directory: [] } });
  }, { baseUrl: "https://media.example.org/plex" });
  assert.deepEqual(await plex.sections(), []);
  assert.deepEqual(seen.map((r) => new URL(r.url).pathname), [
    "/plex/library/sections",
    "/plex/library/sections/",
    "/plex/library/all",
  ]);
  assert.ok(seen.every((r) => r.redirect === "manual"));
});

Deno.test("PlexClient refuses a redirect to another host, port or scheme, naming it", async () => {
  for (
    const target of [
      "https://sso.example.com/login?next=/",
      "http://plex.test:8080/library/sections",
      "https://plex.test:32400/library/sections",
    ]
  ) {
    const { plex, seen } = client(() =>
      new Response(null, { status: 302, headers: { location: target } })
    );
    const error = await plex.sections().catch((e) => e);
    assert.ok(error instanceof PlexRedirectError, String(error));
    const host = new URL(target).host;
    assert.equal(error.target, host);
    assert.ok(error.message.includes(host), error.message);
    assert.match(
      error.message,
      /not followed, so the Plex token is not sent there/,
    );
    assert.equal(seen.length, 1, "nothing is sent to the other host");
  }
});

Deno.test("PlexClient stops a redirect loop and never turns a write into a read", async () => {
  const loop = client(() =>
    new Response(null, { status: 302, headers: { location: "/again" } })
  );
  const error = await loop.plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexRedirectError);
  assert.match(error.message, /more than 5 times \(a redirect loop\)/);
  assert.equal(loop.seen.length, 6);

  const write = client(() =>
    new Response(null, { status: 302, headers: { location: "/elsewhere" } })
  );
  const refused = await write.plex.send("/:/scrobble", { method: "PUT" })
    .catch((e) => e);
  assert.ok(refused instanceof PlexRedirectError);
  assert.match(refused.message, /redirected the write PUT \/:\/scrobble/);
  assert.equal(write.seen.length, 1);
});

Deno.test("PlexClient: retries share one time budget, and the error says how the last try ended", async () => {
  let n = 0;
  const { plex, seen } = client(
    (req) =>
      new Promise<Response>((resolve, reject) => {
        n++;
        if (n < 3) {
          // Two refused tries, each after 150 ms...
          setTimeout(
            () =>
              reject(
                new TypeError("fetch failed", {
                  cause: new Error("Connection refused (os error 111)"),
                }),
              ),
            150,
          );
          return;
        }
        // ...then a stall that the budget cuts off at 600 ms.
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
        void resolve;
      }),
    { timeoutMs: 600, sleep: () => Promise.resolve() },
  );
  const started = performance.now();
  const error = await plex.sections().catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof PlexConnectionError, String(error));
  assert.equal(error.failure, "timeout");
  assert.match(error.message, /did not answer within 0\.6 s/);
  // The last try ran from about 300 ms to 600 ms: cut off after 0.3 s
  // (measured from the try before it, it would say 0.4 or 0.5 s).
  assert.match(
    error.message,
    /3 tries; the last was cut off after 0\.3 s, the one before ended: .*connection refused/,
  );
  assert.ok(took < 900, `took ${took} ms, more than one budget`);
  assert.equal(seen.length, 3);
});

Deno.test("PlexClient: after the last retry the error counts the tries", async () => {
  const { plex } = client(() => new Response("", { status: 502 }));
  const error = await plex.sections().catch((e) => e);
  assert.match(
    error.message,
    /Plex answered 502 .*\(3 tries; the last ended after \d\.\d s\)/,
  );
});

Deno.test("PlexClient reports 429 and 503 as busy, waiting once for a short Retry-After", async () => {
  let n = 0;
  const waits: number[] = [];
  const { plex, seen } = client(() => {
    n++;
    return n === 1
      ? new Response("", { status: 429, headers: { "retry-after": "1" } })
      : json({ MediaContainer: { Directory: [] } });
  }, { sleep: (ms) => (waits.push(ms), Promise.resolve()) });
  assert.deepEqual(await plex.sections(), []);
  assert.deepEqual(waits, [1000]);
  assert.equal(seen.length, 2);

  const long = client(() =>
    new Response("", { status: 503, headers: { "retry-after": "120" } })
  );
  const error = await long.plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexBusyError);
  assert.equal(error.retryAfterSeconds, 120);
  assert.match(
    error.message,
    /^Plex is busy \(503\) for GET \/library\/sections: retry after 120 s/,
  );
  assert.equal(
    long.seen.length,
    1,
    "a long Retry-After is reported, not waited for",
  );

  const write = client(() =>
    new Response("", { status: 429, headers: { "retry-after": "1" } })
  );
  const w = await write.plex.send("/:/rate", { method: "PUT" }).catch((e) => e);
  assert.match(
    w.message,
    /Plex is busy \(429\) for PUT \/:\/rate: retry after 1 s/,
  );
  assert.equal(write.seen.length, 1);
});

Deno.test("PlexClient keeps at most maxConcurrent requests in flight; queued ones keep their timeout and cancellation", async () => {
  let inFlight = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const { plex } = client((req) =>
    new Promise<Response>((resolve, reject) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const done = () => {
        inFlight--;
        resolve(json({ MediaContainer: { Directory: [] } }));
      };
      gates.push(done);
      req.signal.addEventListener("abort", () => {
        inFlight--;
        reject(req.signal.reason);
      });
    }), { maxConcurrent: 3, timeoutMs: 2_000 });
  const calls = Array.from({ length: 10 }, () => plex.sections());
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(most, 3);
  assert.deepEqual(plex.load, { inFlight: 3, queued: 7, limit: 3 });
  // A queued call that is cancelled leaves the queue at once.
  const controller = new AbortController();
  const cancelled = plex.sections({ signal: controller.signal });
  controller.abort(new DOMException("cancelled", "AbortError"));
  await assert.rejects(cancelled, /cancelled/);
  while (gates.length) {
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(calls);
  assert.equal(most, 3);

  // A queued call whose budget runs out while it waits times out on time.
  const slow = client(
    (req) =>
      new Promise<Response>((_resolve, reject) =>
        req.signal.addEventListener("abort", () => reject(req.signal.reason))
      ),
    { maxConcurrent: 1, timeoutMs: 100, retries: 0 },
  );
  const started = performance.now();
  const [a, b] = await Promise.all([
    slow.plex.sections().catch((e) => e),
    slow.plex.sections().catch((e) => e),
  ]);
  const took = performance.now() - started;
  assert.match(a.message, /did not answer within 0\.1 s/);
  assert.match(b.message, /did not answer within 0\.1 s/);
  assert.ok(took < 400, `the queued call waited ${took} ms`);
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

Deno.test("PlexClient refuses JSON that would blow up when parsed", async () => {
  for (
    const [body, why] of [
      ["[".repeat(100_000) + "]".repeat(100_000), /nesting deeper than 64/],
      [
        '{"MediaContainer":{"Metadata":[' + "{},".repeat(1_100_000) + "{}]}}",
        /more than 1,000,000 values/,
      ],
      [
        JSON.stringify({ MediaContainer: { title1: "t".repeat(2_000_000) } }),
        /a string of more than/,
      ],
    ] as const
  ) {
    const { plex } = client(() => new Response(body));
    const error = await plex.sections().catch((e) => e);
    assert.ok(error instanceof PlexResponseError);
    assert.match(error.message, why);
    assert.match(error.message, /JSON too large to handle safely/);
  }
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

Deno.test("PlexClient names a port Deno refuses and Plex's usual port", async () => {
  const { plex } = client(() => {
    throw new TypeError("Fetch failed: Requests to port 9 are blocked");
  }, { baseUrl: "http://plex.test:9" });
  const error = await plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexConnectionError);
  assert.equal(error.failure, "port");
  assert.match(
    error.message,
    /Cannot use port 9 .*Choose Plex's port, usually 32400/,
  );
});

Deno.test("PlexClient: the permission message names the host Deno refused", async () => {
  const { plex } = client(() => {
    throw Object.assign(
      new Error(
        'Requires net access to "other.example:443", run again with the --allow-net flag',
      ),
      { name: "NotCapable" },
    );
  });
  const error = await plex.sections().catch((e) => e);
  assert.match(
    error.message,
    /connect to other\.example:443 .*--allow-net=other\.example:443/,
  );
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

Deno.test("PlexClient refuses paths and headers that could leave the endpoint, sending nothing", async () => {
  const { plex, seen } = client(() => json({ MediaContainer: {} }));
  for (
    const path of [
      "/playlists/1/../../library/sections",
      "/playlists/./x",
      "/library/metadata/1?X-Plex-Token=x",
      "/library/metadata/1#x",
      "/library/metadata/1\r\nX-Evil: 1",
    ]
  ) {
    const error = await plex.send(path).catch((e) => e);
    assert.ok(error instanceof PlexRequestError, path);
  }
  const header = await plex.send("/player/playback/play", {
    headers: { "X-Plex-Target-Client-Identifier": "a\r\nX-Evil: 1" },
  }).catch((e) => e);
  assert.ok(header instanceof PlexRequestError);
  assert.equal(seen.length, 0);
  await plex.send("/:/scrobble");
  assert.equal(seen.length, 1);
});

Deno.test("PlexClient's default body cap (32 MiB) holds for streamed and declared bodies", async () => {
  const over = 32 * 1024 * 1024 + 1;
  const declared = client(() =>
    new Response("{}", { headers: { "content-length": String(over) } })
  );
  const e1 = await declared.plex.sections().catch((e) => e);
  assert.match(
    e1.message,
    /Plex sent 33554433 bytes .* over the 33554432-byte limit/,
  );
  let sent = 0;
  const chunk = new Uint8Array(1024 * 1024);
  const streamed = client(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent >= over + chunk.length) return c.close();
          sent += chunk.length;
          c.enqueue(chunk);
        },
      }),
    )
  );
  const e2 = await streamed.plex.sections().catch((e) => e);
  assert.match(e2.message, /more than 33554432 bytes/);
  assert.ok(sent <= 34 * 1024 * 1024, "stopped reading soon after the cap");
});

Deno.test("PlexClient.shareBudget(): one call's requests share one budget, and a spent budget sends nothing", async () => {
  // Every answer takes 200 ms; the call may take 500 ms in all.
  const { plex, seen } = client(
    (req) =>
      new Promise<Response>((resolve, reject) => {
        const timer = setTimeout(
          () => resolve(json({ MediaContainer: { Directory: [] } })),
          200,
        );
        req.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(req.signal.reason);
        });
      }),
    { timeoutMs: 500 },
  );
  const call = new AbortController();
  plex.shareBudget(call.signal);
  const started = performance.now();
  await plex.sections({ signal: call.signal });
  await plex.sections({ signal: call.signal });
  // Alone it would have its own 500 ms; inside the call, 100 ms are left.
  const error = await plex.sections({ signal: call.signal }).catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof PlexConnectionError, String(error));
  assert.equal(error.failure, "timeout");
  assert.match(
    error.message,
    /did not answer within 0\.5 s \(GET \/library\/sections; this call's 3 requests share one budget of 0\.5 s, and this one started 0\.4 s into it and was cut off after 0\.1 s\)/,
  );
  assert.ok(took < 650, `the call took ${took.toFixed(0)} ms`);
  const before = seen.length;
  const spent = await plex.sections({ signal: call.signal }).catch((e) => e);
  assert.match(
    spent.message,
    /did not answer within 0\.5 s: this call's 3 earlier requests used up its time budget, so GET \/library\/sections was not sent/,
  );
  assert.equal(seen.length, before, "nothing was sent");
  // Requests without the call's signal keep their own budget.
  assert.deepEqual(await plex.sections(), []);
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

Deno.test("requests of one call sent together share its deadline: each is cut off when the call's budget ends, and nothing is left running", async () => {
  let signals = 0;
  const { plex } = client(
    (req) =>
      new Promise<Response>((_resolve, reject) => {
        signals++;
        if (req.signal.aborted) reject(req.signal.reason);
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
      }),
    { timeoutMs: 80, retries: 0 },
  );
  const call = new AbortController();
  plex.shareBudget(call.signal);
  const started = performance.now();
  const errors = await Promise.all(
    [1, 2, 3].map((i) =>
      plex.requestText(`/library/sections/${i}/all`, { signal: call.signal })
        .catch((e) => e)
    ),
  );
  const took = performance.now() - started;
  assert.equal(signals, 3);
  for (const error of errors) {
    assert.ok(error instanceof PlexConnectionError, String(error));
    assert.equal(error.failure, "timeout");
    assert.match(error.message, /did not answer within 0\.08 s/);
  }
  assert.ok(took >= 75 && took < 1_000, `took ${took.toFixed(0)} ms`);

  // The caller's abort still reaches a request in flight as itself.
  const second = new AbortController();
  plex.shareBudget(second.signal);
  const pending = plex.requestText("/x", { signal: second.signal }).catch((
    e,
  ) => e);
  second.abort(new DOMException("stop", "AbortError"));
  assert.equal(((await pending) as DOMException).name, "AbortError");
});

Deno.test("a held call budget keeps one deadline for its requests one after another, cuts each at the call's deadline, and is released when the call ends, or after the last request still in flight", async () => {
  const { plex } = client(
    (req) => {
      if (new URL(req.url).pathname === "/quick") {
        return Promise.resolve(json({ MediaContainer: {} }));
      }
      return new Promise<Response>((_resolve, reject) => {
        if (req.signal.aborted) reject(req.signal.reason);
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
      });
    },
    { timeoutMs: 80, retries: 0 },
  );
  const call = new AbortController();
  plex.holdBudget(call.signal);
  const started = performance.now();
  await plex.requestText("/quick", { signal: call.signal });
  await plex.requestText("/quick", { signal: call.signal });
  const error = await plex.requestText("/stall", { signal: call.signal })
    .catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof PlexConnectionError, String(error));
  assert.equal(error.failure, "timeout");
  assert.ok(took >= 75 && took < 1_000, `took ${took.toFixed(0)} ms`);
  // Still cut off at the call's deadline, though the request came last.
  assert.match(error.message, /did not answer within 0\.08 s/);
  plex.endBudget(call.signal);

  // A request the call did not wait for keeps its deadline after the end.
  const second = new AbortController();
  plex.holdBudget(second.signal);
  const left = plex.requestText("/stall", { signal: second.signal }).catch((
    e,
  ) => e);
  plex.endBudget(second.signal);
  const late = await left;
  assert.ok(late instanceof PlexConnectionError, String(late));
  assert.equal(late.failure, "timeout");

  // The caller's abort still reaches a held call's request as itself.
  const third = new AbortController();
  plex.holdBudget(third.signal);
  const pending = plex.requestText("/stall", { signal: third.signal }).catch((
    e,
  ) => e);
  third.abort(new DOMException("stop", "AbortError"));
  assert.equal(((await pending) as DOMException).name, "AbortError");
  plex.endBudget(third.signal);
});
