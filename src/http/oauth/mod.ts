/**
 * OAuth 2.1 for `serve --http` (`PLEX_HTTP_AUTH=oauth`), following the MCP
 * authorization specification: discovery, dynamic registration of public
 * clients, the authorization code with PKCE (S256) and the owner's consent
 * by signing in with Plex, rotating refresh tokens, revocation, and access
 * tokens bound to this resource, checked on every MCP request. Scopes map
 * onto the read-only filter.
 *
 * @module
 */
export {
  OAuthServer,
  type OAuthServerOptions,
} from "./authorization_server.ts";
export {
  type AuthSettings,
  type HttpAuthMode,
  loadAuthSettings,
  type OAuthSettings,
} from "./settings.ts";
export { grantsWrite, READ_SCOPE, WRITE_SCOPE } from "./scopes.ts";
export { StateFileError } from "./state_file.ts";
export { DEFAULT_LIMITS, type Grant, type OAuthLimits } from "./store.ts";
