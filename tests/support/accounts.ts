/**
 * A fake Plex account for login and multi-server tests: a loopback fake
 * plex.tv listing two loopback fake Plex servers, an owned one with the
 * account token and a shared one with its own token (API.md §0.1: a shared
 * server takes its `accessToken` from resources, not the account token).
 */
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { type ServedFake, serveFake } from "../../src/demo/serve.ts";
import {
  FakePlexTv,
  type FakePlexTvServer,
  type ServedFakePlexTv,
  serveFakePlexTv,
} from "../../src/demo/fake_plextv/mod.ts";

/** The account token plex.tv hands out when the PIN is linked. */
export const ACCOUNT_TOKEN = "acct-SECRET-5c1e7d2b90aa";
/** The shared server's own token. */
export const SHARED_TOKEN = "shrd-SECRET-0f4b8e6a13cc";

/** A port nothing listens on (bound, then released). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The fake account and everything it serves. */
export interface FakeAccount {
  /** Fake plex.tv. */
  tv: FakePlexTv;
  /** Where it is served. */
  tvServed: ServedFakePlexTv;
  /** The owned server ("Home"). */
  home: FakePlex;
  /** Where it is served. */
  homeServed: ServedFake;
  /** The shared server ("Cabin", shared by "bob"). */
  cabin: FakePlex;
  /** Where it is served. */
  cabinServed: ServedFake;
  /** A closed loopback port listed first for each server (a dead LAN address). */
  deadPort: number;
  /** Stops everything. */
  close(): Promise<void>;
}

/** Starts the fake account. */
export function startAccount(
  options: { linkAfterPolls?: number; expireAfterPolls?: number } = {},
): FakeAccount {
  const home = new FakePlex({ token: ACCOUNT_TOKEN });
  home.library.name = "Home";
  home.library.machineIdentifier = "home0000000000000000000000000000000000a1";
  const cabin = new FakePlex({ token: SHARED_TOKEN });
  cabin.library.name = "Cabin";
  cabin.library.machineIdentifier = "cabin000000000000000000000000000000000b2";
  const homeServed = serveFake(home);
  const cabinServed = serveFake(cabin);
  const deadPort = closedPort();
  const servers: FakePlexTvServer[] = [
    {
      name: "Home",
      machineIdentifier: home.library.machineIdentifier,
      accessToken: ACCOUNT_TOKEN,
      owned: true,
      connections: [
        // A local address that does not answer, then a working one.
        { uri: `http://127.0.0.1:${deadPort}`, local: true },
        { uri: homeServed.url, local: true },
      ],
    },
    {
      name: "Cabin",
      machineIdentifier: cabin.library.machineIdentifier,
      accessToken: SHARED_TOKEN,
      owned: false,
      sourceTitle: "bob",
      // On the same network (the fakes speak http; a remote connection
      // must be https, see orderConnections).
      connections: [{ uri: cabinServed.url, local: true }],
    },
  ];
  const tv = new FakePlexTv({
    accountToken: ACCOUNT_TOKEN,
    servers,
    linkAfterPolls: options.linkAfterPolls ?? 1,
    expireAfterPolls: options.expireAfterPolls,
  });
  const tvServed = serveFakePlexTv(tv);
  return {
    tv,
    tvServed,
    home,
    homeServed,
    cabin,
    cabinServed,
    deadPort,
    close: async () => {
      await Promise.all([
        tvServed.close(),
        homeServed.close(),
        cabinServed.close(),
      ]);
    },
  };
}
