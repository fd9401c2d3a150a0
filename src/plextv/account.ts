/**
 * What a plex.tv account offers the tools: its Plex Home users and the
 * switch to one of them (API.md §24.2), its friends (§12), who its server
 * is shared with and their tokens for it (§24.3, the legacy XML API), and
 * its Discover watchlist (§24.1). Like the other clients it sends the token in a header,
 * only to the configured origins, follows no redirect, has one time budget
 * per request joined with the caller's signal, reads bounded bodies and
 * never parses an error body.
 *
 * Hosts: plex.tv (`PLEX_TV_URL`) for users, resources and the switch;
 * Discover (`PLEX_DISCOVER_URL`, default `https://discover.provider.plex.tv`)
 * for the watchlist, which python-plexapi 4.18 and @ctrl/plex moved there
 * after the old host dropped it in August 2025 (API.md §24.1).
 *
 * @module
 */
import { redact } from "../redact.ts";
import { classifyFetchError, readBody } from "../transport/request.ts";
import type { FetchLike } from "../transport/types.ts";
import { DEFAULT_PLEX_TV_URL, PlexTvError } from "./client.ts";
import { readResources } from "./resources.ts";
import { bool, isObject, num, str } from "../transport/values.ts";
import { readSharedServers } from "./shared_servers.ts";
import { discoverId, readAvailability, readEntry } from "./discover.ts";

export { discoverId };

export { readSharedServers };
import type {
  Availability,
  HomeUser,
  PlexFriend,
  PlexTvAccountApi,
  SharedServer,
  WatchlistEntry,
  WatchlistPage,
} from "./models.ts";

export type {
  Availability,
  HomeUser,
  PlexFriend,
  SharedServer,
  WatchlistEntry,
  WatchlistPage,
};

/** Largest answer read, in bytes. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options for {@link PlexAccountApi}. */
export interface PlexAccountApiOptions {
  /** The account's plex.tv token. */
  token: string;
  /** plex.tv; default {@link DEFAULT_PLEX_TV_URL}. */
  plexTvUrl?: string;
  /** Discover. */
  discoverUrl: string;
  /** `fetch`. */
  fetch: FetchLike;
  /** `X-Plex-Client-Identifier`. */
  clientIdentifier: string;
  /** `X-Plex-Product`. */
  product?: string;
  /** `X-Plex-Version`. */
  version?: string;
  /** Time budget of one request, ms. */
  timeoutMs: number;
  /** Every secret to keep out of messages. */
  secrets: () => readonly string[];
}

/** One plex.tv account's Home, friends and watchlist. */
export class PlexAccountApi implements PlexTvAccountApi {
  readonly #token: string;
  readonly #plexTv: string;
  readonly #discover: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;
  readonly #secrets: () => readonly string[];

  /** Creates the API; nothing is sent until a call. */
  constructor(options: PlexAccountApiOptions) {
    this.#token = options.token;
    this.#plexTv = (options.plexTvUrl ?? DEFAULT_PLEX_TV_URL).replace(
      /\/+$/,
      "",
    );
    this.#discover = options.discoverUrl.replace(/\/+$/, "");
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs;
    this.#secrets = options.secrets;
    this.#headers = {
      Accept: "application/json",
      "X-Plex-Client-Identifier": options.clientIdentifier,
      "X-Plex-Product": options.product ?? "plexmcp",
      "X-Plex-Version": options.version ?? "0",
    };
  }

  #redact(text: string): string {
    return redact(text, [...this.#secrets(), this.#token]);
  }

  /**
   * One request to `base + path` (query built from `query`, never logged:
   * a PIN travels there). Returns status and body; a non-2xx body is text.
   */
  async #request(
    method: "GET" | "POST" | "PUT",
    base: string,
    path: string,
    options: {
      query?: Record<string, string | number | undefined>;
      token?: string;
      signal?: AbortSignal;
      /** Ask for XML and return the body as text (the legacy `/api/`). */
      xml?: boolean;
      /** Extra headers (paging). */
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; body: unknown }> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) params.set(k, String(v));
    }
    const q = params.toString();
    const url = base + path + (q ? `?${q}` : "");
    const host = new URL(base).host;
    const name = base === this.#discover ? "plex.tv Discover" : "plex.tv";
    // The endpoint as messages name it: no query (a PIN may be in it).
    const endpoint = `${method} ${base}${path}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: {
          ...this.#headers,
          ...options.headers,
          ...(options.xml ? { Accept: "application/xml" } : {}),
          "X-Plex-Token": options.token ?? this.#token,
        },
        signal,
        redirect: "manual",
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      const failure = classifyFetchError(error);
      if (failure === "permission") {
        throw new PlexTvError(
          `Deno was not allowed to connect to ${host} (${endpoint}). Add it to the permission flag: --allow-net=${host}`,
          "permission",
        );
      }
      if (timeout.aborted) {
        throw new PlexTvError(
          `${name} did not answer within ${
            this.#timeoutMs / 1000
          } s (${endpoint}). Check the internet connection and try again`,
          "timeout",
        );
      }
      throw new PlexTvError(
        this.#redact(
          `Cannot reach ${name} at ${base} (${endpoint}): ${
            error instanceof Error ? error.message : String(error)
          }`,
        ),
        "connection",
      );
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      let where = "elsewhere";
      try {
        where = new URL(response.headers.get("location") ?? "", url).host;
      } catch { /* keep "elsewhere" */ }
      throw new PlexTvError(
        `${name} redirected ${endpoint} to ${where}; not followed, so the token goes nowhere but ${host}`,
        "status",
        response.status,
      );
    }
    let text: string;
    try {
      text = await readBody(response, endpoint, MAX_BODY_BYTES);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      throw new PlexTvError(
        timeout.aborted
          ? `${name} did not finish answering within ${
            this.#timeoutMs / 1000
          } s (${endpoint}). Try again`
          : `${name} sent an answer that could not be read for ${endpoint}: ${
            this.#redact(error instanceof Error ? error.message : String(error))
          }`,
        timeout.aborted ? "timeout" : "body",
      );
    }
    if (!response.ok) return { status: response.status, body: undefined };
    if (!text.trim()) return { status: response.status, body: undefined };
    if (options.xml) return { status: response.status, body: text };
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      throw new PlexTvError(
        `${name} answered ${endpoint} with something that is not JSON; check ${
          base === this.#discover ? "PLEX_DISCOVER_URL" : "PLEX_TV_URL"
        }`,
        "body",
        response.status,
      );
    }
  }

  #refused(endpoint: string, status: number, what: string): PlexTvError {
    if (status === 401) {
      return new PlexTvError(
        `plex.tv did not accept this token for ${endpoint} (401): ${what} needs the token of a plex.tv account (the account's own, which \`plexmcp login\` keeps as PLEX_ACCOUNT_TOKEN), not a server's shared token`,
        "unauthorized",
        401,
      );
    }
    return new PlexTvError(
      `plex.tv answered ${status} for ${endpoint}`,
      "status",
      status,
    );
  }

  /** The members of the account's Plex Home (empty when it has none). */
  async homeUsers(signal?: AbortSignal): Promise<HomeUser[]> {
    const path = "/api/v2/home/users";
    const r = await this.#request("GET", this.#plexTv, path, { signal });
    // An account without a Plex Home is refused (403) rather than listed
    // empty (third-party clients treat it so, e.g. Flixor's getHomeUsers).
    if (r.status === 403) return [];
    if (r.status !== 200) {
      throw this.#refused(`GET ${path}`, r.status, "Plex Home");
    }
    // `{…, users: [...]}`: the JSON form of plexopedia's XML
    // `<home …><users><user …/>` (API.md §24.2).
    const body = r.body;
    const users = Array.isArray(body)
      ? body
      : isObject(body) && Array.isArray(body.users)
      ? body.users
      : [];
    return users.filter(isObject).flatMap((u): HomeUser[] => {
      const id = str(u.id);
      const uuid = str(u.uuid);
      if (!id || !uuid) return [];
      return [{
        id,
        uuid,
        title: str(u.title) ?? str(u.username) ?? id,
        username: str(u.username) || undefined,
        admin: bool(u.admin) ?? false,
        restricted: bool(u.restricted) ?? false,
        protected: bool(u.protected) ?? false,
        guest: bool(u.guest) ?? false,
      }];
    });
  }

  /** The friends the account shares with (recorded shape). */
  async friends(signal?: AbortSignal): Promise<PlexFriend[]> {
    const path = "/api/v2/friends";
    const r = await this.#request("GET", this.#plexTv, path, { signal });
    if (r.status !== 200) {
      throw this.#refused(`GET ${path}`, r.status, "the friends list");
    }
    return (Array.isArray(r.body) ? r.body : []).filter(isObject).flatMap(
      (f): PlexFriend[] => {
        const id = str(f.id);
        if (!id) return [];
        return [{
          id,
          title: str(f.title) ?? str(f.username) ?? id,
          username: str(f.username) || undefined,
          home: bool(f.home) ?? false,
        }];
      },
    );
  }

  /**
   * Switches to a Home user (`POST /api/v2/home/users/{uuid}/switch`,
   * plex-api.rs; the PIN goes in `pin`) and returns their plex.tv token.
   * A refused PIN throws with failure `unauthorized`; the PIN itself is in
   * no message.
   */
  async switchTo(
    user: HomeUser,
    pin: string | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const path = `/api/v2/home/users/${encodeURIComponent(user.uuid)}/switch`;
    const r = await this.#request("POST", this.#plexTv, path, {
      query: { pin },
      signal,
    });
    if (r.status === 401 || r.status === 403) {
      throw new PlexTvError(
        pin === undefined
          ? `${user.title}'s profile is protected by a PIN: pass pin`
          : `plex.tv refused the PIN for ${user.title} (${r.status}): check it and try again`,
        "unauthorized",
        r.status,
      );
    }
    if (r.status !== 200 && r.status !== 201) {
      throw this.#refused(`POST ${path}`, r.status, "switching user");
    }
    const o = isObject(r.body) ? r.body : {};
    const token = str(o.authToken) ?? str(o.authenticationToken);
    if (!token) {
      throw new PlexTvError(
        `plex.tv switched to ${user.title} but sent no token for them`,
        "body",
      );
    }
    return token;
  }

  /**
   * The token `userToken`'s account has for the server with this machine
   * identifier (`GET /api/v2/resources` with that token), or undefined when
   * the server is not shared with them.
   */
  async serverToken(
    userToken: string,
    machineIdentifier: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const path = "/api/v2/resources";
    const r = await this.#request("GET", this.#plexTv, path, {
      query: { includeHttps: 1, includeRelay: 1 },
      token: userToken,
      signal,
    });
    if (r.status !== 200) {
      throw this.#refused(`GET ${path}`, r.status, "the user's servers");
    }
    return readResources(r.body).find((s) =>
      s.isServer && s.machineIdentifier === machineIdentifier
    )?.accessToken;
  }

  /**
   * Everyone a server of this account is shared with, each with their
   * token for it (`GET /api/servers/{machineIdentifier}/shared_servers`,
   * XML, the owner's token; python-plexapi `MyPlexUser.get_token`,
   * myplex.py:1232, reads `accessToken` of the `SharedServer` whose
   * `userID` is the user's; API.md §21, §24.3). The tokens are secrets:
   * the caller adds the one it uses to its client's.
   */
  async sharedServers(
    machineIdentifier: string,
    signal?: AbortSignal,
  ): Promise<SharedServer[]> {
    const path = `/api/servers/${
      encodeURIComponent(machineIdentifier)
    }/shared_servers`;
    const r = await this.#request("GET", this.#plexTv, path, {
      signal,
      xml: true,
    });
    if (r.status === 403 || r.status === 404 || r.status === 410) {
      throw new PlexTvError(
        `plex.tv did not list who this server is shared with (${r.status} for GET ${path}): only its owner's account may, so PLEX_TOKEN must be the owner's`,
        "status",
        r.status,
      );
    }
    if (r.status !== 200) {
      throw this.#refused(
        `GET ${path}`,
        r.status,
        "listing the server's shares",
      );
    }
    const text = typeof r.body === "string" ? r.body : "";
    if (!/<MediaContainer[\s>]/.test(text)) {
      throw new PlexTvError(
        `plex.tv answered GET ${path} with something that is not its XML list of shares; check PLEX_TV_URL`,
        "body",
        r.status,
      );
    }
    return readSharedServers(text);
  }

  /**
   * One page of the watchlist (`GET /library/sections/watchlist/{filter}`
   * on Discover, API.md §24.1).
   */
  async watchlist(
    options: {
      filter?: "all" | "available" | "released";
      sort?: string;
      type?: "movie" | "show";
      offset: number;
      limit: number;
    },
    signal?: AbortSignal,
  ): Promise<WatchlistPage> {
    const path = `/library/sections/watchlist/${options.filter ?? "all"}`;
    const r = await this.#request("GET", this.#discover, path, {
      query: {
        includeCollections: 1,
        includeExternalMedia: 1,
        sort: options.sort,
        type: options.type === undefined
          ? undefined
          : options.type === "movie"
          ? 1
          : 2,
      },
      // As python-plexapi pages Discover: headers, not query parameters
      // (ppa base.py:278-279 fetchItems, myplex.py watchlist).
      headers: {
        "X-Plex-Container-Start": String(options.offset),
        "X-Plex-Container-Size": String(options.limit),
      },
      signal,
    });
    if (r.status !== 200) {
      throw this.#refused(`GET ${path}`, r.status, "the watchlist");
    }
    const c = isObject(r.body) && isObject(r.body.MediaContainer)
      ? r.body.MediaContainer
      : undefined;
    if (!c) {
      throw new PlexTvError(
        `plex.tv Discover answered GET ${path} without a MediaContainer`,
        "body",
      );
    }
    const list = Array.isArray(c.Metadata) ? c.Metadata : [];
    let entries = list.filter(isObject).flatMap(readEntry);
    // A server that ignored the paging parameters sends everything.
    if (entries.length > options.limit) {
      entries = entries.slice(options.offset, options.offset + options.limit);
    }
    return { entries, total: num(c.totalSize) };
  }

  /**
   * Every entry of the watchlist (pages of 100, at most `max`). A page
   * shorter than asked does not end the walk (Discover may cap its pages):
   * an empty page or the total reached does.
   */
  async allWatchlist(
    signal: AbortSignal | undefined,
    max = 2_000,
  ): Promise<{ entries: WatchlistEntry[]; complete: boolean }> {
    const entries: WatchlistEntry[] = [];
    let previous: string | undefined;
    while (entries.length < max) {
      const page = await this.watchlist(
        { offset: entries.length, limit: 100 },
        signal,
      );
      const total = page.total;
      if (page.entries.length === 0) return { entries, complete: true };
      // A Discover that ignored the start sends the same page again.
      const first = page.entries[0]!.id;
      if (first === previous) return { entries, complete: false };
      previous = first;
      entries.push(...page.entries);
      if (total !== undefined && entries.length >= total) {
        return { entries, complete: true };
      }
    }
    return { entries, complete: false };
  }

  /** Puts a Discover id on the watchlist. */
  async addToWatchlist(id: string, signal?: AbortSignal): Promise<void> {
    await this.#action("addToWatchlist", id, signal);
  }

  /** Takes a Discover id off the watchlist. */
  async removeFromWatchlist(id: string, signal?: AbortSignal): Promise<void> {
    await this.#action("removeFromWatchlist", id, signal);
  }

  async #action(
    action: "addToWatchlist" | "removeFromWatchlist",
    id: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const path = `/actions/${action}`;
    const r = await this.#request("PUT", this.#discover, path, {
      query: { ratingKey: id },
      signal,
    });
    if (r.status === 404) {
      throw new PlexTvError(
        `plex.tv Discover knows no title with id ${id} (404)`,
        "status",
        404,
      );
    }
    if (r.status < 200 || r.status >= 300) {
      throw this.#refused(`PUT ${path}`, r.status, "the watchlist");
    }
  }

  /**
   * Searches Discover for movies and shows (`GET /library/search`, the
   * `external` result set; API.md §24.1).
   */
  async search(
    query: string,
    type: "movie" | "show" | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<WatchlistEntry[]> {
    const path = "/library/search";
    const r = await this.#request("GET", this.#discover, path, {
      query: {
        query,
        limit,
        searchTypes: type === "movie"
          ? "movies"
          : type === "show"
          ? "tv"
          : "movies,tv",
        searchProviders: "discover",
        includeMetadata: 1,
      },
      signal,
    });
    if (r.status !== 200) {
      throw this.#refused(`GET ${path}`, r.status, "Discover search");
    }
    const c = isObject(r.body) && isObject(r.body.MediaContainer)
      ? r.body.MediaContainer
      : {};
    const sets = Array.isArray(c.SearchResults) ? c.SearchResults : [];
    const external = sets.filter(isObject).find((s) => s.id === "external");
    const results = Array.isArray(external?.SearchResult)
      ? external.SearchResult
      : [];
    return results.filter(isObject).flatMap((res) =>
      isObject(res.Metadata) ? readEntry(res.Metadata) : []
    ).filter((e) => type === undefined || e.type === type).slice(0, limit);
  }

  /**
   * Where a title can be streamed, bought or rented:
   * `GET /library/metadata/{id}/availabilities` → `Availability[]`
   * (python-plexapi mixins.py:1215-1229 `streamingServices`, media.py:1305;
   * ppa 4.16 sent it to metadata.provider.plex.tv, the host whose Discover
   * calls moved to discover.provider.plex.tv in August 2025, API.md
   * §24.1). A title Discover does not know is an empty list.
   */
  async availabilities(
    id: string,
    signal?: AbortSignal,
  ): Promise<Availability[]> {
    const path = `/library/metadata/${encodeURIComponent(id)}/availabilities`;
    const r = await this.#request("GET", this.#discover, path, { signal });
    if (r.status === 404) return [];
    if (r.status !== 200) {
      throw this.#refused(`GET ${path}`, r.status, "Discover availability");
    }
    const c = isObject(r.body) && isObject(r.body.MediaContainer)
      ? r.body.MediaContainer
      : undefined;
    if (!c) {
      throw new PlexTvError(
        `plex.tv Discover answered GET ${path} without a MediaContainer`,
        "body",
      );
    }
    const list = Array.isArray(c.Availability) ? c.Availability : [];
    return list.filter(isObject).flatMap(readAvailability).slice(0, 100);
  }
}
