/**
 * The token endpoint (OAuth 2.1 §3.2): `authorization_code` with the PKCE
 * verifier, and `refresh_token`, for public clients (the `client_id` in
 * the form). A code is spent the moment it is presented; a second use
 * revokes what the first issued. The `resource` (RFC 8707), when given,
 * must be the one the grant is bound to. Answers carry tokens only here,
 * and are never cached.
 *
 * @module
 */
import { clientIdOf, readForm } from "./body.ts";
import { type OAuthContext, sameResource } from "./context.ts";
import { jsonAnswer, NO_STORE, oauthError } from "./errors.ts";
import { verifyPkce } from "./pkce.ts";
import type { OAuthTokens } from "./sdk_auth.ts";
import { normalizeScopes, scopeString } from "./scopes.ts";
import type { IssuedTokens } from "./store.ts";

/** Largest token request body, bytes. */
const MAX_TOKEN_BYTES = 16 * 1024;

/** Token answers: the handler leaves these out of its redaction (they carry new tokens on purpose). */
export const TOKEN_ANSWERS: WeakSet<Response> = new WeakSet();

function tokensAnswer(issued: IssuedTokens): Response {
  const body: OAuthTokens = {
    access_token: issued.accessToken,
    token_type: "Bearer",
    expires_in: issued.expiresIn,
    refresh_token: issued.refreshToken,
    scope: scopeString(issued.grant.scopes),
  };
  const response = jsonAnswer(200, body, NO_STORE);
  TOKEN_ANSWERS.add(response);
  return response;
}

/** `POST /oauth/token`. */
export async function tokenEndpoint(
  req: Request,
  ctx: OAuthContext,
): Promise<Response> {
  const form = await readForm(req, MAX_TOKEN_BYTES);
  if (form instanceof Response) return form;
  const clientId = clientIdOf(req, form);
  const client = clientId ? ctx.store.client(clientId) : undefined;
  if (!clientId || !client) {
    return oauthError(
      401,
      "invalid_client",
      clientId
        ? "Unknown client: register again"
        : "Name the client: client_id (public clients have no secret)",
      { "WWW-Authenticate": 'Basic realm="plexmcp"' },
    );
  }
  const grantType = form.get("grant_type");
  if (grantType === "authorization_code") {
    return await codeGrant(form, clientId, ctx);
  }
  if (grantType === "refresh_token") {
    return await refreshGrant(form, clientId, ctx);
  }
  return oauthError(
    400,
    grantType ? "unsupported_grant_type" : "invalid_request",
    grantType
      ? "grant_type must be authorization_code or refresh_token"
      : "grant_type is required",
  );
}

async function codeGrant(
  form: URLSearchParams,
  clientId: string,
  ctx: OAuthContext,
): Promise<Response> {
  const code = form.get("code");
  const verifier = form.get("code_verifier");
  if (!code) return oauthError(400, "invalid_request", "code is required");
  const taken = await ctx.store.takeCode(code);
  if (taken === "reused") {
    ctx.logger.warn(
      `OAuth: an authorization code of client ${clientId} was presented twice: what it issued is revoked`,
    );
    return oauthError(
      400,
      "invalid_grant",
      "The authorization code was already used",
    );
  }
  if (!taken) {
    return oauthError(
      400,
      "invalid_grant",
      "The authorization code is unknown or expired",
    );
  }
  const c = taken.code;
  if (c.clientId !== clientId) {
    return oauthError(
      400,
      "invalid_grant",
      "The authorization code was issued to another client",
    );
  }
  const redirectUri = form.get("redirect_uri");
  if (
    (c.redirectUriGiven && redirectUri === null) ||
    (redirectUri !== null && redirectUri !== c.redirectUri)
  ) {
    return oauthError(
      400,
      "invalid_grant",
      "redirect_uri does not match the authorization request",
    );
  }
  if (!verifier) {
    return oauthError(
      400,
      "invalid_request",
      "code_verifier is required (PKCE)",
    );
  }
  if (!await verifyPkce(verifier, c.challenge)) {
    return oauthError(
      400,
      "invalid_grant",
      "code_verifier does not match the code_challenge",
    );
  }
  const resource = form.get("resource");
  if (resource !== null && !sameResource(resource, c.resource)) {
    return oauthError(
      400,
      "invalid_target",
      "resource is not the one the code was issued for",
    );
  }
  const issued = await ctx.store.issue(c);
  taken.accept(issued.grant.id);
  ctx.logger.info(
    `OAuth: client ${clientId} obtained tokens (${
      scopeString(issued.grant.scopes)
    })`,
  );
  return tokensAnswer(issued);
}

async function refreshGrant(
  form: URLSearchParams,
  clientId: string,
  ctx: OAuthContext,
): Promise<Response> {
  const token = form.get("refresh_token");
  if (!token) {
    return oauthError(400, "invalid_request", "refresh_token is required");
  }
  const scope = form.get("scope");
  const resource = form.get("resource");
  const asked = scope === null
    ? undefined
    : normalizeScopes(scope.split(" ").filter(Boolean));
  let refusal: Response | undefined;
  const result = await ctx.store.refresh(token, clientId, (grant) => {
    if (resource !== null && !sameResource(resource, grant.resource)) {
      refusal = oauthError(
        400,
        "invalid_target",
        "resource is not the one this grant is bound to",
      );
    } else if (
      scope !== null &&
      (asked!.length === 0 ||
        scope.split(" ").some((s) => s && !grant.scopes.includes(s)))
    ) {
      refusal = oauthError(
        400,
        "invalid_scope",
        "scope may only narrow what was granted",
      );
    } else if (asked) {
      // A narrower scope applies from now on (RFC 6749 §6).
      grant.scopes = asked;
    }
    return refusal === undefined;
  });
  if (refusal) return refusal;
  if (typeof result === "string") {
    if (result === "reused") {
      ctx.logger.warn(
        `OAuth: a spent refresh token of client ${clientId} was used again (copied?): its grant is revoked`,
      );
    }
    return oauthError(
      400,
      "invalid_grant",
      result === "reused"
        ? "The refresh token was already used: every token of this grant is revoked; authorize again"
        : result === "expired"
        ? "The refresh token expired: authorize again"
        : "The refresh token is unknown, revoked or not this client's",
    );
  }
  return tokensAnswer(result);
}
