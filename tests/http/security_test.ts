/**
 * The security of `plexmcp serve --http`, end to end against the real
 * process: the bearer token (401), Host and Origin allow-lists (403,
 * DNS-rebinding protection), the body limit (413), caps on sessions and
 * streams (429), idle expiry (404 after), start-up refusals, the generated
 * token, and neither the Plex token nor the bearer token in any answer.
 */
import assert from "node:assert/strict";
import { childEnv, MOD_PATH, TEST_TOKEN, textOf } from "../support/helpers.ts";
import {
  connectHttp,
  HTTP_TOKEN,
  initializeBody,
  mcpHeaders,
  openRawSession,
  rawRequest,
  scanHttp,
  spawnHttp,
  startHttpRig,
} from "../support/http_helpers.ts";

/** Runs `serve` with `args` and `env` and expects it to refuse to start. */
async function refused(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1,0.0.0.0,192.0.2.1",
      MOD_PATH,
      "serve",
      ...args,
    ],
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(new TextDecoder().decode(out.stdout), "", "nothing on stdout");
  scanHttp(stderr, "refusal", env.PLEX_HTTP_TOKEN);
  return { code: out.code, stderr };
}

Deno.test("HTTP auth: no token, a malformed header and a wrong token get 401 with a JSON-RPC error and WWW-Authenticate; the right token gets in", async () => {
  const rig = await startHttpRig();
  try {
    const url = rig.server.url;
    const post = (authorization?: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          ...mcpHeaders(undefined),
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: initializeBody(),
      });
    for (
      const [auth, message] of [
        [undefined, /send the header 'Authorization: Bearer <token>'/],
        ["Basic dXNlcjpwYXNz", /must be 'Bearer <token>'/],
        [`Bearer ${HTTP_TOKEN}x`, /not the one this server was started with/],
        ["Bearer short", /not the one/],
      ] as const
    ) {
      const r = await post(auth);
      const text = await r.text();
      scanHttp(text, "401 body", HTTP_TOKEN);
      assert.equal(r.status, 401, `${auth}: ${text}`);
      assert.match(
        r.headers.get("www-authenticate") ?? "",
        /^Bearer realm="plexmcp"/,
      );
      const body = JSON.parse(text);
      assert.equal(body.jsonrpc, "2.0");
      assert.equal(body.id, null);
      assert.equal(body.error.code, -32001);
      assert.match(body.error.message, message);
    }
    // GET and DELETE need it too.
    for (const method of ["GET", "DELETE"]) {
      const r = await fetch(url, {
        method,
        headers: { Accept: "text/event-stream", "Mcp-Session-Id": "x" },
      });
      await r.body?.cancel();
      assert.equal(r.status, 401, method);
    }
    const ok = await post(`Bearer ${HTTP_TOKEN}`);
    await ok.body?.cancel();
    assert.equal(ok.status, 200);
    assert.ok(ok.headers.get("mcp-session-id"));
    // Nothing that was refused opened a session or reached Plex.
    assert.equal(
      rig.fake.requests.length,
      0,
      "an initialize does not call Plex; the refused requests did not either",
    );
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: a Host or Origin not allowed gets 403 (DNS-rebinding protection); loopback, IP hosts, listed names, the server's own origin and listed origins get in", async () => {
  const rig = await startHttpRig({
    PLEX_HTTP_ALLOWED_HOSTS: "mcp.example.org,nas.local:8443",
    PLEX_HTTP_ALLOWED_ORIGINS: "http://localhost:6274",
  });
  try {
    const host = rig.server.host;
    const port = host.split(":").at(-1);
    const init = (headers: Record<string, string>) =>
      rawRequest(host, {
        method: "POST",
        path: "/mcp",
        headers: { ...mcpHeaders(HTTP_TOKEN), ...headers },
        body: initializeBody(),
        readMs: 3_000,
      });
    for (
      const headers of <Record<string, string>[]> [
        { Host: "evil.example.com" },
        { Host: `evil.example.com:${port}` },
        { Host: "nas.local:9999" },
        { Host: "127.0.0.1.evil.example.com" },
        { Host: host, Origin: "http://evil.example.com" },
        { Host: host, Origin: `http://evil.example.com:${port}` },
        { Host: host, Origin: "null" },
        { Host: host, Origin: "http://localhost:6275" },
      ]
    ) {
      const r = await init(headers);
      assert.equal(r.status, 403, `${JSON.stringify(headers)}: ${r.body}`);
      const body = JSON.parse(r.body);
      assert.equal(body.error.code, -32000);
      assert.match(body.error.message, /^Forbidden: (Host|Origin) /);
      assert.equal(r.headers.get("mcp-session-id"), null);
    }
    for (
      const headers of <Record<string, string>[]> [
        { Host: host },
        { Host: `localhost:${port}` },
        { Host: `[::1]:${port}` },
        { Host: `192.168.1.20:${port}` },
        { Host: "mcp.example.org" },
        { Host: "MCP.example.org:443" },
        { Host: "nas.local:8443" },
        { Host: host, Origin: `http://${host}` },
        { Host: "mcp.example.org", Origin: "https://mcp.example.org" },
        { Host: host, Origin: "http://localhost:6274" },
      ]
    ) {
      const r = await init(headers);
      assert.equal(r.status, 200, `${JSON.stringify(headers)}: ${r.body}`);
      assert.ok(r.headers.get("mcp-session-id"));
    }
    // A listed origin gets CORS answers, preflight included (no token
    // needed for the preflight); others get none.
    const preflight = await rawRequest(host, {
      method: "OPTIONS",
      path: "/mcp",
      headers: {
        Origin: "http://localhost:6274",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(
      preflight.headers.get("access-control-allow-origin"),
      "http://localhost:6274",
    );
    assert.match(
      preflight.headers.get("access-control-allow-headers") ?? "",
      /Authorization/,
    );
    const same = await init({ Host: host, Origin: `http://${host}` });
    assert.equal(same.headers.get("access-control-allow-origin"), null);
    // Refused before the token is looked at: a rebinding page learns nothing.
    const noToken = await rawRequest(host, {
      method: "POST",
      path: "/mcp",
      headers: { ...mcpHeaders(undefined), Host: "evil.example.com" },
      body: initializeBody(),
    });
    assert.equal(noToken.status, 403);
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: a body over 1 MiB gets 413 with a JSON-RPC error, declared or streamed, and the server keeps serving", async () => {
  const rig = await startHttpRig();
  try {
    const url = rig.server.url;
    const session = await openRawSession(url, HTTP_TOKEN);
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: {
        name: "search_media",
        arguments: { query: "x".repeat(1024 * 1024) },
      },
    });
    const declared = await fetch(url, {
      method: "POST",
      headers: mcpHeaders(HTTP_TOKEN, session),
      body: big,
    });
    const body = await declared.json();
    assert.equal(declared.status, 413);
    assert.equal(body.error.code, -32000);
    assert.match(body.error.message, /Payload Too Large: .* 1048576 bytes/);

    // Chunked, with no Content-Length: refused once 1 MiB has arrived.
    const bytes = new TextEncoder().encode(big);
    const streamed = await fetch(url, {
      method: "POST",
      headers: mcpHeaders(HTTP_TOKEN, session),
      body: new ReadableStream({
        start(c) {
          for (let at = 0; at < bytes.length; at += 65536) {
            c.enqueue(bytes.slice(at, at + 65536));
          }
          c.close();
        },
      }),
    });
    assert.equal(streamed.status, 413);
    await streamed.body?.cancel();
    assert.equal(
      rig.fake.requests.filter((r) => r.path.includes("search")).length,
      0,
      "nothing oversized reached Plex",
    );

    // Not JSON: 400 with a parse error; then a normal call still works.
    const junk = await fetch(url, {
      method: "POST",
      headers: mcpHeaders(HTTP_TOKEN, session),
      body: "{not json",
    });
    assert.equal(junk.status, 400);
    assert.equal((await junk.json()).error.code, -32700);
    const { client } = await connectHttp(url, HTTP_TOKEN);
    const r = await client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    await client.close();
  } finally {
    await rig.close();
  }
});

/** Opens the session's GET stream; resolves once the server has it open. */
async function openStream(
  url: string,
  session: string,
): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const r = await fetch(url, {
    method: "GET",
    headers: {
      Accept: "text/event-stream",
      Authorization: `Bearer ${HTTP_TOKEN}`,
      "Mcp-Session-Id": session,
      "Mcp-Protocol-Version": "2025-11-25",
    },
  });
  assert.equal(r.status, 200);
  return r.body!.getReader();
}

/** A POST of one request in `session`, answered with its status and body. */
async function rpc(
  url: string,
  session: string | undefined,
  body: unknown,
): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(url, {
    method: "POST",
    headers: {
      ...mcpHeaders(HTTP_TOKEN, session),
      ...(session ? { "Mcp-Protocol-Version": "2025-11-25" } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await r.text();
  scanHttp(text, "answer", HTTP_TOKEN);
  return { status: r.status, headers: r.headers, text };
}

Deno.test("HTTP: a session unused for PLEX_HTTP_SESSION_IDLE ends and its id then gets 404; one holding a stream open stays", async () => {
  const rig = await startHttpRig({ PLEX_HTTP_SESSION_IDLE: "1" });
  try {
    const url = rig.server.url;
    const idle = await openRawSession(url, HTTP_TOKEN);
    const held = await openRawSession(url, HTTP_TOKEN);
    const stream = await openStream(url, held);
    await new Promise((r) => setTimeout(r, 2_500));
    const after = await rpc(url, idle, {
      jsonrpc: "2.0",
      id: 2,
      method: "ping",
    });
    assert.equal(after.status, 404, after.text);
    const body = JSON.parse(after.text);
    assert.equal(body.error.code, -32001);
    assert.match(body.error.message, /ended or expired/);
    const alive = await rpc(url, held, {
      jsonrpc: "2.0",
      id: 3,
      method: "ping",
    });
    assert.equal(alive.status, 200, alive.text);
    await stream.cancel();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP caps: past PLEX_HTTP_MAX_SESSIONS busy sessions a new one gets 429; an idle one makes room; PLEX_HTTP_MAX_STREAMS streams per session", async () => {
  const rig = await startHttpRig({
    PLEX_HTTP_MAX_SESSIONS: "2",
    PLEX_HTTP_MAX_STREAMS: "2",
  });
  try {
    const url = rig.server.url;
    const a = await openRawSession(url, HTTP_TOKEN);
    const b = await openRawSession(url, HTTP_TOKEN);
    // Both hold their GET stream: busy. A third is refused.
    const streamA = await openStream(url, a);
    const streamB = await openStream(url, b);
    const third = await rpc(url, undefined, initializeBody());
    assert.equal(third.status, 429, third.text);
    assert.equal(third.headers.get("retry-after"), "5");
    const body = JSON.parse(third.text);
    assert.equal(body.error.code, -32000);
    assert.match(
      body.error.message,
      /2 sessions are open and busy .*PLEX_HTTP_MAX_SESSIONS/,
    );

    // Streams: A's GET stream and a stalled call are two; a third request
    // in A is refused, B is unaffected.
    rig.fake.fault = "stall";
    const stalled = await fetch(url, {
      method: "POST",
      headers: {
        ...mcpHeaders(HTTP_TOKEN, a),
        "Mcp-Protocol-Version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 50,
        method: "tools/call",
        params: { name: "get_libraries", arguments: {} },
      }),
    });
    assert.equal(stalled.status, 200);
    const over = await rpc(url, a, { jsonrpc: "2.0", id: 99, method: "ping" });
    assert.equal(over.status, 429, over.text);
    assert.match(
      JSON.parse(over.text).error.message,
      /2 streams open .*PLEX_HTTP_MAX_STREAMS/,
    );
    const pingB = await rpc(url, b, { jsonrpc: "2.0", id: 4, method: "ping" });
    assert.equal(pingB.status, 200, pingB.text);
    rig.fake.fault = undefined;
    await stalled.body?.cancel();

    // B's client goes away without DELETE: its session is idle now, and is
    // the one closed to make room (A's stream is still open).
    await streamB.cancel();
    const deadline = Date.now() + 5_000;
    let room = await rpc(url, undefined, initializeBody());
    while (room.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      room = await rpc(url, undefined, initializeBody());
    }
    assert.equal(room.status, 200, room.text);
    const gone = await rpc(url, b, { jsonrpc: "2.0", id: 3, method: "ping" });
    assert.equal(gone.status, 404, "B's idle session was closed to make room");
    const stillA = await rpc(url, a, { jsonrpc: "2.0", id: 5, method: "ping" });
    assert.equal(stillA.status, 200, stillA.text);
    await streamA.cancel();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP start-up refusals: no token on a non-loopback address, the test mode anywhere but loopback with --demo, bad settings, no --http, a port in use", async () => {
  let r = await refused(["--http", "0.0.0.0:0", "--demo"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /PLEX_HTTP_TOKEN is not set, and 0\.0\.0\.0:0 can be reached from other machines/,
  );

  r = await refused(["--http", "0.0.0.0:0", "--demo", "--test-no-auth"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /--test-no-auth is a test mode without any authentication, so it serves only a loopback address/,
  );
  r = await refused(["--http", "127.0.0.1:0", "--test-no-auth"], {
    PLEX_SERVER_URL: "http://127.0.0.1:1",
    PLEX_TOKEN: TEST_TOKEN,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /serves only the demo library: add --demo/);
  r = await refused(["--http", "127.0.0.1:0", "--demo", "--test-no-auth"], {
    PLEX_HTTP_TOKEN: HTTP_TOKEN,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /PLEX_HTTP_TOKEN is set/);

  r = await refused(["--http", "127.0.0.1:0", "--demo"], {
    PLEX_HTTP_TOKEN: "Zk3pQ",
    PLEX_HTTP_SESSION_IDLE: "soon",
    PLEX_HTTP_ALLOWED_ORIGINS: "http://ok.example/path",
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /PLEX_HTTP_TOKEN is too short \(5 characters\)/);
  assert.match(
    r.stderr,
    /PLEX_HTTP_SESSION_IDLE must be a number of seconds from 1 to 86400/,
  );
  assert.match(
    r.stderr,
    /PLEX_HTTP_ALLOWED_ORIGINS must be a comma list of origins/,
  );
  assert.ok(!r.stderr.includes("Zk3pQ"), "the token is never quoted back");

  r = await refused(["--demo"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /say how to serve: --http/);
  r = await refused(["--http", ":8765", "--demo"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /name the interface too: 127\.0\.0\.1:8765/);

  const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (holder.addr as Deno.NetAddr).port;
    r = await refused(["--http", `127.0.0.1:${port}`, "--demo"], {
      PLEX_HTTP_TOKEN: HTTP_TOKEN,
    });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /cannot listen on 127\.0\.0\.1:\d+: the port is in use/,
    );
  } finally {
    holder.close();
  }
});

Deno.test("HTTP: the no-auth test mode is refused on every address but loopback: a LAN or documentation address, IPv6 included, not only 0.0.0.0", async () => {
  for (const where of ["192.168.1.20:0", "192.0.2.1:0", "[fd00::1]:0"]) {
    const r = await refused(["--http", where, "--demo", "--test-no-auth"]);
    assert.equal(r.code, 2, `${where}: ${r.stderr}`);
    assert.match(
      r.stderr,
      new RegExp(
        `--test-no-auth is a test mode without any authentication, so it serves only a loopback address \\(127\\.0\\.0\\.1, ::1\\), not ${
          where.replace(/[.[\]]/g, "\\$&")
        }`,
      ),
      where,
    );
  }
});

Deno.test("HTTP: with no PLEX_HTTP_TOKEN on loopback a token is generated, printed once, required, and never logged again", async () => {
  const server = await spawnHttp({
    env: { DEV_LOG_LEVEL: "debug" },
    args: ["--demo"],
  });
  try {
    assert.match(server.token ?? "", /^[0-9a-f]{64}$/);
    const without = await fetch(server.url, {
      method: "POST",
      headers: mcpHeaders(undefined),
      body: initializeBody(),
    });
    await without.body?.cancel();
    assert.equal(without.status, 401);
    const { client } = await connectHttp(server.url, server.token);
    // A client echoing the token in an argument gets it back redacted.
    const r = await client.callTool({
      name: "search_media",
      arguments: { query: `find ${server.token}` },
    });
    const text = JSON.stringify(r);
    assert.ok(!text.includes(server.token!), text.slice(0, 300));
    await client.close();
  } finally {
    assert.equal(await server.close(), 0);
  }
  const stderr = server.stderr();
  assert.equal(
    stderr.split(server.token!).length - 1,
    1,
    "printed exactly once",
  );
  assert.match(stderr, /DEBUG/, "debug logging was on");
});

Deno.test("HTTP: neither the Plex token nor the bearer token reaches a client, from a Plex that echoes its token into every answer", async () => {
  const rig = await startHttpRig();
  try {
    rig.fake.fault = "echo-strings";
    const { client } = await connectHttp(rig.server.url, HTTP_TOKEN);
    for (const name of ["get_libraries", "get_plex_status", "get_on_deck"]) {
      const r = await client.callTool({ name, arguments: {} });
      scanHttp(JSON.stringify(r), `${name} over HTTP`, HTTP_TOKEN);
    }
    rig.fake.fault = "echo";
    const failed = await client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(failed.isError, true);
    scanHttp(JSON.stringify(failed), "error result", HTTP_TOKEN);
    // Error pages and headers of every refusal.
    const host = rig.server.host;
    for (
      const request of [
        { method: "POST", path: "/mcp", body: "{oops" },
        { method: "POST", path: "/nowhere", body: initializeBody() },
        { method: "PUT", path: "/mcp", body: "" },
        { method: "GET", path: "/mcp", body: "" },
      ]
    ) {
      const raw = await rawRequest(host, {
        ...request,
        headers: {
          ...mcpHeaders(HTTP_TOKEN, "no-such-session"),
          "X-Echo": TEST_TOKEN,
        },
        readMs: 2_000,
      });
      assert.ok(raw.status >= 400, `${request.method} ${request.path}`);
      scanHttp(
        JSON.stringify([...raw.headers]) + raw.body,
        `${request.method} ${request.path} answer`,
        HTTP_TOKEN,
      );
    }
    await client.close();
  } finally {
    await rig.close();
  }
});
