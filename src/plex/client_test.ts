import assert from "node:assert/strict";
import { PlexClient } from "./client.ts";
import {
  PlexApiError,
  PlexAuthError,
  PlexConnectionError,
  PlexNotFoundError,
  PlexResponseError,
} from "./errors.ts";
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

Deno.test("PlexClient maps 401 with an HTML body to PlexAuthError without parsing it", async () => {
  const { plex } = client(() =>
    new Response(HTML_401, {
      status: 401,
      headers: { "content-type": "text/html" },
    })
  );
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
  const { plex } = client(() =>
    new Response("<html>404</html>", { status: 404 })
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
    const { plex } = client(() => new Response(body, { status: 200 }));
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
