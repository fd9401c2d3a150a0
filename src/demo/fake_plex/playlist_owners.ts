/**
 * Fake Plex: whose each playlist is. Plex keeps playlists per account: a
 * token lists, reads and changes its own account's only (python-plexapi's
 * copyToUser exists for that reason, and its live test finds the copy in
 * the other user's `playlists()` only, tests/test_playlist.py
 * test_Playlist_copyToUser; "404 not found or no permission", spec:10285,
 * API.md §21). The demo library's playlists are the owner's; one created
 * with a Home member's or friend's token (see viewers.ts) is theirs.
 *
 * @module
 */
import type { FakePlexState, RouteContext } from "./state.ts";
import type { DemoPlaylist } from "../library.ts";

/** The owner's server account id (`/accounts`: 1). */
export const OWNER_ACCOUNT_ID = 1;

const owners = new WeakMap<DemoPlaylist, number>();

/** The server account a request comes from: a viewer's, else the owner's. */
export function requesterAccount(
  fake: FakePlexState,
  ctx: RouteContext,
): number {
  const token = ctx.req.headers.get("X-Plex-Token") ??
    ctx.url.searchParams.get("X-Plex-Token");
  const viewer = token === null ? undefined : fake.viewers.get(token);
  return viewer?.accountID ?? OWNER_ACCOUNT_ID;
}

/** The account a playlist belongs to. */
export function playlistOwner(p: DemoPlaylist): number {
  return owners.get(p) ?? OWNER_ACCOUNT_ID;
}

/** Gives a playlist to an account. */
export function setPlaylistOwner(p: DemoPlaylist, accountID: number): void {
  owners.set(p, accountID);
}

/** The playlist `ratingKey` if the requester owns it, else undefined. */
export function ownPlaylist(
  fake: FakePlexState,
  ctx: RouteContext,
  ratingKey: string,
): DemoPlaylist | undefined {
  const p = fake.library.playlists.get(ratingKey);
  return p && playlistOwner(p) === requesterAccount(fake, ctx) ? p : undefined;
}
