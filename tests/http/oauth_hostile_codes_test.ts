/**
 * OAuth mode against a hostile client, in process: authorization codes.
 * PKCE missing, plain or wrong; redirect-URI mismatches; codes reused or
 * expired. Every test also checks that no token, code or secret reached
 * the log.
 */
import assert from "node:assert/strict";
import {
  approvedCode,
  authorizeParams,
  authorizePath,
  Browser,
  INITIALIZE,
  mcpPost,
  oauthRig,
  openSession,
  pkcePair,
  registerClient,
  RIG_REDIRECT,
  tokenRequest,
} from "../support/oauth_rig.ts";

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
      const p = await authorizeParams(rig, extra);
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
    const p = await authorizeParams(rig);
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
