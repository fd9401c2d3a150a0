/**
 * The fake plex.tv's state and answers shared by its routes: the account,
 * its servers, Home, friends, shares, Discover catalogue and watchlists,
 * PINs, and the switches tests turn. Route modules import this, never the
 * dispatcher (`mod.ts`), which extends it.
 *
 * @module
 */
/** A server the fake account can see. */
export interface FakePlexTvServer {
  /** Friendly name. */
  name: string;
  /** Machine identifier (`clientIdentifier` in resources). */
  machineIdentifier: string;
  /** The token for this server (a shared server's differs from the account's). */
  accessToken: string;
  /** Owned by the account, else shared with it. */
  owned: boolean;
  /** Who shared it (shared servers). */
  sourceTitle?: string;
  /** Connections, in the order plex.tv lists them. */
  connections: {
    uri: string;
    local: boolean;
    relay?: boolean;
    address?: string;
    port?: number;
  }[];
}

/**
 * A member of the account's Plex Home (API.md §24.2): a managed user or a
 * plex.tv account invited into the Home. The admin (the account itself) is
 * listed first without being one of these.
 */
export interface FakeHomeUser {
  /** plex.tv user id. */
  id: number;
  /** plex.tv uuid. */
  uuid: string;
  /** Display name. */
  title: string;
  /** User name (managed users have none). */
  username?: string;
  /** A managed (restricted) user. */
  restricted?: boolean;
  /** The profile's PIN, when it has one. */
  pin?: string;
  /** The token a switch to this user hands out (their plex.tv token). */
  token: string;
  /** Their token for each server shared with them, by machine identifier. */
  serverTokens: Record<string, string>;
}

/** A friend the account shares a server with (not a Home member). */
export interface FakeFriend {
  /** plex.tv user id. */
  id: number;
  /** plex.tv uuid. */
  uuid: string;
  /** Display name. */
  title: string;
  /** User name. */
  username: string;
}

/**
 * One user a server of the account is shared with (API.md §24.3): what
 * `GET /api/servers/{machineIdentifier}/shared_servers` lists, with the
 * user's token for that server.
 */
export interface FakeShare {
  /** The share's id. */
  id: number;
  /** The shared server. */
  machineIdentifier: string;
  /** The user's plex.tv id. */
  userID: number;
  /** Their user name ("" for a managed user). */
  username: string;
  /** Their email ("" for a managed user). */
  email: string;
  /** Their token for the server. */
  accessToken: string;
  /** The server's libraries: key, title, type and whether shared. */
  sections: {
    id: number;
    key: string;
    title: string;
    type: string;
    shared: boolean;
  }[];
}

/** A title plex.tv Discover knows (movies and shows). */
export interface FakeDiscoverItem {
  /** 24 hex digits: the end of the title's `plex://` guid. */
  id: string;
  /** `movie` or `show`. */
  type: "movie" | "show";
  /** Title. */
  title: string;
  /** Year. */
  year: number;
  /** Runtime of a movie, ms. */
  duration?: number;
}

/** One PIN as the fake keeps it. */
export interface FakePin {
  id: number;
  code: string;
  clientIdentifier: string;
  product: string;
  createdAt: number;
  expiresAt: number;
  authToken: string | null;
  polls: number;
}

/** Options for {@link FakePlexTv}. */
export interface FakePlexTvOptions {
  /** The account token a linked PIN hands out. */
  accountToken: string;
  /** Servers the account sees. */
  servers?: FakePlexTvServer[];
  /** Link every PIN after this many polls (a user who signs in). */
  linkAfterPolls?: number;
  /** Expire every PIN after this many polls (a user who never does). */
  expireAfterPolls?: number;
  /** Lifetime of a PIN in seconds. Default 900, as recorded. */
  pinLifetimeSeconds?: number;
  /** The account's Plex Home members; none: the account has no Home. */
  home?: FakeHomeUser[];
  /** Friends the account shares with. */
  friends?: FakeFriend[];
  /** Titles Discover knows (search, watchlist). */
  catalog?: FakeDiscoverItem[];
  /** Who the account's servers are shared with. */
  shares?: FakeShare[];
}

/** One request as the fake saw it (no token). */
export interface FakePlexTvRequest {
  /** Method. */
  method: string;
  /** Path and query. */
  path: string;
  /** Whether a token header came with it. */
  withToken: boolean;
  /** `X-Plex-Container-Start` and `-Size` sent as headers, when they were. */
  pagingHeaders?: { start: string | null; size: string | null };
  /** Its `X-Plex-Client-Identifier` (not a secret), or null. */
  clientIdentifier: string | null;
}

/** Entries of a watchlist page asked for without paging headers. */
export const DISCOVER_DEFAULT_PAGE = 20;

/** The owner account's plex.tv id and uuid (`plextv__GET__api_v2_user.json`). */
export const ACCOUNT_ID = 12345;
export const ACCOUNT_UUID = "212acf24b07315e5";

/** A JSON answer. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** plex.tv's JSON error body (`plextv__error__401.json`). */
export function errors(
  status: number,
  code: number,
  message: string,
): Response {
  return json(status, { errors: [{ code, message, status }] });
}

/** The fake plex.tv. */

/** The fake plex.tv's state, shared by the dispatcher and every route. */
export class FakePlexTvState {
  /** Servers the account sees (change them to change the answers). */
  servers: FakePlexTvServer[];
  /** Polls before a PIN is linked; undefined: only by {@link link}. */
  linkAfterPolls: number | undefined;
  /** Polls before a PIN expires; undefined: only by time. */
  expireAfterPolls: number | undefined;
  /** Every request, in order. */
  readonly requests: FakePlexTvRequest[] = [];
  /**
   * The legacy `GET /api/servers/{id}/shared_servers` answers 404 even to
   * the owner, as a retired endpoint would.
   */
  legacySharesRetired = false;
  /** The account's display title (`/api/v2/user`). */
  accountTitle = "viewer";
  /** The account's user name (`/api/v2/user`). */
  accountUsername = "viewer@example.com";
  /** Plex Home members (change them to change the answers). */
  home: FakeHomeUser[];
  /** Friends. */
  friends: FakeFriend[];
  /** Discover's titles. */
  catalog: FakeDiscoverItem[];
  /** Who the account's servers are shared with (change it to change them). */
  shares: FakeShare[];
  /** Watchlists by plex.tv token: title id → when it was added (epoch s). */
  readonly watchlists: Map<string, Map<string, number>> = new Map();
  /** The clock of watchlist additions (epoch seconds). */
  now: () => number = () => Math.floor(Date.now() / 1000);
  /**
   * Paths that get no answer at all (a plex.tv that hangs), when served
   * with {@link serveFakePlexTv}: the request waits until the fake is
   * closed. Undefined: every path answers.
   */
  hang: RegExp | undefined = undefined;
  /** Requests left hanging so far (see {@link hang}). */
  hung = 0;
  /** Tokens plex.tv no longer accepts (revoked, or lapsed): 401 everywhere. */
  readonly revoked: Set<string> = new Set();
  /** The token of every accepted `GET /api/v2/ping`, in order. */
  readonly pings: string[] = [];
  /** The owner's account token. */
  readonly accountToken: string;
  /** The PINs created, by id. */
  readonly pins: Map<number, FakePin> = new Map();
  /** How long a PIN lives, in seconds. */
  readonly pinLifetime: number;
  /** The id of the next PIN. */
  nextPin = 111222333;

  /** Creates the fake. */
  constructor(options: FakePlexTvOptions) {
    this.accountToken = options.accountToken;
    this.servers = options.servers ?? [];
    this.linkAfterPolls = options.linkAfterPolls;
    this.expireAfterPolls = options.expireAfterPolls;
    this.pinLifetime = options.pinLifetimeSeconds ?? 900;
    this.home = options.home ?? [];
    this.friends = options.friends ?? [];
    this.catalog = options.catalog ?? [];
    this.shares = options.shares ?? [];
  }

  /** Signs the user in on the PIN with this id (as app.plex.tv would). */
  link(id: number): void {
    const pin = this.pins.get(id);
    if (pin) pin.authToken = this.accountToken;
  }

  /** Whether `token` is the owner's account token, still accepted. */
  isOwner(token: string | null): boolean {
    return token === this.accountToken && !this.revoked.has(token);
  }

  /**
   * The account a token belongs to: the owner's or a Home member's. Only a
   * plex.tv account's own token counts: a server's `accessToken` for a
   * server shared with the account is scoped to that server, and plex.tv
   * and Discover answer it 401 (API.md §0.1 and §24.1 "account token, not
   * a server accessToken"; AUDIT-2026-12.md D3; PlexTraktSync added a
   * separate account token for this, Taxel/PlexTraktSync#1038). An owned
   * server's `accessToken` is the account token itself (the recorded
   * resources), so it passes as the account's.
   */
  accountOf(token: string | null): string | undefined {
    if (token !== null && this.revoked.has(token)) return undefined;
    if (this.isOwner(token)) return token!;
    return this.home.find((u) => u.token === token)?.token;
  }

  /** plex.tv's 401. */
  unauthorized(): Response {
    // plextv__error__401.json
    return errors(401, 1001, "User could not be authenticated");
  }
}
