/**
 * Fake Plex and plex.tv together: sharing the server with a friend or a
 * Home member. A share is listed by plex.tv's `shared_servers`
 * (fake_plextv.ts) with the user's own token for this server, and the fake
 * Plex accepts that token as theirs (a viewer, viewers.ts: their own watch
 * state and their own playlists, playlist_owners.ts; the owner's endpoints
 * refused).
 *
 * @module
 */
import type { FakePlexState } from "./state.ts";
import type { FakeShare } from "../fake_plextv/mod.ts";

/** Someone a server can be shared with: a friend or a Home member. */
export interface ShareUser {
  /** plex.tv id. */
  id: number;
  /** Display name. */
  title: string;
  /** User name (a managed Home member has none). */
  username?: string;
}

/** The token a share of the fake server carries. */
export function shareToken(user: ShareUser, machineIdentifier: string): string {
  return `share-${user.username ?? "managed"}-${user.id}-${
    machineIdentifier.slice(0, 6)
  }`;
}

/**
 * Shares `fake`'s server with `friend`: every library, or those whose keys
 * are in `options.sections`. Returns the share (its `accessToken` is the
 * friend's token).
 */
export function shareServer(
  fake: FakePlexState,
  friend: ShareUser,
  options: { sections?: string[]; token?: string } = {},
): FakeShare {
  const lib = fake.library;
  const token = options.token ?? shareToken(friend, lib.machineIdentifier);
  if (!fake.viewers.has(token)) {
    fake.addViewer(token, {
      name: friend.title,
      // A friend's server account id is their plex.tv id.
      accountID: friend.id,
      state: new Map(),
    });
  }
  const share: FakeShare = {
    id: 40_000 + fake.plexTv.shares.length + 1,
    machineIdentifier: lib.machineIdentifier,
    userID: friend.id,
    // A managed user has neither (as plex.tv lists them, API.md §24.3).
    username: friend.username ?? "",
    email: friend.username ? `${friend.username}@example.com` : "",
    accessToken: token,
    sections: [...lib.sections.values()].map((s) => ({
      id: 118_000_000 + s.id,
      key: String(s.id),
      title: String(s.raw.title),
      type: String(s.raw.type),
      shared: options.sections?.includes(String(s.id)) ?? true,
    })),
  };
  fake.plexTv.shares.push(share);
  return share;
}

/**
 * Shares the server with every friend of the account (the demo's Riley,
 * whom the demo describes as a friend the server is shared with) and lists
 * the share of every Home member who has a token for it (their access comes
 * from a share too), where plex.tv does not list one yet.
 */
export function shareWithFriends(fake: FakePlexState): void {
  const machine = fake.library.machineIdentifier;
  const listed = (id: number) =>
    fake.plexTv.shares.some((s) =>
      s.userID === id && s.machineIdentifier === machine
    );
  for (const member of fake.plexTv.home) {
    const token = member.serverTokens[machine];
    if (token && !listed(member.id)) shareServer(fake, member, { token });
  }
  for (const friend of fake.plexTv.friends) {
    if (!listed(friend.id)) shareServer(fake, friend);
  }
}
