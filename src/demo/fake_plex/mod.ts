/**
 * A stand-in for Plex Media Server over the in-memory demo library. It is a
 * plain `Request → Response` handler, so the same code serves in-process
 * (demo mode injects it as `fetch`) and on loopback through `Deno.serve`
 * (end-to-end tests). It answers like a real server: token check with an HTML
 * 401, HTML 404, XML unless JSON is asked for, paging with `totalSize`, and
 * empty arrays omitted.
 *
 * Production code never imports this module except through demo mode.
 *
 * @module
 */
export { type Fault, FAULTS } from "./faults.ts";
import { requestOf } from "../fetch_request.ts";
import { faultApplies, faultyAnswer, isWrite } from "./faults.ts";
import { registerActivityRoutes } from "./routes/activity.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import { registerCareRoutes } from "./routes/care.ts";
import { registerCurationRoutes } from "./routes/curation.ts";
import { registerMetadataRoutes } from "./routes/metadata.ts";
import { registerLibraryRoutes } from "./routes/library.ts";
import { registerPlaybackRoutes } from "./routes/playback.ts";
import { registerPlaylistRoutes } from "./routes/playlists.ts";
import { registerRemoteRoutes } from "./routes/remote.ts";
import { registerInsightRoutes } from "./routes/insights.ts";
import { registerWatchRoutes } from "./routes/watch.ts";
import { registerStreamRoutes } from "./routes/streams.ts";
import { settleDue } from "./work.ts";
import { adminOnly, asViewer } from "./viewers.ts";
import { playlistOwner, setPlaylistOwner } from "./playlist_owners.ts";
import { html, HTML_401, HTML_404 } from "./html.ts";
import { FAKE_NOTIFICATION_PATH } from "./notifications.ts";
import { registerCoreRoutes } from "./routes/core.ts";
import { type FakePlexOptions, FakePlexState } from "./state.ts";
export {
  type FakePlexOptions,
  FakePlexState,
  type Route,
  type RouteContext,
  type SeenRequest,
} from "./state.ts";
export {
  FAKE_NOTIFICATION_PATH,
  type FakeNotificationSocket,
  NOTIFICATION_KEYS,
  type NotificationType,
  type SocketHandshake,
} from "./notifications.ts";
export {
  filterItems,
  isUnwatched,
  queryLevelProblem,
  sortItems,
  TAG_KINDS,
  tagId,
  type TagKind,
  tagsOf,
} from "./query.ts";

/** plex.tv's hosts, which the in-process fetch sends to {@link FakePlex.plexTv}. */
const PLEX_TV_HOSTS = new Set([
  "plex.tv",
  "clients.plex.tv",
  "discover.provider.plex.tv",
  "metadata.provider.plex.tv",
]);

/** The fake Plex Media Server: the dispatcher over its state and routes. */
export class FakePlex extends FakePlexState {
  /** Creates a fake over `options.library` or a fresh demo library. */
  constructor(options: FakePlexOptions = {}) {
    super(options);
    registerCoreRoutes(this);
    registerLibraryRoutes(this);
    registerActivityRoutes(this);
    registerPlaylistRoutes(this);
    registerPlaybackRoutes(this);
    registerAdminRoutes(this);
    registerCurationRoutes(this);
    registerMetadataRoutes(this);
    registerCareRoutes(this);
    registerRemoteRoutes(this);
    registerInsightRoutes(this);
    registerWatchRoutes(this);
    registerStreamRoutes(this);
  }

  /** A `fetch` that answers from this fake, in process. */
  readonly fetch = (
    input: Request | URL | string,
    init?: RequestInit,
  ): Promise<Response> => {
    const req = requestOf(input, init);
    // plex.tv's hosts, in process (demo mode): the owner's account.
    if (PLEX_TV_HOSTS.has(new URL(req.url).hostname)) {
      if (this.#forgets(req, new URL(req.url))) {
        // Accepted, then forgotten: the watchlists as they were.
        const saved = [...this.plexTv.watchlists].map(([k, v]) =>
          [k, new Map(v)] as const
        );
        try {
          return Promise.resolve(this.plexTv.handle(req));
        } finally {
          this.plexTv.watchlists.clear();
          for (const [k, v] of saved) this.plexTv.watchlists.set(k, v);
        }
      }
      return Promise.resolve(this.plexTv.handle(req));
    }
    return this.handle(req);
  };

  /** Answers one request. */
  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const safeQuery = new URLSearchParams(url.searchParams);
    safeQuery.delete("X-Plex-Token");
    const q = safeQuery.toString();
    this.requests.push({
      method: req.method,
      path: url.pathname + (q ? `?${q}` : ""),
    });
    // The request's abort signal is looked at only by the `stall` fault
    // (which counts aborts): touching it on every request makes Deno.serve
    // warn about its legacy abort-after-success behaviour.
    const started = performance.now();
    try {
      // Work answered earlier lands when its time has come (work.ts).
      settleDue(this);
      return await (this.#forgets(req, url)
        ? this.#forgetting(req, url)
        : this.#answer(req, url));
    } finally {
      this.busyMs += performance.now() - started;
    }
  }

  /** Whether the `forget-writes` fault takes this request. */
  #forgets(req: Request, url: URL): boolean {
    return this.fault === "forget-writes" &&
      isWrite(req.method, url.pathname) &&
      (this.faultFilter?.(req.method, url.pathname) ?? true);
  }

  /**
   * `forget-writes`: answers a write from a copy of the server's state
   * (the library, each viewer's watch state) and then puts the state back,
   * so the answer is the one Plex gives and nothing is kept. A write the
   * fake would refuse is accepted with an empty 200.
   */
  async #forgetting(req: Request, url: URL): Promise<Response> {
    const lib = this.library as unknown as Record<string, unknown>;
    const saved = { ...lib };
    const working = structuredClone(this.library);
    // Whose each playlist is, kept by object (playlist_owners.ts).
    for (const [key, p] of this.library.playlists) {
      const copy = working.playlists.get(key);
      if (copy) setPlaylistOwner(copy, playlistOwner(p));
    }
    const states = [...this.viewers.values()].map((v) => [v, v.state] as const);
    const own = this.ownState.map((m) => [m, [...m]] as const);
    Object.assign(lib, working);
    for (const [v, state] of states) v.state = structuredClone(state);
    for (const [m, entries] of own) {
      m.clear();
      for (const [k, v] of structuredClone(entries)) m.set(k, v);
    }
    try {
      const response = await this.#answer(req, url);
      if (response.ok) return response;
      await response.body?.cancel();
      return new Response(null, { status: 200 });
    } finally {
      Object.assign(lib, saved);
      for (const [v, state] of states) v.state = state;
      for (const [m, entries] of own) {
        m.clear();
        for (const [k, v] of entries) m.set(k, v);
      }
    }
  }

  async #answer(req: Request, url: URL): Promise<Response> {
    if (
      this.fault && faultApplies(this.fault, url.pathname) &&
      (this.faultFilter?.(req.method, url.pathname) ?? true)
    ) {
      return await faultyAnswer(req, this.fault, this);
    }
    let pathname = url.pathname;
    if (this.pathPrefix) {
      if (
        pathname !== this.pathPrefix &&
        !pathname.startsWith(this.pathPrefix + "/")
      ) {
        return html(404, HTML_404);
      }
      pathname = pathname.slice(this.pathPrefix.length);
    }
    const path = pathname.replace(/\/+$/, "") || "/";
    const token = req.headers.get("X-Plex-Token") ??
      url.searchParams.get("X-Plex-Token");
    const viewer = token === null ? undefined : this.viewers.get(token);
    if (path !== "/identity" && token !== this.token && !viewer) {
      return html(401, HTML_401);
    }
    if (viewer && adminOnly(path)) return html(401, HTML_401);
    for (const [method, pattern, handler] of this.routes) {
      if (
        method !== req.method && !(method === "GET" && req.method === "HEAD")
      ) {
        continue;
      }
      const m = pattern.exec(path);
      if (!m) continue;
      const ctx = {
        req,
        url,
        params: m.slice(1).map(decodeURIComponent),
        fake: this,
      };
      // A viewer's answer is made with their watch state in the items;
      // routes answer synchronously, so no other request sees it.
      const response = await (viewer
        ? asViewer(this.library, viewer, () =>
          handler(ctx))
        : handler(ctx));
      return this.#negotiate(req, response);
    }
    return html(404, HTML_404);
  }

  // ------------------------------------------------ notification socket

  /**
   * Checks a handshake of the notification socket and records it: the
   * refusal to answer, or undefined when the socket may open. Real Plex
   * answers a handshake without a valid token 401 (API.md §23: pws maps it
   * to "Authorization failure"); it takes the token in the URL or, as
   * goplex sends it, in the `X-Plex-Token` header, and so does the fake. A
   * Plex Home member's token is refused, as on the admin-only endpoints
   * (whether Plex lets them listen is unverified). Faults apply as to any
   * request.
   */
  async refuseNotificationSocket(req: Request): Promise<Response | undefined> {
    const url = new URL(req.url);
    const header = req.headers.get("X-Plex-Token");
    const inUrl = url.searchParams.get("X-Plex-Token");
    const shown = new URLSearchParams(url.searchParams);
    if (shown.has("X-Plex-Token")) shown.set("X-Plex-Token", "…");
    const q = shown.toString();
    const record = (status: number) =>
      this.socketHandshakes.push({
        path: url.pathname + (q ? `?${q}` : ""),
        tokenInUrl: inUrl !== null,
        tokenHeader: header !== null,
        status,
      });
    let refusal: Response | undefined;
    const path = this.pathPrefix && url.pathname.startsWith(this.pathPrefix)
      ? url.pathname.slice(this.pathPrefix.length)
      : this.pathPrefix
      ? ""
      : url.pathname;
    if (
      this.fault && faultApplies(this.fault, url.pathname) &&
      (this.faultFilter?.(req.method, url.pathname) ?? true)
    ) {
      refusal = await faultyAnswer(req, this.fault, this);
    } else if (req.method !== "GET" || path !== FAKE_NOTIFICATION_PATH) {
      refusal = html(404, HTML_404);
    } else if ((header ?? inUrl) !== this.token) {
      refusal = html(401, HTML_401);
    }
    record(refusal?.status ?? 101);
    return refusal;
  }

  /** Without `Accept: application/json`, Plex answers XML. */
  #negotiate(req: Request, response: Response): Response {
    const wantsJson = (req.headers.get("accept") ?? "").includes("json");
    const isJson = (response.headers.get("content-type") ?? "").includes(
      "json",
    );
    if (wantsJson || !isJson) return response;
    return new Response(
      '<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0"></MediaContainer>\n',
      {
        status: response.status,
        headers: { "content-type": "application/xml" },
      },
    );
  }
}
