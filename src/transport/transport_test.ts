/**
 * The transport, seen through PlexClient: the token and headers, typed
 * errors for statuses and failed connections, body caps and the JSON
 * guard, requests that could leave the endpoint, same-origin redirects.
 * Retries, budgets and the pool: budget_test.ts.
 */
import assert from "node:assert/strict";
import {
  client,
  json,
  plexIdentity,
  TOKEN,
} from "../../tests/support/plex_client.ts";
import {
  PlexApiError,
  PlexAuthError,
  PlexConnectionError,
  PlexNotFoundError,
  PlexRedirectError,
  PlexRequestError,
  PlexResponseError,
} from "./errors.ts";
import { sectionsSchema } from "../plex/schemas.ts";

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
