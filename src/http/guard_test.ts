import assert from "node:assert/strict";
import {
  checkHostAndOrigin,
  hostAllowed,
  originAllowed,
  redactResponse,
  TokenCheck,
} from "./guard.ts";

Deno.test("hostAllowed: loopback names and IP addresses always; other names only when listed (with the port, when the entry has one)", () => {
  const listed = ["mcp.example.org", "nas.local:8443"];
  for (
    const h of [
      "127.0.0.1:8765",
      "localhost:1",
      "[::1]:2",
      "10.0.0.5:8765",
      "mcp.example.org",
      "MCP.EXAMPLE.ORG:443",
      "nas.local:8443",
    ]
  ) {
    assert.ok(hostAllowed(h, listed), h);
  }
  for (
    const h of [
      "evil.example.com",
      "evil.example.com:8765",
      "nas.local:8444",
      "nas.local",
      "127.0.0.1.evil.com",
      "",
      ":80",
    ]
  ) {
    assert.ok(!hostAllowed(h, listed), h);
  }
});

Deno.test("originAllowed: none, listed, or the server's own (same host as the request)", () => {
  assert.ok(originAllowed(null, "127.0.0.1:1", []));
  assert.ok(originAllowed("http://127.0.0.1:1", "127.0.0.1:1", []));
  assert.ok(originAllowed("https://mcp.example.org", "mcp.example.org", []));
  assert.ok(
    originAllowed("http://localhost:6274", "127.0.0.1:1", [
      "http://localhost:6274",
    ]),
  );
  assert.ok(!originAllowed("http://localhost:6274", "127.0.0.1:1", []));
  assert.ok(!originAllowed("http://127.0.0.1:2", "127.0.0.1:1", []));
  assert.ok(!originAllowed("null", "127.0.0.1:1", []));
  assert.ok(!originAllowed("file://x", "x", []));
});

Deno.test("checkHostAndOrigin: 403 with a JSON-RPC error that quotes the header short", async () => {
  const bad = checkHostAndOrigin(
    new Request("http://127.0.0.1:1/mcp", {
      headers: { host: "e".repeat(200) },
    }),
    [],
    [],
  );
  assert.equal(bad?.status, 403);
  const body = await bad!.json();
  assert.equal(body.jsonrpc, "2.0");
  assert.equal(body.id, null);
  assert.match(body.error.message, /^Forbidden: Host "e{60}…" is not allowed/);
  assert.equal(
    checkHostAndOrigin(new Request("http://127.0.0.1:1/mcp"), [], []),
    undefined,
  );
});

Deno.test("TokenCheck: only 'Bearer <the token>' gets in; the answer never holds the token", async () => {
  const check = new TokenCheck("the-right-token-123");
  assert.ok(await check.matches("the-right-token-123"));
  assert.ok(!await check.matches("the-right-token-124"));
  assert.ok(!await check.matches("the-right-token-12"));
  assert.ok(!await check.matches(""));
  const req = (authorization?: string) =>
    new Request("http://127.0.0.1/mcp", {
      headers: authorization ? { authorization } : {},
    });
  assert.equal(await check.check(req("Bearer the-right-token-123")), undefined);
  assert.equal(
    await check.check(req("bearer   the-right-token-123 ")),
    undefined,
  );
  for (
    const h of [
      undefined,
      "Bearer",
      "Basic abc",
      "Bearer the-right-token-123 x",
      "Bearer wrong",
    ]
  ) {
    const r = await check.check(req(h));
    assert.equal(r?.status, 401, String(h));
    const text = await r!.text();
    assert.ok(!text.includes("the-right-token-123"));
    assert.match(
      r!.headers.get("www-authenticate")!,
      /^Bearer realm="plexmcp"/,
    );
  }
});

Deno.test("redactResponse: secrets leave bodies and headers of non-stream answers; streams pass untouched", async () => {
  const secret = "plex-secret-token-xyz";
  const page = await redactResponse(
    new Response(`{"error":{"data":"failed with ${secret}"}}`, {
      status: 400,
      headers: { "content-type": "application/json", "x-debug": secret },
    }),
    [secret],
  );
  assert.equal(page.status, 400);
  assert.ok(!(await page.text()).includes(secret));
  assert.ok(!page.headers.get("x-debug")!.includes(secret));
  const stream = new Response(new ReadableStream(), {
    headers: { "content-type": "text/event-stream" },
  });
  assert.equal(await redactResponse(stream, [secret]), stream);
  await stream.body?.cancel();
});

Deno.test("hostAllowed: a listed name matches whole, never as a suffix or prefix of another name", () => {
  const listed = ["example.org", "mcp.example.net:8443"];
  assert.ok(hostAllowed("example.org", listed));
  assert.ok(hostAllowed("mcp.example.net:8443", listed));
  for (
    const h of [
      "evil-example.org",
      "evilexample.org",
      "sub.example.org",
      "example.org.evil.com",
      "xmcp.example.net:8443",
      "mcp.example.net.evil.com:8443",
    ]
  ) {
    assert.ok(!hostAllowed(h, listed), h);
  }
});

Deno.test("TokenCheck: a guess whose SHA-256 agrees with the token's in any one byte (first, middle, last) is still refused", async () => {
  const token = "the-right-token-123";
  const check = new TokenCheck(token);
  const sha = async (text: string) =>
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
    );
  const want = await sha(token);
  for (const at of [0, 16, 31]) {
    // About 1 guess in 256 shares a given byte: search a bounded range.
    let guess: string | undefined;
    for (let i = 0; i < 20_000 && guess === undefined; i++) {
      const g = `wrong-guess-${i}`;
      if ((await sha(g))[at] === want[at]) guess = g;
    }
    assert.ok(guess, `a guess sharing byte ${at}`);
    assert.ok(!await check.matches(guess), `${guess} (shares byte ${at})`);
  }
});
