/**
 * OAuth mode against a hostile page or person, in process: the consent
 * page. CSRF and framing, approval by someone who does not own the server,
 * approval with the server's token. Every test also checks that no token,
 * code or secret reached the log.
 */
import assert from "node:assert/strict";
import {
  authorizeFully,
  authorizeParams,
  authorizePath,
  Browser,
  formFields,
  INITIALIZE,
  mcpPost,
  oauthRig,
  registerClient,
  RIG_BASE,
  RIG_SERVER_SECRET,
} from "../support/oauth_rig.ts";

Deno.test("OAuth hostile: the consent form without its CSRF token, from a browser without the page's cookie, or with another browser's cookie is refused (403), and nothing is approved", async () => {
  const rig = await oauthRig();
  try {
    const p = await authorizeParams(rig);
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
    const p = await authorizeParams(rig);
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
    const p = await authorizeParams(rig);
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
    const p = await authorizeParams(rig);
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
