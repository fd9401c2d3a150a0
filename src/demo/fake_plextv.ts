/**
 * A stand-in for plex.tv's sign-in and discovery endpoints, in the shapes
 * of the recordings in `../shared/plex-api/recordings/plextv__*`
 * (`POST /api/v2/pins`, a linked pin, `/api/v2/user`, `/api/v2/resources`,
 * `/api/v2/friends`, the JSON 401) and the rules of API.md §0.1, §0.5 and
 * §2. Like the fake Plex, it is a plain `Request → Response` handler that
 * can also be served on loopback.
 *
 * Production code never imports this module.
 *
 * @module
 */
import { availabilitiesAnswer } from "./discover_availabilities.ts";

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
interface FakePin {
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
const ACCOUNT_ID = 12345;
const ACCOUNT_UUID = "212acf24b07315e5";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** plex.tv's JSON error body (`plextv__error__401.json`). */
function errors(status: number, code: number, message: string): Response {
  return json(status, { errors: [{ code, message, status }] });
}

/** The fake plex.tv. */
export class FakePlexTv {
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
  readonly #accountToken: string;
  readonly #pins = new Map<number, FakePin>();
  readonly #lifetime: number;
  #nextPin = 111222333;

  /** Creates the fake. */
  constructor(options: FakePlexTvOptions) {
    this.#accountToken = options.accountToken;
    this.servers = options.servers ?? [];
    this.linkAfterPolls = options.linkAfterPolls;
    this.expireAfterPolls = options.expireAfterPolls;
    this.#lifetime = options.pinLifetimeSeconds ?? 900;
    this.home = options.home ?? [];
    this.friends = options.friends ?? [];
    this.catalog = options.catalog ?? [];
    this.shares = options.shares ?? [];
  }

  /** Signs the user in on the PIN with this id (as app.plex.tv would). */
  link(id: number): void {
    const pin = this.#pins.get(id);
    if (pin) pin.authToken = this.#accountToken;
  }

  /** A `fetch` answering from this fake, in process. */
  readonly fetch = (
    input: Request | URL | string,
    init?: RequestInit,
  ): Promise<Response> => {
    const req = input instanceof Request && init === undefined
      ? input
      : new Request(input, init);
    return Promise.resolve(this.handle(req));
  };

  /** Answers one request. */
  handle(req: Request): Response {
    const url = new URL(req.url);
    const token = req.headers.get("x-plex-token");
    const start = req.headers.get("X-Plex-Container-Start");
    const size = req.headers.get("X-Plex-Container-Size");
    this.requests.push({
      method: req.method,
      path: url.pathname + url.search,
      withToken: token !== null,
      ...(start !== null || size !== null
        ? { pagingHeaders: { start, size } }
        : {}),
      clientIdentifier: req.headers.get("x-plex-client-identifier"),
    });
    // API.md §0.1: plex.tv answers 400, code 1000, without a client id.
    const clientId = req.headers.get("x-plex-client-identifier");
    if (!clientId) {
      return errors(400, 1000, "X-Plex-Client-Identifier is missing");
    }
    // The legacy API answers XML (python-plexapi parses it as such).
    const shared = /^\/api\/servers\/([^/]+)\/shared_servers$/.exec(
      url.pathname,
    );
    if (shared && req.method === "GET") {
      return this.#sharedServers(decodeURIComponent(shared[1]!), token);
    }
    // plex.tv v2 answers XML unless JSON is asked for (API.md §0.1).
    if (!(req.headers.get("accept") ?? "").includes("application/json")) {
      return new Response('<?xml version="1.0" encoding="UTF-8"?>\n<errors/>', {
        status: 200,
        headers: { "content-type": "application/xml" },
      });
    }
    const path = url.pathname;
    if (req.method === "POST" && path === "/api/v2/pins") {
      return this.#createPin(clientId, req, url);
    }
    const pinMatch = /^\/api\/v2\/pins\/(\d+)$/.exec(path);
    if (req.method === "GET" && pinMatch) {
      return this.#checkPin(Number(pinMatch[1]), clientId);
    }
    const other = this.#routeInsights(req, url, token);
    if (other) return other;
    if (req.method === "GET" && path === "/api/v2/user") {
      const member = this.home.find((u) => u.token === token);
      if (member) return json(200, this.#memberAccount(member));
      if (!this.#isOwner(token)) return this.#unauthorized();
      return json(200, {
        id: 12345,
        uuid: "212acf24b07315e5",
        username: this.accountUsername,
        title: this.accountTitle,
        email: "viewer@example.com",
        friendlyName: "",
        locale: null,
        confirmed: true,
        thumb: "https://plex.tv/users/212acf24b07315e5/avatar?c=1630875354",
        authToken: this.#accountToken,
        subscription: { active: false, status: "Inactive", features: [] },
        home: false,
        homeAdmin: false,
        restricted: false,
      });
    }
    if (req.method === "GET" && path === "/api/v2/resources") {
      const member = this.home.find((u) => u.token === token);
      if (member) return json(200, this.#memberResources(member, url));
      if (!this.#isOwner(token)) return this.#unauthorized();
      return json(200, this.#resources(url));
    }
    if (path === "/api/v2/ping" && req.method === "GET") {
      // ppa `MyPlexAccount.ping()` (myplex.py:111, 256-263): GET with the
      // account's token "will refresh the authentication token"; ppa reads
      // the answer's root as a boolean. A token plex.tv does not accept gets
      // its usual 401 (plextv__error__401.json). The JSON shape here is
      // unverified (no recording); plexmcp reads only the status.
      if (!this.#accountOf(token) || this.revoked.has(token!)) {
        return this.#unauthorized();
      }
      this.pings.push(token!);
      return json(200, { pong: true });
    }
    if (req.method === "GET" && path === "/api/v2/friends") {
      if (!this.#isOwner(token)) return this.#unauthorized();
      return json(200, this.friends.map((f) => this.#friend(f)));
    }
    return errors(404, 1002, "Not Found");
  }

  /** Whether `token` is the owner's account token, still accepted. */
  #isOwner(token: string | null): boolean {
    return token === this.#accountToken && !this.revoked.has(token);
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
  #accountOf(token: string | null): string | undefined {
    if (token !== null && this.revoked.has(token)) return undefined;
    if (this.#isOwner(token)) return token!;
    return this.home.find((u) => u.token === token)?.token;
  }

  /**
   * Plex Home (API.md §24.2) and Discover's watchlist and search (§24.1).
   * Undefined: not one of these paths.
   */
  #routeInsights(
    req: Request,
    url: URL,
    token: string | null,
  ): Response | undefined {
    const path = url.pathname;
    if (path === "/api/v2/home/users" && req.method === "GET") {
      if (!this.#accountOf(token)) return this.#unauthorized();
      // Without a Plex Home the list is refused (third-party clients read
      // 403 as "not in a Home", e.g. Flixor's getHomeUsers).
      if (this.home.length === 0) {
        return errors(403, 1000, "User is not a member of a Plex Home");
      }
      return json(200, this.#homeBody());
    }
    const sw = /^\/api\/v2\/home\/users\/([^/]+)\/switch$/.exec(path);
    if (sw) {
      if (req.method !== "POST") return errors(404, 1002, "Not Found");
      if (!this.#accountOf(token)) return this.#unauthorized();
      const id = decodeURIComponent(sw[1]!);
      if (id === ACCOUNT_UUID || id === String(ACCOUNT_ID)) {
        return json(201, {
          ...this.#ownerAccount(),
          authToken: this.#accountToken,
        });
      }
      const member = this.home.find((u) =>
        u.uuid === id || String(u.id) === id
      );
      if (!member) return errors(404, 1002, "Not Found");
      const pin = url.searchParams.get("pin");
      if (member.pin !== undefined) {
        // No PIN for a protected profile: 403 (arabcoders/watchstate#542,
        // a real log of this switch); a wrong one: 401 (unverified: the
        // status third-party clients expect, API.md §24.2).
        if (!pin) return errors(403, 1000, "Forbidden");
        if (pin !== member.pin) return errors(401, 1001, "Invalid PIN");
      }
      return json(201, this.#memberAccount(member));
    }
    // Discover: every call needs an account's own plex.tv token.
    const watchlist = /^\/library\/sections\/watchlist\/([^/]+)$/.exec(path);
    if (watchlist && req.method === "GET") {
      const account = this.#accountOf(token);
      if (!account) return this.#unauthorized();
      if (!["all", "available", "released"].includes(watchlist[1]!)) {
        return errors(404, 1002, "Not Found");
      }
      return this.#watchlist(account, url, req);
    }
    const action = /^\/actions\/(addToWatchlist|removeFromWatchlist)$/.exec(
      path,
    );
    if (action) {
      // Both are PUT (ppa, @ctrl/plex: API.md §24.1).
      if (req.method !== "PUT") return errors(404, 1002, "Not Found");
      const account = this.#accountOf(token);
      if (!account) return this.#unauthorized();
      const id = url.searchParams.get("ratingKey") ?? "";
      if (!this.catalog.some((c) => c.id === id)) {
        return errors(404, 1002, "Not Found");
      }
      const list = this.watchlists.get(account) ?? new Map<string, number>();
      this.watchlists.set(account, list);
      if (action[1] === "addToWatchlist") {
        if (!list.has(id)) list.set(id, this.now());
      } else list.delete(id);
      return new Response(null, { status: 200 });
    }
    const avail = /^\/library\/metadata\/([^/]+)\/availabilities$/.exec(path);
    if (avail) {
      return availabilitiesAnswer(
        req,
        decodeURIComponent(avail[1]!),
        this.#accountOf(token),
        this.catalog,
        {
          unauthorized: () => this.#unauthorized(),
          notFound: () => errors(404, 1002, "Not Found"),
        },
      );
    }
    if (path === "/library/search" && req.method === "GET") {
      if (!this.#accountOf(token)) return this.#unauthorized();
      return this.#search(url);
    }
    return undefined;
  }

  #ownerAccount(): Record<string, unknown> {
    return {
      id: ACCOUNT_ID,
      uuid: ACCOUNT_UUID,
      username: this.accountUsername,
      title: this.accountTitle,
      email: "viewer@example.com",
      thumb: `https://plex.tv/users/${ACCOUNT_UUID}/avatar?c=1630875354`,
      home: this.home.length > 0,
      homeAdmin: this.home.length > 0,
      restricted: false,
    };
  }

  /** A member's account, as `/api/v2/user` and the switch answer it. */
  #memberAccount(member: FakeHomeUser): Record<string, unknown> {
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
  #homeBody(): Record<string, unknown> {
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
      name: `${this.accountTitle}'s Home`,
      guestUserID: 0,
      guestUserUUID: "",
      guestEnabled: false,
      subscription: false,
      users: [
        user({
          id: ACCOUNT_ID,
          uuid: ACCOUNT_UUID,
          title: this.accountTitle,
          username: this.accountUsername,
          email: "viewer@example.com",
          thumb: `https://plex.tv/users/${ACCOUNT_UUID}/avatar?c=1`,
          hasPassword: true,
          restricted: false,
          admin: true,
          protected: false,
        }),
        ...this.home.map((m) =>
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
  #friend(f: FakeFriend): Record<string, unknown> {
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
      sharedServers: this.servers.filter((s) => s.owned).map((s, i) => ({
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
  #memberResources(member: FakeHomeUser, url: URL): unknown[] {
    const shared = this.servers.filter((s) =>
      member.serverTokens[s.machineIdentifier] !== undefined
    ).map((s) => ({
      ...s,
      accessToken: member.serverTokens[s.machineIdentifier]!,
      owned: false,
      sourceTitle: this.accountTitle,
    }));
    const before = this.servers;
    this.servers = shared;
    try {
      return this.#resources(url).filter((r) =>
        (r as { provides?: string }).provides === "server"
      );
    } finally {
      this.servers = before;
    }
  }

  #discoverItem(c: FakeDiscoverItem, watchlistedAt?: number) {
    return {
      ratingKey: c.id,
      key: `/library/metadata/${c.id}`,
      guid: `plex://${c.type}/${c.id}`,
      type: c.type,
      title: c.title,
      slug: c.title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      year: c.year,
      originallyAvailableAt: `${c.year}-01-01`,
      thumb: `https://metadata-static.plex.tv/${c.id.slice(0, 2)}/${c.id}.jpg`,
      duration: c.duration,
      addedAt: 1_600_000_000,
      ...(watchlistedAt === undefined ? {} : { watchlistedAt }),
    };
  }

  /** The watchlist, newest first, paged (API.md §24.1). */
  #watchlist(account: string, url: URL, req: Request): Response {
    const p = url.searchParams;
    const type = p.get("type");
    const list = [...(this.watchlists.get(account) ?? new Map()).entries()]
      .map(([id, at]) => ({ c: this.catalog.find((c) => c.id === id), at }))
      .filter((e): e is { c: FakeDiscoverItem; at: number } =>
        e.c !== undefined
      )
      .filter((e) =>
        !type || (type === "1" ? e.c.type === "movie" : e.c.type === "show")
      )
      .sort((a, b) => b.at - a.at || a.c.title.localeCompare(b.c.title));
    // Paging as python-plexapi sends it to Discover: X-Plex-Container-Start
    // and -Size as headers (ppa base.py:278-279 fetchItems, used by
    // myplex.py watchlist). Query parameters of those names are not read,
    // and without the headers Discover answers its first page of
    // DISCOVER_DEFAULT_PAGE (the size of Discover's default page is
    // unverified; a short one shows a client paging in a form it ignores).
    const start = req.headers.get("X-Plex-Container-Start");
    const size = req.headers.get("X-Plex-Container-Size");
    const from = Math.max(0, Number(start ?? 0) || 0);
    const page = list.slice(
      from,
      from + (size === null ? DISCOVER_DEFAULT_PAGE : Number(size)),
    );
    return json(200, {
      MediaContainer: {
        identifier: "tv.plex.provider.discover",
        librarySectionID: "watchlist",
        librarySectionTitle: "Watchlist",
        offset: from,
        size: page.length,
        totalSize: list.length,
        ...(page.length
          ? { Metadata: page.map((e) => this.#discoverItem(e.c, e.at)) }
          : {}),
      },
    });
  }

  /** Discover search: the `external` set of results (API.md §24.1). */
  #search(url: URL): Response {
    const p = url.searchParams;
    const query = (p.get("query") ?? "").trim().toLowerCase();
    if (!query) return errors(400, 1000, "query is required");
    const types = (p.get("searchTypes") ?? "movies,tv").split(",");
    const limit = Number(p.get("limit") ?? 30) || 30;
    const hits = this.catalog.filter((c) =>
      (types.includes("movies") && c.type === "movie" ||
        types.includes("tv") && c.type === "show") &&
      c.title.toLowerCase().includes(query)
    ).slice(0, limit);
    return json(200, {
      MediaContainer: {
        identifier: "tv.plex.provider.discover",
        size: hits.length,
        SearchResults: [{
          id: "external",
          title: "More Ways To Watch",
          size: hits.length,
          ...(hits.length
            ? {
              SearchResult: hits.map((c, i) => ({
                score: Number((0.95 - i * 0.05).toFixed(2)),
                Metadata: this.#discoverItem(c),
              })),
            }
            : {}),
        }],
      },
    });
  }

  /**
   * `GET /api/servers/{machineIdentifier}/shared_servers` (python-plexapi
   * FRIENDINVITE, myplex.py:96, read by `MyPlexUser.get_token`,
   * myplex.py:1232): XML, `MediaContainer` of `SharedServer` elements with
   * `userID` and `accessToken`, each with the server's `Section`s and
   * `shared` (go-plex-client plex_test.go TestInviteFriendResponse, API.md
   * §24.3). The owner's account token only; a server the account does not
   * own is a 404 (what plex.tv answers there is unverified).
   */
  #sharedServers(machineIdentifier: string, token: string | null): Response {
    if (!this.#isOwner(token)) return this.#unauthorized();
    // plex.tv has been retiring its legacy sharing endpoints (the v2
    // shared_servers invite began answering 404 in 2025,
    // pushingkarmaorg/python-plexapi#1504): this one may follow.
    if (this.legacySharesRetired) return errors(404, 1002, "Not Found");
    const server = this.servers.find((s) =>
      s.owned && s.machineIdentifier === machineIdentifier
    );
    if (!server) return errors(404, 1002, "Not Found");
    const esc = (v: string | number) =>
      String(v).replaceAll("&", "&amp;").replaceAll('"', "&quot;")
        .replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const attrs = (o: Record<string, string | number>) =>
      Object.entries(o).map(([k, v]) => `${k}="${esc(v)}"`).join(" ");
    const shares = this.shares.filter((s) =>
      s.machineIdentifier === machineIdentifier
    );
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<MediaContainer ${
        attrs({
          friendlyName: "myPlex",
          identifier: "com.plexapp.plugins.myplex",
          machineIdentifier,
          size: shares.length,
        })
      }>`,
      ...shares.map((s) =>
        [
          `  <SharedServer ${
            attrs({
              id: s.id,
              username: s.username,
              email: s.email,
              userID: s.userID,
              accessToken: s.accessToken,
              name: server.name,
              acceptedAt: 1_700_000_000,
              invitedAt: 1_699_900_000,
              allowSync: 0,
              allowCameraUpload: 0,
              allowChannels: 0,
              allowTuners: 0,
              allowSubtitleAdmin: 0,
              owned: 0,
              allLibraries: s.sections.every((x) => x.shared) ? 1 : 0,
              numLibraries: s.sections.filter((x) => x.shared).length,
            })
          }>`,
          ...s.sections.map((x) =>
            `    <Section ${
              attrs({
                id: x.id,
                key: x.key,
                title: x.title,
                type: x.type,
                shared: x.shared ? 1 : 0,
              })
            }/>`
          ),
          "  </SharedServer>",
        ].join("\n")
      ),
      "</MediaContainer>",
    ].join("\n");
    return new Response(body, {
      status: 200,
      headers: { "content-type": "application/xml; charset=utf-8" },
    });
  }

  #unauthorized(): Response {
    // plextv__error__401.json
    return errors(401, 1001, "User could not be authenticated");
  }

  #createPin(clientId: string, req: Request, url: URL): Response {
    const product = req.headers.get("x-plex-product") ?? "";
    const now = Date.now();
    const strong = url.searchParams.get("strong") === "true";
    const id = this.#nextPin++;
    // A strong PIN's code is long; a plain one is the 4 characters typed
    // at plex.tv/link (API.md §2.1).
    const code = strong
      ? crypto.randomUUID().replaceAll("-", "").slice(0, 25)
      : "ABCD";
    const pin: FakePin = {
      id,
      code,
      clientIdentifier: clientId,
      product,
      createdAt: now,
      expiresAt: now + this.#lifetime * 1000,
      authToken: null,
      polls: 0,
    };
    this.#pins.set(id, pin);
    return json(201, this.#pinBody(pin));
  }

  #pinBody(pin: FakePin): Record<string, unknown> {
    return {
      id: pin.id,
      code: pin.code,
      product: pin.product || "0",
      trusted: false,
      clientIdentifier: pin.clientIdentifier,
      location: { code: "GB", country: "United Kingdom" },
      expiresIn: Math.max(0, Math.round((pin.expiresAt - Date.now()) / 1000)),
      createdAt: new Date(pin.createdAt).toISOString().replace(/\.\d+Z$/, "Z"),
      expiresAt: new Date(pin.expiresAt).toISOString().replace(/\.\d+Z$/, "Z"),
      authToken: pin.authToken,
      newRegistration: pin.authToken ? false : null,
    };
  }

  #checkPin(id: number, clientId: string): Response {
    const pin = this.#pins.get(id);
    // A PIN is only known to the client that made it (API.md §0.1: the
    // identifier must be the same on create and poll); expired or unknown
    // PINs are 404, code 1020 (API.md §0.5).
    if (
      !pin || pin.clientIdentifier !== clientId || Date.now() > pin.expiresAt
    ) {
      return errors(404, 1020, "Code not found or expired");
    }
    pin.polls++;
    if (
      this.expireAfterPolls !== undefined && pin.polls > this.expireAfterPolls
    ) {
      this.#pins.delete(id);
      return errors(404, 1020, "Code not found or expired");
    }
    if (
      this.linkAfterPolls !== undefined && pin.polls >= this.linkAfterPolls
    ) {
      pin.authToken = this.#accountToken;
    }
    return json(200, this.#pinBody(pin));
  }

  /** `/api/v2/resources` in the recorded shape (`plextv__GET__api_v2_resources.multi.json`). */
  #resources(url: URL): unknown[] {
    const https = url.searchParams.get("includeHttps") === "1";
    const relay = url.searchParams.get("includeRelay") === "1";
    return [
      ...this.servers.map((s) => ({
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
}

/** A running loopback fake plex.tv. */
export interface ServedFakePlexTv {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `host:port`. */
  host: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Serves `fake` on 127.0.0.1 (port 0 picks a free one). */
export function serveFakePlexTv(fake: FakePlexTv, port = 0): ServedFakePlexTv {
  const hanging = new Set<(r: Response) => void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    (req) => {
      if (fake.hang?.test(new URL(req.url).pathname)) {
        fake.hung++;
        return new Promise<Response>((resolve) => hanging.add(resolve));
      }
      return fake.handle(req);
    },
  );
  const addr = server.addr as Deno.NetAddr;
  const host = `127.0.0.1:${addr.port}`;
  return {
    url: `http://${host}`,
    host,
    close: () => {
      // Answer what was left hanging, or the shutdown would wait for it.
      for (const answer of hanging) answer(new Response(null, { status: 503 }));
      hanging.clear();
      return server.shutdown();
    },
  };
}
