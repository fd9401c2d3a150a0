/**
 * Fake plex.tv: Plex Home and Discover: watchlists and search (API.md §24).
 *
 * @module
 */
import {
  ACCOUNT_ID,
  ACCOUNT_UUID,
  DISCOVER_DEFAULT_PAGE,
  errors,
  type FakeDiscoverItem,
  type FakePlexTvState,
  json,
} from "../state.ts";
import { homeBody, memberAccount, ownerAccount } from "./account.ts";
import { availabilitiesAnswer } from "./availabilities.ts";

/**
 * Plex Home (API.md §24.2) and Discover's watchlist and search (§24.1).
 * Undefined: not one of these paths.
 */
export function routeInsights(
  tv: FakePlexTvState,
  req: Request,
  url: URL,
  token: string | null,
): Response | undefined {
  const path = url.pathname;
  if (path === "/api/v2/home/users" && req.method === "GET") {
    if (!tv.accountOf(token)) return tv.unauthorized();
    // Without a Plex Home the list is refused (third-party clients read
    // 403 as "not in a Home", e.g. Flixor's getHomeUsers).
    if (tv.home.length === 0) {
      return errors(403, 1000, "User is not a member of a Plex Home");
    }
    return json(200, homeBody(tv));
  }
  const sw = /^\/api\/v2\/home\/users\/([^/]+)\/switch$/.exec(path);
  if (sw) {
    if (req.method !== "POST") return errors(404, 1002, "Not Found");
    if (!tv.accountOf(token)) return tv.unauthorized();
    const id = decodeURIComponent(sw[1]!);
    if (id === ACCOUNT_UUID || id === String(ACCOUNT_ID)) {
      return json(201, {
        ...ownerAccount(tv),
        authToken: tv.accountToken,
      });
    }
    const member = tv.home.find((u) => u.uuid === id || String(u.id) === id);
    if (!member) return errors(404, 1002, "Not Found");
    const pin = url.searchParams.get("pin");
    if (member.pin !== undefined) {
      // No PIN for a protected profile: 403 (arabcoders/watchstate#542,
      // a real log of this switch); a wrong one: 401 (unverified: the
      // status third-party clients expect, API.md §24.2).
      if (!pin) return errors(403, 1000, "Forbidden");
      if (pin !== member.pin) return errors(401, 1001, "Invalid PIN");
    }
    return json(201, memberAccount(member));
  }
  // Discover: every call needs an account's own plex.tv token.
  const watchlist = /^\/library\/sections\/watchlist\/([^/]+)$/.exec(path);
  if (watchlist && req.method === "GET") {
    const account = tv.accountOf(token);
    if (!account) return tv.unauthorized();
    if (!["all", "available", "released"].includes(watchlist[1]!)) {
      return errors(404, 1002, "Not Found");
    }
    return watchlistPage(tv, account, url, req);
  }
  const action = /^\/actions\/(addToWatchlist|removeFromWatchlist)$/.exec(
    path,
  );
  if (action) {
    // Both are PUT (ppa, @ctrl/plex: API.md §24.1).
    if (req.method !== "PUT") return errors(404, 1002, "Not Found");
    const account = tv.accountOf(token);
    if (!account) return tv.unauthorized();
    const id = url.searchParams.get("ratingKey") ?? "";
    if (!tv.catalog.some((c) => c.id === id)) {
      return errors(404, 1002, "Not Found");
    }
    const list = tv.watchlists.get(account) ?? new Map<string, number>();
    tv.watchlists.set(account, list);
    if (action[1] === "addToWatchlist") {
      if (!list.has(id)) list.set(id, tv.now());
    } else list.delete(id);
    return new Response(null, { status: 200 });
  }
  const avail = /^\/library\/metadata\/([^/]+)\/availabilities$/.exec(path);
  if (avail) {
    return availabilitiesAnswer(
      req,
      decodeURIComponent(avail[1]!),
      tv.accountOf(token),
      tv.catalog,
      {
        unauthorized: () => tv.unauthorized(),
        notFound: () => errors(404, 1002, "Not Found"),
      },
    );
  }
  if (path === "/library/search" && req.method === "GET") {
    if (!tv.accountOf(token)) return tv.unauthorized();
    return search(tv, url);
  }
  return undefined;
}

/** A Discover title as plex.tv answers it. */
export function discoverItem(
  c: FakeDiscoverItem,
  watchlistedAt?: number,
): Record<string, unknown> {
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
export function watchlistPage(
  tv: FakePlexTvState,
  account: string,
  url: URL,
  req: Request,
): Response {
  const p = url.searchParams;
  const type = p.get("type");
  const list = [...(tv.watchlists.get(account) ?? new Map()).entries()]
    .map(([id, at]) => ({ c: tv.catalog.find((c) => c.id === id), at }))
    .filter((e): e is { c: FakeDiscoverItem; at: number } => e.c !== undefined)
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
        ? { Metadata: page.map((e) => discoverItem(e.c, e.at)) }
        : {}),
    },
  });
}

/** Discover search: the `external` set of results (API.md §24.1). */
export function search(tv: FakePlexTvState, url: URL): Response {
  const p = url.searchParams;
  const query = (p.get("query") ?? "").trim().toLowerCase();
  if (!query) return errors(400, 1000, "query is required");
  const types = (p.get("searchTypes") ?? "movies,tv").split(",");
  const limit = Number(p.get("limit") ?? 30) || 30;
  const hits = tv.catalog.filter((c) =>
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
              Metadata: discoverItem(c),
            })),
          }
          : {}),
      }],
    },
  });
}
