/**
 * OAuth mode against a hostile client, page or network, in process: PKCE
 * missing, plain or wrong; redirect-URI mismatches and open redirects;
 * codes reused or expired; tokens for another resource; refresh tokens
 * reused; CSRF and framing of the consent page; approval by someone who
 * does not own the server; registration flooding. Every test also checks
 * that no token, code or secret reached the log.
 */
import assert from "node:assert/strict";
import {
  approveWithPlex,
  authorizeFully,
  authorizePath,
  Browser,
  formFields,
  INITIALIZE,
  mcpPost,
  oauthRig,
  openSession,
  pkcePair,
  registerClient,
  type Rig,
  RIG_BASE,
  RIG_MCP,
  RIG_REDIRECT,
  RIG_SERVER_SECRET,
  tokenRequest,
} from "../support/oauth_rig.ts";

async function params(
  rig: Rig,
  extra: Record<string, string | undefined> = {},
) {
  const clientId = await registerClient(rig);
  const pkce = await pkcePair();
  return {
    clientId,
    verifier: pkce.verifier,
    query: {
      response_type: "code",
      client_id: clientId,
      redirect_uri: RIG_REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      state: "st-9",
      resource: RIG_MCP,
      ...extra,
    } as Record<string, string | undefined>,
  };
}

/** An approved code for a fresh client. */
async function approvedCode(rig: Rig) {
  const p = await params(rig);
  const { redirect } = await approveWithPlex(rig, p.query);
  const code = redirect.searchParams.get("code")!;
  rig.issued.push(code);
  return { ...p, code };
}

Deno.test("OAuth hostile: PKCE missing, plain, or of an unknown method is sent back as invalid_request, and no consent page is shown", async () => {
  const rig = await oauthRig();
  try {
    for (
      const extra of [
        { code_challenge: undefined, code_challenge_method: undefined },
        { code_challenge_method: "plain" },
        { code_challenge_method: undefined },
        { code_challenge_method: "S512" },
        { code_challenge: "too-short" },
      ]
    ) {
      const p = await params(rig, extra);
      const res = await new Browser(rig).get(authorizePath(p.query));
      assert.equal(res.status, 302, JSON.stringify(extra));
      const to = new URL(res.headers.get("location")!);
      assert.equal(`${to.origin}${to.pathname}`, RIG_REDIRECT);
      assert.equal(to.searchParams.get("error"), "invalid_request");
      assert.equal(to.searchParams.get("state"), "st-9");
      assert.equal(to.searchParams.get("code"), null);
      assert.equal(res.headers.get("set-cookie"), null, "no consent page");
    }
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: a wrong or missing code_verifier gets no token, and the code is spent by the attempt", async () => {
  const rig = await oauthRig();
  try {
    const a = await approvedCode(rig);
    const other = await pkcePair();
    const wrong = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: a.clientId,
      code: a.code,
      code_verifier: other.verifier,
      redirect_uri: RIG_REDIRECT,
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, "invalid_grant");
    assert.equal(wrong.body.access_token, undefined);
    // The right verifier now comes too late: a code is tried once.
    const late = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: a.clientId,
      code: a.code,
      code_verifier: a.verifier,
      redirect_uri: RIG_REDIRECT,
    });
    assert.equal(late.status, 400);
    assert.equal(late.body.error, "invalid_grant");

    const b = await approvedCode(rig);
    const missing = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: b.clientId,
      code: b.code,
      redirect_uri: RIG_REDIRECT,
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, "invalid_request");
    for (const r of [wrong, late, missing]) {
      assert.ok(
        !JSON.stringify(r.body).includes(a.code),
        "the code is not echoed",
      );
    }
    rig.scanLogs();
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: a redirect URI the client did not register gets an error page and no redirect (exact match only: no prefix, port, path, query or scheme leeway)", async () => {
  const rig = await oauthRig();
  try {
    const p = await params(rig);
    for (
      const uri of [
        "https://evil.example/callback",
        "http://127.0.0.1:33418/callback/../evil",
        "http://127.0.0.1:33418/callbackx",
        "http://127.0.0.1:33419/callback",
        "http://127.0.0.1:33418/callback?next=https://evil.example",
        "http://localhost:33418/callback",
        "https://127.0.0.1:33418/callback",
      ]
    ) {
      const res = await new Browser(rig).get(
        authorizePath({ ...p.query, redirect_uri: uri }),
      );
      const html = await res.text();
      assert.equal(res.status, 400, uri);
      assert.equal(res.headers.get("location"), null, uri);
      assert.match(html, /not one the client registered/);
    }
    // An unknown client: no redirect at all, whatever it names.
    const unknown = await new Browser(rig).get(
      authorizePath({ ...p.query, client_id: "mcp-nobody" }),
    );
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get("location"), null);
    await unknown.body?.cancel();
    // The code's redirect URI must match at the token endpoint too.
    const a = await approvedCode(rig);
    const mismatch = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: a.clientId,
      code: a.code,
      code_verifier: a.verifier,
      redirect_uri: "http://127.0.0.1:33418/other",
    });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.error, "invalid_grant");
    rig.scanLogs();
  } finally {
    await rig.close();
  }
});

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

Deno.test("OAuth hostile: a code used twice gets nothing the second time and revokes what the first use issued", async () => {
  const rig = await oauthRig();
  try {
    const a = await approvedCode(rig);
    const form = {
      grant_type: "authorization_code",
      client_id: a.clientId,
      code: a.code,
      code_verifier: a.verifier,
      redirect_uri: RIG_REDIRECT,
    };
    const first = await tokenRequest(rig, form);
    assert.equal(first.status, 200);
    const access = first.body.access_token as string;
    await openSession(rig, access);
    const second = await tokenRequest(rig, form);
    assert.equal(second.status, 400);
    assert.equal(second.body.error, "invalid_grant");
    const res = await rig.fetch("/mcp", mcpPost(access, INITIALIZE));
    assert.equal(res.status, 401, "the first use's token is revoked");
    await res.body?.cancel();
    assert.equal(rig.handler.sessionCount, 0);
    rig.scanLogs();
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: a code older than a minute has expired", async () => {
  const rig = await oauthRig();
  try {
    const a = await approvedCode(rig);
    rig.clock.now += 61_000;
    const late = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: a.clientId,
      code: a.code,
      code_verifier: a.verifier,
      redirect_uri: RIG_REDIRECT,
    });
    assert.equal(late.status, 400);
    assert.equal(late.body.error, "invalid_grant");
    assert.match(String(late.body.error_description), /expired/);
    // Another client cannot redeem someone else's code either.
    const b = await approvedCode(rig);
    const stranger = await registerClient(rig);
    const stolen = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: stranger,
      code: b.code,
      code_verifier: b.verifier,
      redirect_uri: RIG_REDIRECT,
    });
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body.error, "invalid_grant");
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: the resource (RFC 8707) is bound into the token: another resource is refused at authorize, at the exchange, and on every MCP request", async () => {
  const rig = await oauthRig();
  try {
    const p = await params(rig, { resource: "https://evil.example/mcp" });
    const res = await new Browser(rig).get(authorizePath(p.query));
    assert.equal(res.status, 302);
    assert.equal(
      new URL(res.headers.get("location")!).searchParams.get("error"),
      "invalid_target",
    );
    const a = await approvedCode(rig);
    const wrong = await tokenRequest(rig, {
      grant_type: "authorization_code",
      client_id: a.clientId,
      code: a.code,
      code_verifier: a.verifier,
      redirect_uri: RIG_REDIRECT,
      resource: "https://evil.example/mcp",
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, "invalid_target");

    // A token bound to http://127.0.0.1:8765/mcp is refused when the same
    // server is reached as another resource (another address or path).
    const t = await authorizeFully(rig);
    const elsewhere = await rig.fetch("/mcp", {
      ...mcpPost(t.access, INITIALIZE),
      base: "http://localhost:8765",
    });
    assert.equal(elsewhere.status, 401);
    assert.match(
      elsewhere.headers.get("www-authenticate")!,
      /error="invalid_token", error_description="issued for another resource"/,
    );
    await elsewhere.body?.cancel();
    const here = await rig.fetch("/mcp", mcpPost(t.access, INITIALIZE));
    assert.equal(here.status, 200);
    await here.body?.cancel();
    // A refresh for another resource is refused and changes nothing.
    const refresh = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: t.refresh,
      resource: "https://evil.example/mcp",
    });
    assert.equal(refresh.body.error, "invalid_target");
    const again = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: t.refresh,
      resource: RIG_MCP,
    });
    assert.equal(again.status, 200, "the refresh token still works");
    rig.scanLogs();
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: a spent refresh token used again revokes the whole grant (the thief's and the client's tokens, and its sessions)", async () => {
  const rig = await oauthRig();
  try {
    const t = await authorizeFully(rig);
    const rotated = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: t.refresh,
    });
    assert.equal(rotated.status, 200);
    const newAccess = rotated.body.access_token as string;
    await openSession(rig, newAccess);
    assert.equal(rig.handler.sessionCount, 1);
    const replay = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: t.refresh,
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, "invalid_grant");
    assert.equal(rig.handler.sessionCount, 0, "its sessions ended");
    const res = await rig.fetch("/mcp", mcpPost(newAccess, INITIALIZE));
    assert.equal(res.status, 401);
    await res.body?.cancel();
    const next = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: rotated.body.refresh_token as string,
    });
    assert.equal(next.status, 400, "the rotated refresh token is revoked too");
    // A refresh token is only its own client's.
    const u = await authorizeFully(rig);
    const other = await registerClient(rig);
    const stolen = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: other,
      refresh_token: u.refresh,
    });
    assert.equal(stolen.body.error, "invalid_grant");
    assert.match(rig.lines.join("\n"), /spent refresh token .* used again/);
    rig.scanLogs();
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: the consent form without its CSRF token, from a browser without the page's cookie, or with another browser's cookie is refused (403), and nothing is approved", async () => {
  const rig = await oauthRig();
  try {
    const p = await params(rig);
    const owner = new Browser(rig);
    const page = await owner.get(authorizePath(p.query));
    const { request, csrf } = formFields(await page.text());
    const cookie = page.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\/oauth/);
    // A cross-site form: no cookie (SameSite keeps it home).
    const crossSite = new Browser(rig);
    const r1 = await crossSite.post("/oauth/consent", {
      request,
      csrf,
      action: "plex",
    });
    assert.equal(r1.status, 403);
    await r1.body?.cancel();
    // The attacker's own browser cookie.
    const attacker = new Browser(rig);
    await (await attacker.get(authorizePath(p.query))).body?.cancel();
    const r2 = await attacker.post("/oauth/consent", {
      request,
      csrf,
      action: "secret",
      secret: "guess",
    });
    assert.equal(r2.status, 403);
    await r2.body?.cancel();
    // The owner's cookie without the form's token.
    for (const bad of ["", "x".repeat(43)]) {
      const r3 = await owner.post("/oauth/consent", {
        request,
        csrf: bad,
        action: "plex",
      });
      assert.equal(r3.status, 403);
      await r3.body?.cancel();
    }
    // The attacker's page for their own request, submitted from the
    // owner's browser (login CSRF): refused, the owner never saw it.
    const evilPage = await attacker.get(authorizePath(p.query));
    const evil = formFields(await evilPage.text());
    const r4 = await owner.post("/oauth/consent", {
      ...evil,
      action: "plex",
    });
    assert.equal(r4.status, 403);
    await r4.body?.cancel();
    assert.ok(
      !rig.tv.requests.some((r) => r.method === "POST"),
      "no sign-in was started",
    );
    // The genuine form still works.
    const ok = await owner.post("/oauth/consent", {
      request,
      csrf,
      action: "plex",
    });
    assert.equal(ok.status, 303);
    await ok.body?.cancel();
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: the consent page cannot be framed or run script (CSP frame-ancestors 'none', X-Frame-Options DENY, no script source) and is never cached", async () => {
  const rig = await oauthRig();
  try {
    const p = await params(rig);
    const res = await new Browser(rig).get(authorizePath(p.query));
    const html = await res.text();
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.match(
      csp,
      /form-action 'self' https:\/\/app\.plex\.tv http:\/\/127\.0\.0\.1:33418/,
    );
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.headers.get("referrer-policy"), "same-origin");
    assert.doesNotMatch(html, /<script/i);
    // The client's self-chosen name is shown as text, never as markup.
    const evil = await registerClient(rig, {
      client_name: '<img src=x onerror=alert(1)>"Claude"',
    });
    const q = { ...p.query, client_id: evil };
    const page = await (await new Browser(rig).get(authorizePath(q))).text();
    assert.doesNotMatch(page, /<img/);
    assert.match(
      page,
      /&lt;img src=x onerror=alert\(1\)&gt;&quot;Claude&quot;/,
    );
    assert.match(page, /127\.0\.0\.1:33418/, "where the answer goes is shown");
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth hostile: a Plex account that does not own the server cannot approve; an account the owner lists can", async () => {
  const rig = await oauthRig({ owned: false });
  try {
    const p = await params(rig);
    const browser = new Browser(rig);
    const page = await browser.get(authorizePath(p.query));
    const form = formFields(await page.text());
    const start = await browser.post("/oauth/consent", {
      ...form,
      action: "plex",
    });
    const forward = new URLSearchParams(
      start.headers.get("location")!.split("#?")[1],
    ).get("forwardUrl")!;
    const back = await browser.get(forward.slice(RIG_BASE.length));
    const html = await back.text();
    assert.equal(back.status, 403);
    assert.equal(back.headers.get("location"), null);
    assert.match(html, /does not own the server/);
    rig.scanLogs();
  } finally {
    await rig.close();
  }
  const listed = await oauthRig({
    owned: false,
    settings: { owners: ["viewer@example.com"] },
  });
  try {
    const t = await authorizeFully(listed);
    assert.ok(t.access);
  } finally {
    await listed.close();
  }
});

Deno.test("OAuth hostile: approval with the server's token: a wrong one is refused and counted, five wrong ones pause it, the right one approves", async () => {
  const rig = await oauthRig({ serverSecret: true });
  try {
    const p = await params(rig);
    const browser = new Browser(rig);
    const page = await browser.get(authorizePath(p.query));
    const html = await page.text();
    assert.match(html, /Approve with the server's token/);
    const form = formFields(html);
    for (let i = 0; i < 5; i++) {
      const r = await browser.post("/oauth/consent", {
        ...form,
        action: "secret",
        secret: `wrong-${i}`,
      });
      assert.equal(r.status, 401);
      await r.body?.cancel();
    }
    const paused = await browser.post("/oauth/consent", {
      ...form,
      action: "secret",
      secret: RIG_SERVER_SECRET,
    });
    assert.equal(paused.status, 429);
    const text = await paused.text();
    assert.ok(!text.includes(RIG_SERVER_SECRET));
    rig.clock.now += 15 * 60_000 + 1;
    // The page expired meanwhile (15 minutes): a new one.
    const again = formFields(
      await (await browser.get(authorizePath(p.query))).text(),
    );
    const ok = await browser.post("/oauth/consent", {
      ...again,
      action: "secret",
      secret: RIG_SERVER_SECRET,
    });
    assert.equal(ok.status, 303);
    const to = new URL(ok.headers.get("location")!);
    assert.ok(to.searchParams.get("code"));
    rig.issued.push(to.searchParams.get("code")!);
    // The server's token is not an access token in OAuth mode.
    const res = await rig.fetch("/mcp", mcpPost(RIG_SERVER_SECRET, INITIALIZE));
    assert.equal(res.status, 401);
    await res.body?.cancel();
    rig.scanLogs();
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

Deno.test("OAuth hostile: a session opened with one grant cannot be used with another grant's token", async () => {
  const rig = await oauthRig();
  try {
    const a = await authorizeFully(rig);
    const b = await authorizeFully(rig, { write: false });
    const session = await openSession(rig, a.access);
    const res = await rig.fetch(
      "/mcp",
      mcpPost(
        b.access,
        { jsonrpc: "2.0", id: 5, method: "tools/list" },
        session,
      ),
    );
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await rig.close();
  }
});
