/**
 * OAuth mode end to end in process (the real endpoint and authorization
 * server, fake Plex and plex.tv): discovery as the MCP authorization
 * specification describes it, registration, the owner's consent by
 * signing in with Plex, the code exchange, scopes mapped onto the
 * read-only filter, refresh rotation and revocation. The hostile cases
 * are in oauth_hostile_*_test.ts (codes, tokens, consent, registration).
 */
import assert from "node:assert/strict";
import {
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
  OAuthTokensSchema,
} from "../../src/http/oauth/sdk_auth.ts";
import {
  authorizeFully,
  INITIALIZE,
  mcpPost,
  oauthRig,
  openSession,
  RIG_BASE,
  RIG_MCP,
  tokenRequest,
  toolNames,
} from "../support/oauth_rig.ts";

Deno.test("OAuth discovery: 401 names the resource metadata; RFC 9728 and RFC 8414 documents parse with the SDK's schemas", async () => {
  const rig = await oauthRig();
  try {
    const res = await rig.fetch("/mcp", mcpPost(undefined, INITIALIZE));
    assert.equal(res.status, 401);
    await res.body?.cancel();
    const challenge = res.headers.get("www-authenticate")!;
    assert.match(
      challenge,
      new RegExp(
        `^Bearer resource_metadata="${RIG_BASE}/\\.well-known/oauth-protected-resource/mcp"`,
      ),
    );
    assert.match(challenge, /scope="plex:read plex:write"/);
    for (
      const path of [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
      ]
    ) {
      const prm = OAuthProtectedResourceMetadataSchema.parse(
        await (await rig.fetch(path)).json(),
      );
      assert.equal(prm.resource, RIG_MCP);
      assert.deepEqual(prm.authorization_servers, [RIG_BASE]);
      assert.deepEqual(prm.scopes_supported, ["plex:read", "plex:write"]);
    }
    const as = OAuthMetadataSchema.parse(
      await (await rig.fetch("/.well-known/oauth-authorization-server")).json(),
    );
    assert.equal(as.issuer, RIG_BASE);
    assert.equal(as.authorization_endpoint, `${RIG_BASE}/oauth/authorize`);
    assert.equal(as.token_endpoint, `${RIG_BASE}/oauth/token`);
    assert.equal(as.registration_endpoint, `${RIG_BASE}/oauth/register`);
    assert.equal(as.revocation_endpoint, `${RIG_BASE}/oauth/revoke`);
    assert.deepEqual(as.code_challenge_methods_supported, ["S256"]);
    assert.deepEqual(as.token_endpoint_auth_methods_supported, ["none"]);
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth: register, consent by signing in with Plex, code with state and iss, tokens in the SDK's shape, MCP works with the access token", async () => {
  const rig = await oauthRig();
  try {
    const t = await authorizeFully(rig);
    assert.equal(t.scope, "plex:read plex:write");
    OAuthTokensSchema.parse({
      access_token: t.access,
      refresh_token: t.refresh,
      token_type: "Bearer",
    });
    const session = await openSession(rig, t.access);
    const names = await toolNames(rig, t.access, session);
    assert.ok(names.includes("get_libraries"));
    assert.ok(names.includes("create_playlist"), "write scope: write tools");
    // plex.tv was asked for the account's resources with the PIN's token.
    assert.ok(
      rig.tv.requests.some((r) =>
        r.path.startsWith("/api/v2/resources") && r.withToken
      ),
    );
    rig.scanLogs();
    assert.match(
      rig.lines.join("\n"),
      /approved by viewer for plex:read plex:write/,
    );
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth scopes: a grant without plex:write sees no write tool (the read-only filter), and cannot call one", async () => {
  const rig = await oauthRig();
  try {
    // The client asks for both; the owner unticks "allow changes".
    const t = await authorizeFully(rig, { write: false });
    assert.equal(t.scope, "plex:read");
    const session = await openSession(rig, t.access);
    const names = await toolNames(rig, t.access, session);
    assert.ok(names.includes("get_libraries"));
    for (const w of ["create_playlist", "mark_watched", "delete_playlist"]) {
      assert.ok(!names.includes(w), `${w} hidden`);
    }
    const call = await rig.fetch(
      "/mcp",
      mcpPost(t.access, {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "mark_watched", arguments: { ratingKey: "1" } },
      }, session),
    );
    const text = await call.text();
    assert.match(text, /mark_watched/);
    assert.doesNotMatch(text, /"isError":false/);
    assert.ok(
      !rig.fake.requests.some((r) => r.method !== "GET"),
      "nothing written",
    );
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth refresh: rotates (a new refresh token each time, the old one spent), the grant's scope kept, the new access token works", async () => {
  const rig = await oauthRig();
  try {
    const t = await authorizeFully(rig);
    const r1 = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: t.refresh,
      resource: RIG_MCP,
    });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    assert.notEqual(r1.body.refresh_token, t.refresh);
    assert.notEqual(r1.body.access_token, t.access);
    assert.equal(r1.body.scope, "plex:read plex:write");
    assert.equal(r1.body.expires_in, 3600);
    const session = await openSession(rig, r1.body.access_token as string);
    assert.ok(session);
    rig.scanLogs();
  } finally {
    await rig.close();
  }
});

Deno.test("OAuth revocation (RFC 7009): a revoked refresh token ends the grant, its access tokens and its open sessions; an unknown token is 200 and changes nothing", async () => {
  const rig = await oauthRig();
  try {
    const t = await authorizeFully(rig);
    const session = await openSession(rig, t.access);
    const revoke = (token: string) =>
      rig.fetch("/oauth/revoke", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, client_id: t.clientId }).toString(),
      });
    const unknown = await revoke("not-a-token-at-all");
    assert.equal(unknown.status, 200);
    assert.equal(rig.handler.sessionCount, 1);
    const res = await revoke(t.refresh);
    assert.equal(res.status, 200);
    assert.equal(rig.handler.sessionCount, 0, "the grant's session ended");
    const after = await rig.fetch(
      "/mcp",
      mcpPost(
        t.access,
        { jsonrpc: "2.0", id: 9, method: "tools/list" },
        session,
      ),
    );
    assert.equal(after.status, 401);
    assert.match(after.headers.get("www-authenticate")!, /invalid_token/);
    await after.body?.cancel();
    const refresh = await tokenRequest(rig, {
      grant_type: "refresh_token",
      client_id: t.clientId,
      refresh_token: t.refresh,
    });
    assert.equal(refresh.status, 400);
    assert.equal(refresh.body.error, "invalid_grant");
  } finally {
    await rig.close();
  }
});
