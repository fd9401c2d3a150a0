/**
 * The Plex client on its own: typed models, errors and `PlexClient`.
 *
 * @module
 */
export {
  type FetchLike,
  type HttpMethod,
  type PageOptions,
  PlexClient,
  type PlexClientOptions,
  type PlexTvAccess,
  type RequestOptions,
  type ResponseSchema,
} from "./client.ts";
export {
  type ConnectionFailure,
  PlexApiError,
  PlexAuthError,
  PlexConnectionError,
  PlexError,
  PlexIdentityError,
  PlexNotFoundError,
  PlexResponseError,
} from "../transport/errors.ts";
export type * from "./models.ts";
export type { CacheStats } from "../transport/cache.ts";
export type { QueryValue } from "../transport/request.ts";
