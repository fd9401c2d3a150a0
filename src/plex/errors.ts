/**
 * The errors a Plex server call raises. They belong to the transport that
 * both the Plex server client and the plex.tv client sit on.
 *
 * @module
 */
export * from "../transport/errors.ts";
