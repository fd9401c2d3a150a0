/**
 * OAuth mode against a hostile client, in process: tokens. A token for
 * another resource, a spent refresh token used again, a session used with
 * another grant's token. Every test also checks that no token, code or
 * secret reached the log.
 */
import assert from "node:assert/strict";
import {
  approvedCode,
  authorizeFully,
  authorizeParams,
  authorizePath,
  Browser,
  INITIALIZE,
  mcpPost,
  oauthRig,
  openSession,
  registerClient,
  RIG_MCP,
  RIG_REDIRECT,
  tokenRequest,
} from "../support/oauth_rig.ts";

Deno.test("OAuth hostile: the resource (RFC 8707) is bound into the token: another resource is refused at authorize, at the exchange, and on every MCP request", async () => {
  const rig = await oauthRig();
  try {
    const p = await authorizeParams(rig, {
      resource: "https://evil.example/mcp",
    });
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
