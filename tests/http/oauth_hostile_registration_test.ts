/**
 * OAuth mode against a hostile client, in process: registration. Redirect
 * URIs that would be open redirects or leak codes, registration flooding.
 * Every test also checks that no token, code or secret reached the log.
 */
import assert from "node:assert/strict";
import {
  authorizeFully,
  authorizePath,
  Browser,
  oauthRig,
  registerClient,
  RIG_REDIRECT,
} from "../support/oauth_rig.ts";

Deno.test("OAuth hostile: registration refuses redirect URIs that would be open redirects or leak codes (javascript:, data:, plain http off loopback, fragments, user info)", async () => {
  const rig = await oauthRig();
  try {
    for (
      const uri of [
        "javascript:alert(1)",
        "data:text/html,hi",
        "http://evil.example/cb",
        "http://192.168.1.5/cb",
        "https://app.example/cb#frag",
        "https://user:pw@app.example/cb",
        "ftp://app.example/cb",
        "not a url",
      ]
    ) {
      const res = await rig.fetch("/oauth/register", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ redirect_uris: [uri] }),
      });
      const body = await res.json();
      assert.equal(res.status, 400, uri);
      assert.equal(body.error, "invalid_redirect_uri", uri);
    }
    assert.equal(rig.oauth.store.clientCount, 0);
    // https anywhere and http on loopback are fine; the client is public.
    const ok = await rig.fetch("/oauth/register", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        redirect_uris: [
          "https://claude.ai/api/mcp/auth_callback",
          "http://[::1]:9/cb",
        ],
        token_endpoint_auth_method: "client_secret_post",
      }),
    });
    const info = await ok.json();
    assert.equal(ok.status, 201);
    assert.equal(info.token_endpoint_auth_method, "none");
    assert.equal(info.client_secret, undefined);
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: registration flooding is capped by rate (429 with Retry-After) and count (the oldest never-used client makes room; never one in use), and unused clients expire", async () => {
  const rig = await oauthRig({
    limits: { registrationsPerWindow: 4, maxClients: 3 },
  });
  try {
    const reg = () =>
      rig.fetch("/oauth/register", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ redirect_uris: [RIG_REDIRECT] }),
      });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      rig.clock.now += 1000;
      const r = await reg();
      assert.equal(r.status, 201);
      ids.push((await r.json()).client_id);
    }
    const flood = await reg();
    assert.equal(flood.status, 429);
    assert.ok(Number(flood.headers.get("retry-after")) > 0);
    assert.equal((await flood.json()).error, "too_many_requests");
    // At the cap of 3, the oldest unused client made room.
    assert.equal(rig.oauth.store.clientCount, 3);
    assert.equal(rig.oauth.store.client(ids[0]!), undefined);

    // Clients in use are never evicted: fill the cap with used ones.
    rig.clock.now += 601_000;
    for (let i = 0; i < 3; i++) await authorizeFully(rig);
    rig.clock.now += 601_000;
    const full = await reg();
    assert.equal(full.status, 429);
    assert.match((await full.json()).error_description, /every one is in use/);

    // A client that obtained no token within a day is removed.
    const fresh = await oauthRig();
    try {
      const id = await registerClient(fresh);
      fresh.clock.now += 86_400_000 + 1;
      const page = await new Browser(fresh).get(
        authorizePath({ client_id: id, response_type: "code" }),
      );
      assert.equal(page.status, 400);
      assert.match(await page.text(), /Unknown client/);
    } finally {
      await fresh.close();
    }
  } finally {
    await rig.close();
  }
});
