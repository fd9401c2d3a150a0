/**
 * The MCP SDK's OAuth shapes (`@modelcontextprotocol/sdk/shared/auth.js`),
 * imported in one place with their real types (see `src/sdk.ts` for why
 * the `@ts-types` directives are needed). Only the web-standard schemas:
 * the SDK's server-side auth router is Express-based and is not used.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/shared/auth"
export {
  OAuthClientInformationFullSchema,
  OAuthClientMetadataSchema,
  OAuthErrorResponseSchema,
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
  OAuthTokenRevocationRequestSchema,
  OAuthTokensSchema,
} from "@modelcontextprotocol/sdk/shared/auth.js";
// @ts-types="@modelcontextprotocol/sdk/shared/auth"
export type {
  OAuthClientInformationFull,
  OAuthClientMetadata,
  OAuthErrorResponse,
  OAuthMetadata,
  OAuthProtectedResourceMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
