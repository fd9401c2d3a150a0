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
}

/** One request as the fake saw it (no token). */
export interface FakePlexTvRequest {
  /** Method. */
  method: string;
  /** Path and query. */
  path: string;
  /** Whether a token header came with it. */
  withToken: boolean;
}

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
  /** The account's display title (`/api/v2/user`). */
  accountTitle = "viewer";
  /** The account's user name (`/api/v2/user`). */
  accountUsername = "viewer@example.com";
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
    this.requests.push({
      method: req.method,
      path: url.pathname + url.search,
      withToken: token !== null,
    });
    // API.md §0.1: plex.tv answers 400, code 1000, without a client id.
    const clientId = req.headers.get("x-plex-client-identifier");
    if (!clientId) {
      return errors(400, 1000, "X-Plex-Client-Identifier is missing");
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
    if (req.method === "GET" && path === "/api/v2/user") {
      if (token !== this.#accountToken) return this.#unauthorized();
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
      if (token !== this.#accountToken) return this.#unauthorized();
      return json(200, this.#resources(url));
    }
    if (req.method === "GET" && path === "/api/v2/friends") {
      if (token !== this.#accountToken) return this.#unauthorized();
      return json(200, []);
    }
    return errors(404, 1002, "Not Found");
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
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    (req) => fake.handle(req),
  );
  const addr = server.addr as Deno.NetAddr;
  const host = `127.0.0.1:${addr.port}`;
  return { url: `http://${host}`, host, close: () => server.shutdown() };
}
