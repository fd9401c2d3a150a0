/**
 * What the tools see of a plex.tv account: its Plex Home, friends, shares
 * and Discover watchlist.
 *
 * @module
 */

/** A member of the account's Plex Home (`GET /api/v2/home/users`). */
export interface HomeUser {
  /** plex.tv user id. */
  id: string;
  /** plex.tv uuid (what the switch takes). */
  uuid: string;
  /** Display name. */
  title: string;
  /** User name (managed users have none). */
  username: string | undefined;
  /** The Home's admin (the account itself, usually). */
  admin: boolean;
  /** A managed user (no plex.tv login of their own). */
  restricted: boolean;
  /** Protected by a PIN. */
  protected: boolean;
  /** The Home's guest profile. */
  guest: boolean;
}

/** A friend the account shares with (`GET /api/v2/friends`). */
export interface PlexFriend {
  /** plex.tv user id. */
  id: string;
  /** Display name. */
  title: string;
  /** User name. */
  username: string | undefined;
  /** A member of the Plex Home (then also in {@link HomeUser}). */
  home: boolean;
}

/**
 * One offer of a title on a streaming service (Discover's
 * `Availability`, python-plexapi media.py:1305-1339).
 */
export interface Availability {
  /** Service name (Netflix…). */
  title: string;
  /** Service slug. */
  platform: string | undefined;
  /** `subscription`, `buy`, `rent`, `free`… */
  offerType: string | undefined;
  /** Price, as a number. */
  price: number | undefined;
  /** Price as the service shows it. */
  priceDescription: string | undefined;
  /** Quality offered (HD, 4K…). */
  quality: string | undefined;
  /** Country of the offer. */
  country: string | undefined;
  /** Link to the title on the service. */
  url: string | undefined;
}

/** One watchlist entry (Discover `Metadata`, API.md §24.1). */
export interface WatchlistEntry {
  /** The Discover id: 24 hex digits, the end of the item's `plex://` guid. */
  id: string;
  /** `plex://movie/…` or `plex://show/…`. */
  guid: string;
  /** `movie` or `show`. */
  type: string;
  /** Title. */
  title: string;
  /** Year. */
  year: number | undefined;
  /** When it was put on the list (epoch seconds). */
  watchlistedAt: number | undefined;
  /** Release date, `YYYY-MM-DD`. */
  originallyAvailableAt: string | undefined;
  /** Runtime (movies), ms. */
  duration: number | undefined;
}

/** A page of the watchlist. */
export interface WatchlistPage {
  /** Entries of this page. */
  entries: WatchlistEntry[];
  /** Every entry, when Discover says. */
  total: number | undefined;
}

/** One user a server is shared with, from plex.tv's `SharedServer`. */
export interface SharedServer {
  /** The share's id. */
  id: string;
  /** The user's plex.tv id. */
  userID: string;
  /** Their user name (empty for managed users). */
  username: string | undefined;
  /** Their email. */
  email: string | undefined;
  /** Their token for this server (a secret). */
  accessToken: string | undefined;
  /** The server's libraries and whether each is shared with them. */
  sections: { key: string; title: string; shared: boolean }[];
}

/**
 * A plex.tv account as the tools use it: its Plex Home, friends and
 * Discover watchlist (`accountOf(client)` in `src/account/`).
 */
export interface PlexTvAccountApi {
  /** The members of the account's Plex Home (empty when it has none). */
  homeUsers(signal?: AbortSignal): Promise<HomeUser[]>;
  /** The friends the account shares with. */
  friends(signal?: AbortSignal): Promise<PlexFriend[]>;
  /** Switches to a Home user; their plex.tv token. */
  switchTo(
    user: HomeUser,
    pin: string | undefined,
    signal?: AbortSignal,
  ): Promise<string>;
  /** The token `userToken`'s account has for a server, if shared with it. */
  serverToken(
    userToken: string,
    machineIdentifier: string,
    signal?: AbortSignal,
  ): Promise<string | undefined>;
  /**
   * Everyone a server of this account is shared with, each with their
   * token for it (a secret), for the owner's token only.
   */
  sharedServers(
    machineIdentifier: string,
    signal?: AbortSignal,
  ): Promise<SharedServer[]>;
  /** One page of the watchlist. */
  watchlist(
    options: {
      filter?: "all" | "available" | "released";
      sort?: string;
      type?: "movie" | "show";
      offset: number;
      limit: number;
    },
    signal?: AbortSignal,
  ): Promise<WatchlistPage>;
  /** Every entry of the watchlist (at most `max`). */
  allWatchlist(
    signal: AbortSignal | undefined,
    max?: number,
  ): Promise<{ entries: WatchlistEntry[]; complete: boolean }>;
  /** Puts a Discover id on the watchlist. */
  addToWatchlist(id: string, signal?: AbortSignal): Promise<void>;
  /** Takes a Discover id off the watchlist. */
  removeFromWatchlist(id: string, signal?: AbortSignal): Promise<void>;
  /** Searches Discover for films and shows. */
  search(
    query: string,
    type: "movie" | "show" | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<WatchlistEntry[]>;
  /** Where a Discover title can be streamed, bought or rented. */
  availabilities(id: string, signal?: AbortSignal): Promise<Availability[]>;
}
