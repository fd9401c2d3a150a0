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
import { requestOf } from "../fetch_request.ts";
import { errors, FakePlexTvState, json } from "./state.ts";
import {
  friend,
  memberAccount,
  memberResources,
  resources,
} from "./routes/account.ts";
import { checkPin, createPin } from "./routes/pins.ts";
import { routeInsights } from "./routes/insights.ts";
import { sharedServers } from "./routes/shares.ts";
export {
  DISCOVER_DEFAULT_PAGE,
  type FakeDiscoverItem,
  type FakeFriend,
  type FakeHomeUser,
  type FakePlexTvOptions,
  type FakePlexTvRequest,
  type FakePlexTvServer,
  FakePlexTvState,
  type FakeShare,
} from "./state.ts";

/** The fake plex.tv: the dispatcher over its state and routes. */
export class FakePlexTv extends FakePlexTvState {
  /** A `fetch` answering from this fake, in process. */
  readonly fetch = (
    input: Request | URL | string,
    init?: RequestInit,
  ): Promise<Response> => {
    const req = requestOf(input, init);
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
      return sharedServers(this, decodeURIComponent(shared[1]!), token);
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
      return createPin(this, clientId, req, url);
    }
    const pinMatch = /^\/api\/v2\/pins\/(\d+)$/.exec(path);
    if (req.method === "GET" && pinMatch) {
      return checkPin(this, Number(pinMatch[1]), clientId);
    }
    const other = routeInsights(this, req, url, token);
    if (other) return other;
    if (req.method === "GET" && path === "/api/v2/user") {
      const member = this.home.find((u) => u.token === token);
      if (member) return json(200, memberAccount(member));
      if (!this.isOwner(token)) return this.unauthorized();
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
        authToken: this.accountToken,
        subscription: { active: false, status: "Inactive", features: [] },
        home: false,
        homeAdmin: false,
        restricted: false,
      });
    }
    if (req.method === "GET" && path === "/api/v2/resources") {
      const member = this.home.find((u) => u.token === token);
      if (member) return json(200, memberResources(this, member, url));
      if (!this.isOwner(token)) return this.unauthorized();
      return json(200, resources(this, url));
    }
    if (path === "/api/v2/ping" && req.method === "GET") {
      // ppa `MyPlexAccount.ping()` (myplex.py:111, 256-263): GET with the
      // account's token "will refresh the authentication token"; ppa reads
      // the answer's root as a boolean. A token plex.tv does not accept gets
      // its usual 401 (plextv__error__401.json). The JSON shape here is
      // unverified (no recording); plexmcp reads only the status.
      if (!this.accountOf(token) || this.revoked.has(token!)) {
        return this.unauthorized();
      }
      this.pings.push(token!);
      return json(200, { pong: true });
    }
    if (req.method === "GET" && path === "/api/v2/friends") {
      if (!this.isOwner(token)) return this.unauthorized();
      return json(200, this.friends.map((f) => friend(this, f)));
    }
    return errors(404, 1002, "Not Found");
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
