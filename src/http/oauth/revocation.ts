/**
 * Token revocation (RFC 7009): a public client names itself with
 * `client_id` and revokes one of its tokens. A refresh token ends its
 * whole grant (every access token with it); an access token ends only
 * itself. An unknown token, or another client's, changes nothing and is
 * answered 200 all the same (§2.2: the client cannot act on the
 * difference, and nobody learns whether a token exists).
 *
 * @module
 */
import { clientIdOf, readForm } from "./body.ts";
import type { OAuthContext } from "./context.ts";
import { NO_STORE, oauthError } from "./errors.ts";

/** `POST /oauth/revoke`. */
export async function revocationEndpoint(
  req: Request,
  ctx: OAuthContext,
): Promise<Response> {
  const form = await readForm(req, 8 * 1024);
  if (form instanceof Response) return form;
  const clientId = clientIdOf(req, form);
  if (!clientId || !ctx.store.client(clientId)) {
    return oauthError(
      401,
      "invalid_client",
      clientId ? "Unknown client" : "Name the client: client_id",
    );
  }
  const token = form.get("token");
  if (!token) return oauthError(400, "invalid_request", "token is required");
  const what = await ctx.store.revokeToken(token, clientId);
  if (what !== "none") {
    ctx.logger.info(
      `OAuth: client ${clientId} revoked ${
        what === "grant" ? "its grant" : "an access token"
      }`,
    );
  }
  return new Response(null, { status: 200, headers: NO_STORE });
}
