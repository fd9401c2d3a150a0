/**
 * Fake plex.tv: plex.tv accounts: the owner and Home members, Home, friends, resources.
 *
 * @module
 */
import {
  ACCOUNT_ID,
  ACCOUNT_UUID,
  type FakeFriend,
  type FakeHomeUser,
  type FakePlexTvState,
} from "../state.ts";

/** The owner's account, as a switch back to the owner answers it. */
export function ownerAccount(tv: FakePlexTvState): Record<string, unknown> {
  return {
    id: ACCOUNT_ID,
    uuid: ACCOUNT_UUID,
    username: tv.accountUsername,
    title: tv.accountTitle,
    email: "viewer@example.com",
    thumb: `https://plex.tv/users/${ACCOUNT_UUID}/avatar?c=1630875354`,
    home: tv.home.length > 0,
    homeAdmin: tv.home.length > 0,
    restricted: false,
  };
}

/** A member's account, as `/api/v2/user` and the switch answer it. */
export function memberAccount(
  member: FakeHomeUser,
): Record<string, unknown> {
  return {
    id: member.id,
    uuid: member.uuid,
    username: member.username ?? "",
    title: member.title,
    email: member.username ? `${member.username}@example.com` : null,
    friendlyName: "",
    thumb: `https://plex.tv/users/${member.uuid}/avatar?c=1630875354`,
    authToken: member.token,
    home: true,
    homeAdmin: false,
    restricted: member.restricted ?? false,
    protected: member.pin !== undefined,
    subscription: { active: false, status: "Inactive", features: [] },
  };
}

/** `/api/v2/home/users` in JSON (plexopedia's XML `<home><users>`). */
export function homeBody(tv: FakePlexTvState): Record<string, unknown> {
  const user = (u: Record<string, unknown>) => ({
    hasPassword: false,
    guest: false,
    updatedAt: 1_700_000_000,
    restrictionProfile: null,
    friendlyName: null,
    ...u,
  });
  return {
    id: 77001,
    name: `${tv.accountTitle}'s Home`,
    guestUserID: 0,
    guestUserUUID: "",
    guestEnabled: false,
    subscription: false,
    users: [
      user({
        id: ACCOUNT_ID,
        uuid: ACCOUNT_UUID,
        title: tv.accountTitle,
        username: tv.accountUsername,
        email: "viewer@example.com",
        thumb: `https://plex.tv/users/${ACCOUNT_UUID}/avatar?c=1`,
        hasPassword: true,
        restricted: false,
        admin: true,
        protected: false,
      }),
      ...tv.home.map((m) =>
        user({
          id: m.id,
          uuid: m.uuid,
          title: m.title,
          username: m.username ?? null,
          email: m.username ? `${m.username}@example.com` : null,
          thumb: `https://plex.tv/users/${m.uuid}/avatar?c=1`,
          restricted: m.restricted ?? false,
          admin: false,
          protected: m.pin !== undefined,
        })
      ),
    ],
  };
}

/** A friend in the recorded `/api/v2/friends` shape. */
export function friend(
  tv: FakePlexTvState,
  f: FakeFriend,
): Record<string, unknown> {
  return {
    status: "accepted",
    id: f.id,
    uuid: f.uuid,
    title: f.title,
    username: f.username,
    restricted: false,
    email: `${f.username}@example.com`,
    friendlyName: null,
    thumb: `https://plex.tv/users/${f.uuid}/avatar?c=1`,
    home: false,
    sharedServers: tv.servers.filter((s) => s.owned).map((s, i) => ({
      id: i + 1,
      name: s.name,
      machineIdentifier: s.machineIdentifier,
      owned: true,
      allLibraries: true,
      numLibraries: 0,
      libraries: [],
    })),
  };
}

/** A Home member's resources: the servers shared with them, their tokens. */
export function memberResources(
  tv: FakePlexTvState,
  member: FakeHomeUser,
  url: URL,
): unknown[] {
  const shared = tv.servers.filter((s) =>
    member.serverTokens[s.machineIdentifier] !== undefined
  ).map((s) => ({
    ...s,
    accessToken: member.serverTokens[s.machineIdentifier]!,
    owned: false,
    sourceTitle: tv.accountTitle,
  }));
  const before = tv.servers;
  tv.servers = shared;
  try {
    return resources(tv, url).filter((r) =>
      (r as { provides?: string }).provides === "server"
    );
  } finally {
    tv.servers = before;
  }
}

/** `/api/v2/resources` in the recorded shape (`plextv__GET__api_v2_resources.multi.json`). */
export function resources(tv: FakePlexTvState, url: URL): unknown[] {
  const https = url.searchParams.get("includeHttps") === "1";
  const relay = url.searchParams.get("includeRelay") === "1";
  return [
    ...tv.servers.map((s) => ({
      name: s.name,
      product: "Plex Media Server",
      productVersion: "1.41.3.9314-a0bfb8370",
      platform: "Linux",
      platformVersion: "6.1.0",
      device: "PC",
      clientIdentifier: s.machineIdentifier,
      createdAt: "2020-01-12T15:30:18Z",
      lastSeenAt: "2026-11-30T03:15:45Z",
      provides: "server",
      ownerId: s.owned ? null : 2639453,
      sourceTitle: s.owned ? null : (s.sourceTitle ?? "friend"),
      publicAddress: "203.0.113.7",
      accessToken: s.accessToken,
      owned: s.owned,
      home: false,
      synced: false,
      relay: true,
      presence: true,
      httpsRequired: false,
      publicAddressMatches: false,
      dnsRebindingProtection: false,
      natLoopbackSupported: false,
      connections: s.connections
        // Relay connections are listed only when asked for; https ones
        // (plex.direct) only with includeHttps (API.md §2.2).
        .filter((c) => relay || !c.relay)
        .filter((c) => https || !c.uri.startsWith("https:"))
        .map((c) => {
          const u = new URL(c.uri);
          return {
            protocol: u.protocol.replace(":", ""),
            address: c.address ?? u.hostname,
            port: c.port ?? Number(u.port || 32400),
            uri: c.uri,
            local: c.local,
            relay: c.relay ?? false,
            IPv6: false,
          };
        }),
    })),
    // A player on the account: resources lists every device, not only
    // servers (provides "player").
    {
      name: "Living Room TV",
      product: "Plex for Android (TV)",
      productVersion: "10.0",
      platform: "Android",
      clientIdentifier: "fake-player-0001",
      provides: "player,pubsub-player",
      owned: true,
      presence: true,
      connections: [],
    },
  ];
}
