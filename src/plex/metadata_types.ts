/**
 * Plex's numeric metadata types (the `type=` filter of library listings and
 * the `type` numbers in search and hubs), by type name.
 *
 * @module
 */

/** Type name → Plex's numeric metadata type. */
export const PLEX_TYPE_NUMBERS = {
  movie: 1,
  show: 2,
  season: 3,
  episode: 4,
  artist: 8,
  album: 9,
  track: 10,
  photo: 13,
  collection: 18,
} as const;

/** A type name that has a numeric Plex type. */
export type PlexTypeName = keyof typeof PLEX_TYPE_NUMBERS;
