/**
 * The MCP endpoint's side of OAuth (MCP authorization, "Access token
 * usage"): every request carries `Authorization: Bearer <access token>`;
 * the token must be live and bound to this very resource (RFC 8707: a
 * token issued for another server, or for this one under another
 * address, is refused). A 401 names the protected-resource metadata
 * (RFC 9728 §5.1), so a client knows where to authorize.
 *
 * @module
 */
import { rpcError } from "../guard.ts";
import { type OAuthContext, sameResource } from "./context.ts";
import { resourceMetadataUrl } from "./metadata.ts";
import type { Grant } from "./store.ts";

function challenge(
  base: string,
  ctx: OAuthContext,
  error?: { code: string; description: string },
): string {
  const parts = [
    `Bearer resource_metadata="${resourceMetadataUrl(base, ctx.path)}"`,
    `scope="${ctx.scopes.join(" ")}"`,
  ];
  if (error) {
    parts.push(
      `error="${error.code}"`,
      `error_description="${error.description}"`,
    );
  }
  return parts.join(", ");
}

/** The grant behind the request's access token, or the 401 answer. */
export async function checkBearer(
  req: Request,
  ctx: OAuthContext,
  base: string,
): Promise<Grant | Response> {
  const header = req.headers.get("authorization");
  if (!header) {
    return rpcError(
      401,
      -32001,
      "Unauthorized: this server uses OAuth; authorize with the authorization server named by the resource_metadata in WWW-Authenticate",
      { "WWW-Authenticate": challenge(base, ctx) },
    );
  }
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(header);
  if (!m) {
    return rpcError(
      401,
      -32001,
      "Unauthorized: the Authorization header must be 'Bearer <access token>'",
      {
        "WWW-Authenticate": challenge(base, ctx, {
          code: "invalid_request",
          description: "malformed Authorization header",
        }),
      },
    );
  }
  const grant = await ctx.store.verifyAccess(m[1]!);
  if (!grant) {
    return rpcError(
      401,
      -32001,
      "Unauthorized: the access token is unknown, expired or revoked; refresh it or authorize again",
      {
        "WWW-Authenticate": challenge(base, ctx, {
          code: "invalid_token",
          description: "unknown, expired or revoked",
        }),
      },
    );
  }
  if (!sameResource(grant.resource, `${base}${ctx.path}`)) {
    ctx.logger.warn(
      `OAuth: an access token of client ${grant.clientId} issued for another resource was refused`,
    );
    return rpcError(
      401,
      -32001,
      "Unauthorized: the access token was issued for another resource (RFC 8707); authorize for this server's address",
      {
        "WWW-Authenticate": challenge(base, ctx, {
          code: "invalid_token",
          description: "issued for another resource",
        }),
      },
    );
  }
  return grant;
}
