/**
 * Discovery: the protected-resource metadata of the MCP endpoint (RFC
 * 9728) and the authorization server's metadata (RFC 8414), in the SDK's
 * shapes, and where each endpoint lives. The issuer is the server's
 * public origin; the resource is the MCP endpoint's URL on it.
 *
 * @module
 */
import type {
  OAuthMetadata,
  OAuthProtectedResourceMetadata,
} from "./sdk_auth.ts";
import { PKCE_METHOD } from "./pkce.ts";

/** Paths of the authorization server's endpoints. */
export const OAUTH_PATHS = {
  /** RFC 8414 metadata. */
  authorizationServer: "/.well-known/oauth-authorization-server",
  /** RFC 9728 metadata (and its path-suffixed form). */
  protectedResource: "/.well-known/oauth-protected-resource",
  /** The consent page (authorization endpoint). */
  authorize: "/oauth/authorize",
  /** The owner's decision on the consent page (form POST). */
  consent: "/oauth/consent",
  /** Where plex.tv sends the owner back after signing in. */
  plexReturn: "/oauth/plex",
  /** Token endpoint. */
  token: "/oauth/token",
  /** Dynamic client registration. */
  register: "/oauth/register",
  /** Token revocation (RFC 7009). */
  revoke: "/oauth/revoke",
} as const;

/** The protected-resource metadata URL for the endpoint at `path` (RFC 9728 §3.1). */
export function resourceMetadataUrl(base: string, path: string): string {
  return `${base}${OAUTH_PATHS.protectedResource}${path === "/" ? "" : path}`;
}

/** RFC 9728 metadata of the MCP endpoint. */
export function protectedResourceMetadata(
  base: string,
  path: string,
  scopes: readonly string[],
): OAuthProtectedResourceMetadata {
  return {
    resource: `${base}${path}`,
    authorization_servers: [base],
    scopes_supported: [...scopes],
    bearer_methods_supported: ["header"],
    resource_name: "plexmcp (Plex Media Server)",
  };
}

/** RFC 8414 metadata of the authorization server at `base`. */
export function authorizationServerMetadata(
  base: string,
  scopes: readonly string[],
): OAuthMetadata {
  return {
    issuer: base,
    authorization_endpoint: `${base}${OAUTH_PATHS.authorize}`,
    token_endpoint: `${base}${OAUTH_PATHS.token}`,
    registration_endpoint: `${base}${OAUTH_PATHS.register}`,
    revocation_endpoint: `${base}${OAUTH_PATHS.revoke}`,
    scopes_supported: [...scopes],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    code_challenge_methods_supported: [PKCE_METHOD],
    // RFC 9207: the authorization response names its issuer.
    authorization_response_iss_parameter_supported: true,
  };
}
