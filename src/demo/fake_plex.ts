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
import { type Fault, faultApplies, faultyAnswer, isWrite } from "./faults.ts";
import { registerActivityRoutes } from "./routes_activity.ts";
import { registerAdminRoutes } from "./routes_admin.ts";
import { registerCareRoutes } from "./routes_care.ts";
import { registerCurationRoutes } from "./routes_curation.ts";
import { registerMetadataRoutes } from "./routes_metadata.ts";
import { registerLibraryRoutes } from "./routes_library.ts";
import { FAKE_LAN_ADDRESS, registerPlaybackRoutes } from "./routes_playback.ts";
import { registerPlaylistRoutes } from "./routes_playlists.ts";
import { registerRemoteRoutes } from "./routes_remote.ts";
import { registerInsightRoutes } from "./routes_insights.ts";
import { registerStreamRoutes } from "./routes_streams.ts";
import { subtitleStreamsOf } from "./subtitle_store.ts";
import { FakePlexTv } from "./fake_plextv.ts";
import { filterMeta, unadvertisedField } from "./filter_meta.ts";
import { settleDue } from "./work.ts";
import { demoHome } from "./demo_home.ts";
import { adminOnly, asViewer, type FakeViewer } from "./viewers.ts";
import { playlistOwner, setPlaylistOwner } from "./playlist_owners.ts";
import { PLEX_TYPE_NUMBERS } from "../plex/metadata_types.ts";
import {
  createDemoLibrary,
  DEMO_EPOCH,
  type DemoItem,
  type DemoLibrary,
  type RawObject,
  titleSort,
  typeNumber,
} from "./library.ts";

/** Options for {@link FakePlex}. */
export interface FakePlexOptions {
  /** The token the fake accepts. Default `demo-token`. */
  token?: string;
  /** The library to serve. Default: a fresh {@link createDemoLibrary}. */
  library?: DemoLibrary;
}

/** One request as the fake saw it (no token). */
export interface SeenRequest {
  /** HTTP method. */
  method: string;
  /** Path and query, with any token parameter removed. */
  path: string;
}

/**
 * The notification socket's path (API.md §23: every client library uses
 * the plural; whether the singular of Plex's own docs works is unverified,
 * so the fake answers it 404).
 */
export const FAKE_NOTIFICATION_PATH = "/:/websockets/notifications";

/**
 * The array key of each notification type's entries (API.md §23's table:
 * goplex, @ctrl/plex alert.types.ts).
 */
export const NOTIFICATION_KEYS = {
  playing: "PlaySessionStateNotification",
  timeline: "TimelineEntry",
  activity: "ActivityNotification",
  status: "StatusNotification",
  "transcodeSession.start": "TranscodeSession",
  "transcodeSession.update": "TranscodeSession",
  "transcodeSession.end": "TranscodeSession",
  reachability: "ReachabilityNotification",
  backgroundProcessingQueue: "BackgroundProcessingQueueEventNotification",
  preference: "Setting",
} as const;

/** A notification type the fake can send. */
export type NotificationType = keyof typeof NOTIFICATION_KEYS;

/** A connection to the fake's notification socket (made by `serveFake`). */
export interface FakeNotificationSocket {
  /** Sends one text frame. */
  send(frame: string): void;
  /** Ends the connection from the server's side (as a PMS restart does). */
  close(): void;
}

/** One handshake of the notification socket, as the fake saw it. */
export interface SocketHandshake {
  /** Path and query as sent, any token parameter's value replaced by `…`. */
  path: string;
  /** Whether the URL carried `X-Plex-Token`. */
  tokenInUrl: boolean;
  /** Whether the `X-Plex-Token` header was sent. */
  tokenHeader: boolean;
  /** 101 when the socket opened, else the refusal's status. */
  status: number;
}

const HTML_401 =
  "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";
const HTML_404 =
  "<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>";
const HTML_400 =
  "<html><head><title>Bad Request</title></head><body><h1>400 Bad Request</h1></body></html>";

/** A route handler: gets the request context, returns a response. */
export type Route = (ctx: RouteContext) => Response | Promise<Response>;

/** What a route sees. */
export interface RouteContext {
  /** The request. */
  req: Request;
  /** Its URL. */
  url: URL;
  /** Captured path parts, decoded. */
  params: string[];
  /** The fake. */
  fake: FakePlex;
}

/** plex.tv's hosts, which the in-process fetch sends to {@link FakePlex.plexTv}. */
const PLEX_TV_HOSTS = new Set([
  "plex.tv",
  "clients.plex.tv",
  "discover.provider.plex.tv",
  "metadata.provider.plex.tv",
]);

function html(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html" },
  });
}

/** Drops `undefined` fields and empty arrays, as Plex does. */
function clean(obj: RawObject): RawObject {
  const out: RawObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** The fake Plex Media Server. */
export class FakePlex {
  /** The library served (mutated by write endpoints). */
  readonly library: DemoLibrary;
  /** Every request received, in order, without the token. */
  readonly requests: SeenRequest[] = [];
  /** The fault injected into every answer, if any. */
  fault: Fault | undefined = undefined;
  /** When set, the fault applies only to requests it accepts. */
  faultFilter: ((method: string, path: string) => boolean) | undefined =
    undefined;
  /** Size of the `oversized` fault's body. Default 40 MiB. */
  oversizedBytes = 40 * 1024 * 1024;
  /** `/activities` polls before a new scan is listed (0: at once). */
  scanActivityDelay = 0;
  /**
   * Scans finish between two requests (a small library): a refresh with no
   * other scan running records the new `scannedAt` and lists no activity.
   */
  instantScans = false;
  /**
   * Paged answers give their total only in the `X-Plex-Container-Total-Size`
   * header, without the body's `totalSize` (Plex's OpenAPI description
   * documents the header on its paged endpoints, e.g. `/library/sections/
   * {sectionId}/all`; that every server also fills the body's is
   * unverified), so a client must read either.
   */
  totalInHeaderOnly = false;
  /**
   * An older server: the watch history ignores its `viewedAt>` filter and
   * lists every play, newest first; a client must stop at the range's
   * start itself.
   */
  historyIgnoresSince = false;
  /** Hostile mode: every answer carries the token (see `container`). */
  echoToken = false;
  /** Set by `serveFake`: answers go over the network, not in process. */
  served = false;
  /** Where the `redirect` fault points: another origin. */
  redirectTo = "http://sso.example.invalid";
  /** Stalled requests (the `stall` fault) that the client aborted. */
  aborted = 0;
  /** Milliseconds spent making answers (to tell Plex's time from ours). */
  busyMs = 0;
  /**
   * The addresses the server reports for itself on `GET /servers`, one
   * `Server` entry each (a server in Docker reports its bridge address,
   * 172.17.x). Default: one LAN address.
   */
  serverAddresses: string[] = [FAKE_LAN_ADDRESS];
  /**
   * A reverse proxy's path prefix (`/plex`): when set, only paths under it
   * reach the server, with the prefix taken off.
   */
  pathPrefix = "";
  /**
   * Transient tokens issued and still valid; clearing it is what a server
   * restart does to them (API.md §17.1: "destroyed when PMS restarts").
   */
  readonly transientTokens: Set<string> = new Set();
  /**
   * When set, `/security/token` answers this status instead of a token:
   * 403 "could not be created" (API.md §17.1, spec), or 404 for a server
   * without the endpoint.
   */
  transientTokenRefusal: 403 | 404 | undefined = undefined;
  /** When set, the photo transcoder answers these bytes for every image. */
  posterBytes: Uint8Array | undefined = undefined;
  /**
   * Other people's tokens for this server (Plex Home members), each with
   * its own watch state (see `viewers.ts`).
   */
  readonly viewers: Map<string, FakeViewer> = new Map();
  /**
   * The owner's plex.tv (Plex Home, friends, Discover's watchlist), which
   * the in-process {@link fetch} answers for plex.tv's hosts; serve it on
   * loopback with `serveFakePlexTv` for a client that has its address.
   */
  readonly plexTv: FakePlexTv;
  /** Open connections to the notification socket (served fakes only). */
  readonly notificationSockets: Set<FakeNotificationSocket> = new Set();
  /** Every handshake of the notification socket, in order. */
  readonly socketHandshakes: SocketHandshake[] = [];
  /** Notification frames sent to at least one open socket. */
  framesSent = 0;
  readonly #token: string;
  readonly #routes: [string, RegExp, Route][] = [];
  readonly #ownState: Map<unknown, unknown>[] = [];

  /** Creates a fake over `options.library` or a fresh demo library. */
  constructor(options: FakePlexOptions = {}) {
    this.#token = options.token ?? "demo-token";
    this.library = options.library ?? createDemoLibrary();
    this.#registerCore();
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
    registerStreamRoutes(this);
    const people = demoHome(this.library, this.#token);
    for (const [token, viewer] of people.viewers) this.addViewer(token, viewer);
    this.plexTv = new FakePlexTv({
      accountToken: this.#token,
      servers: [{
        name: this.library.name,
        machineIdentifier: this.library.machineIdentifier,
        accessToken: this.#token,
        owned: true,
        connections: [{ uri: "http://plex-demo.invalid:32400", local: true }],
      }],
      home: people.home,
      friends: [{
        id: 33301,
        uuid: "c3a4b5c6d7e8f901",
        title: "Riley",
        username: "riley",
      }],
      catalog: people.catalog,
    });
    for (const [token, ids] of people.watchlists) {
      this.plexTv.watchlists.set(
        token,
        new Map(ids.map((id, i) => [id, DEMO_EPOCH - 86_400 * (i + 1)])),
      );
    }
  }

  /** Accepts `token` as `viewer`'s (a Plex Home member's) from now on. */
  addViewer(token: string, viewer: FakeViewer): void {
    this.viewers.set(token, viewer);
    // Their shows and seasons count their own viewed episodes.
    asViewer(this.library, viewer, () => this.recount());
  }

  /** A `fetch` that answers from this fake, in process. */
  readonly fetch = (
    input: Request | URL | string,
    init?: RequestInit,
  ): Promise<Response> => {
    const req = input instanceof Request && init === undefined
      ? input
      : new Request(input, init);
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

  /** Adds a route; `pattern` is matched against the whole path. */
  route(method: string, pattern: RegExp, handler: Route): void {
    this.#routes.push([method, pattern, handler]);
  }

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

  /**
   * Registers state a route module keeps outside the library (a map of
   * each item's artwork): `forget-writes` puts it back too.
   */
  keepsState(map: Map<unknown, unknown>): void {
    this.#ownState.push(map);
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
    const own = this.#ownState.map((m) => [m, [...m]] as const);
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
    if (path !== "/identity" && token !== this.#token && !viewer) {
      return html(401, HTML_401);
    }
    if (viewer && adminOnly(path)) return html(401, HTML_401);
    for (const [method, pattern, handler] of this.#routes) {
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
    } else if ((header ?? inUrl) !== this.#token) {
      refusal = html(401, HTML_401);
    }
    record(refusal?.status ?? 101);
    return refusal;
  }

  /** Sends `frame` as it is to every open notification socket. */
  broadcast(frame: string): void {
    if (this.notificationSockets.size === 0) return;
    this.framesSent++;
    for (const socket of this.notificationSockets) socket.send(frame);
  }

  /**
   * Sends one notification in Plex's envelope (API.md §23):
   * `{"NotificationContainer":{"type","size","<ArrayKey>":[…]}}`.
   */
  notify(type: NotificationType, entries: RawObject[]): void {
    if (this.notificationSockets.size === 0) return;
    this.broadcast(JSON.stringify({
      NotificationContainer: {
        type,
        size: entries.length,
        [NOTIFICATION_KEYS[type]]: entries,
      },
    }));
  }

  /**
   * A `timeline` entry for a library item (API.md §23: @ctrl/plex's
   * fields, `sectionID`/`itemID` as strings; `state` 0 created … 5
   * processed, 9 deleted, ppa alert.py).
   */
  notifyTimeline(item: DemoItem, state: number): void {
    this.notify("timeline", [{
      identifier: "com.plexapp.plugins.library",
      sectionID: String(item.sectionId),
      itemID: item.ratingKey,
      type: typeNumber(String(item.raw.type)),
      title: item.raw.title,
      state,
      updatedAt: item.raw.updatedAt ?? DEMO_EPOCH,
    }]);
  }

  /**
   * An `activity` notification (API.md §23: `event`, `uuid` and the
   * `Activity` as `/activities` lists it; the `event` values are
   * unverified: started, updated, ended here).
   */
  notifyActivity(event: string, activity: RawObject): void {
    this.notify("activity", [{
      event,
      uuid: activity.uuid,
      Activity: activity,
    }]);
  }

  /**
   * A `playing` notification (API.md §23, goplex's fields): sent by Plex
   * again and again while something plays.
   */
  notifyPlaying(entry: {
    sessionKey: string;
    ratingKey: string;
    state: string;
    viewOffset: number;
  }): void {
    this.notify("playing", [{
      sessionKey: entry.sessionKey,
      guid: "",
      ratingKey: entry.ratingKey,
      url: "",
      key: `/library/metadata/${entry.ratingKey}`,
      viewOffset: entry.viewOffset,
      playQueueItemID: 0,
      state: entry.state,
    }]);
  }

  /**
   * Test hook: the playback of session `sessionKey` (as
   * `/status/sessions` lists it) changes state or position, as a player
   * reports to the server, which sends `playing`. False when no such
   * session plays.
   */
  updateSession(
    sessionKey: string,
    change: { state?: string; viewOffset?: number },
  ): boolean {
    const session = this.library.sessions.find((s) =>
      s.sessionKey === sessionKey
    );
    if (!session) return false;
    const player = session.Player as RawObject | undefined;
    if (change.state !== undefined && player) player.state = change.state;
    if (change.viewOffset !== undefined) session.viewOffset = change.viewOffset;
    this.notifyPlaying({
      sessionKey,
      ratingKey: String(session.ratingKey),
      state: String(player?.state ?? "playing"),
      viewOffset: Number(session.viewOffset ?? 0),
    });
    return true;
  }

  /** Test hook: ends every notification socket connection. */
  dropSockets(): void {
    for (const socket of [...this.notificationSockets]) socket.close();
    this.notificationSockets.clear();
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

  // ------------------------------------------------------------ helpers

  /** A JSON `MediaContainer` response. */
  container(fields: RawObject, headers: Record<string, string> = {}): Response {
    const body = clean(fields);
    return new Response(
      JSON.stringify({
        MediaContainer: this.echoToken ? this.#echo(body) : body,
      }),
      {
        status: 200,
        headers: { "content-type": "application/json", ...headers },
      },
    );
  }

  /**
   * Hostile mode: the token put into every human-readable string and every
   * image URL of an answer (as a server, a plugin or a badly written agent
   * might), leaving ids and types alone so the tools still work.
   */
  #echo(value: unknown, field = ""): unknown {
    if (typeof value === "string") {
      if (ECHO_URL_FIELDS.has(field)) {
        return `${value}?X-Plex-Token=${this.#token}`;
      }
      return ECHO_TEXT_FIELDS.has(field) ? `${value} ${this.#token}` : value;
    }
    if (Array.isArray(value)) return value.map((v) => this.#echo(v, field));
    if (value !== null && typeof value === "object") {
      const out: RawObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.#echo(v, k);
      return out;
    }
    return value;
  }
  notFound(): Response {
    return html(404, HTML_404);
  }

  /** A 400 with an HTML body. */
  badRequest(): Response {
    return html(400, HTML_400);
  }

  /** An empty 200, as Plex sends for most writes. */
  ok(): Response {
    return new Response(null, { status: 200 });
  }

  /**
   * Pages a list by `X-Plex-Container-Start/Size` (query or header). Like
   * Plex, `offset` and `totalSize` are reported only when paging was asked.
   * `view` turns the items of the page (only those) into raw objects.
   */
  paged(ctx: RouteContext, items: RawObject[], fields?: RawObject): Response;
  /** Pages items that `view` turns into raw objects (only the page's). */
  paged<T>(
    ctx: RouteContext,
    items: T[],
    fields: RawObject,
    view: (item: T) => RawObject,
  ): Response;
  paged<T>(
    ctx: RouteContext,
    items: T[],
    fields: RawObject = {},
    view: (item: T) => RawObject = (item) => item as RawObject,
  ): Response {
    const key = "Metadata";
    const start = this.param(ctx, "X-Plex-Container-Start");
    const size = this.param(ctx, "X-Plex-Container-Size");
    if (start === null || size === null) {
      return this.container({
        size: items.length,
        ...fields,
        [key]: items.map(view),
      });
    }
    const from = Math.max(0, Number(start) || 0);
    const count = Math.max(0, Number(size) || 0);
    const page = items.slice(from, from + count).map(view);
    return this.container(
      {
        size: page.length,
        totalSize: this.totalInHeaderOnly ? undefined : items.length,
        offset: from,
        ...fields,
        [key]: page,
      },
      {
        "X-Plex-Container-Start": String(from),
        "X-Plex-Container-Total-Size": String(items.length),
      },
    );
  }

  /**
   * A show's `/children` with its "All episodes" directory: the directory
   * is the first child, so it takes a place in the first page and counts
   * in `size` and `totalSize` like the seasons.
   */
  #pagedWithDirectory(
    ctx: RouteContext,
    directory: RawObject,
    kids: DemoItem[],
    fields: RawObject,
  ): Response {
    const children: (DemoItem | undefined)[] = [undefined, ...kids];
    const start = this.param(ctx, "X-Plex-Container-Start");
    const size = this.param(ctx, "X-Plex-Container-Size");
    const paging = start !== null && size !== null;
    const from = paging ? Math.max(0, Number(start) || 0) : 0;
    const count = paging ? Math.max(0, Number(size) || 0) : children.length;
    const page = children.slice(from, from + count);
    const items = page.filter((i) => i !== undefined);
    const body: RawObject = {
      size: page.length,
      ...(paging
        ? {
          totalSize: this.totalInHeaderOnly ? undefined : children.length,
          offset: from,
        }
        : {}),
      ...fields,
      Directory: page.length > items.length ? [directory] : [],
      Metadata: items.map((i) => this.listView(i)),
    };
    return this.container(
      body,
      paging
        ? {
          "X-Plex-Container-Start": String(from),
          "X-Plex-Container-Total-Size": String(children.length),
        }
        : {},
    );
  }

  /**
   * An item as list endpoints show it: tags trimmed as Plex trims them
   * (two genres, directors, writers and countries, three roles: measured
   * in the recorded GET__library_sections_{sectionId}_all.movies.json and
   * _all.paged.json), no streams or guids.
   */
  listView(item: DemoItem, includeGuids = false): RawObject {
    const raw = { ...item.raw };
    for (const [tag, keep] of LIST_TAGS) {
      if (Array.isArray(raw[tag])) {
        raw[tag] = (raw[tag] as unknown[]).slice(0, keep);
      }
    }
    if (!includeGuids) delete raw.Guid;
    return clean(raw);
  }

  /** An item as `/library/metadata/{id}` shows it, with streams. */
  detailView(item: DemoItem): RawObject {
    const raw = structuredClone(item.raw);
    for (const media of (raw.Media as RawObject[] | undefined) ?? []) {
      for (const part of (media.Part as RawObject[] | undefined) ?? []) {
        const streams: RawObject[] = [];
        if (media.videoCodec) {
          streams.push({
            id: Number(part.id) * 10,
            streamType: 1,
            default: true,
            codec: media.videoCodec,
            index: 0,
            width: media.width,
            height: media.height,
            displayTitle: `${media.videoResolution} (${
              String(media.videoCodec).toUpperCase()
            })`,
          });
        }
        if (media.audioCodec) {
          streams.push({
            id: Number(part.id) * 10 + 1,
            streamType: 2,
            selected: true,
            default: true,
            codec: media.audioCodec,
            channels: media.audioChannels,
            language: "English",
            languageCode: "eng",
            displayTitle: `English (${String(media.audioCodec).toUpperCase()})`,
          });
        }
        part.Stream = [
          ...streams,
          ...subtitleStreamsOf(this.library.subtitles, part.id),
        ];
      }
    }
    return clean(raw);
  }

  /** Looks up an item (or a collection, as Plex does). */
  item(ratingKey: string): DemoItem | undefined {
    const item = this.library.items.get(ratingKey);
    if (item) return item;
    const c = this.library.collections.get(ratingKey);
    return c && {
      ratingKey,
      sectionId: c.sectionId,
      parent: undefined,
      children: c.members,
      raw: c.raw,
    };
  }

  /** `item` itself or its ancestor of type `type` (show of an episode…). */
  ancestor(item: DemoItem, type: string): DemoItem | undefined {
    let at: DemoItem | undefined = item;
    while (at && at.raw.type !== type) {
      at = at.parent ? this.library.items.get(at.parent) : undefined;
    }
    return at;
  }

  /**
   * The items of type `type` a condition on that level is about for
   * `item`: itself, its ancestor of that type (the show of an episode), or
   * its descendants of that type (the episodes of a show).
   */
  atLevel(item: DemoItem, type: string): DemoItem[] {
    const up = this.ancestor(item, type);
    if (up) return [up];
    const out: DemoItem[] = [];
    const walk = (i: DemoItem) => {
      for (const rk of i.children) {
        const child = this.item(rk);
        if (!child) continue;
        if (child.raw.type === type) out.push(child);
        else walk(child);
      }
    };
    walk(item);
    return out;
  }

  /** Every leaf (movie, episode, track, photo) at or below an item. */
  leaves(item: DemoItem): DemoItem[] {
    if (item.children.length === 0) return [item];
    return item.children.flatMap((rk) => this.leaves(this.item(rk)!));
  }

  /** Recomputes `viewedLeafCount` of every container after a watch change. */
  recount(): void {
    for (const item of this.library.items.values()) {
      if (typeof item.raw.leafCount !== "number") continue;
      const leaves = this.leaves(item);
      item.raw.viewedLeafCount = leaves.filter((l) => l.raw.viewCount).length;
    }
  }

  /** Reads `X-Plex-*` values from the query or the headers. */
  param(ctx: RouteContext, name: string): string | null {
    return ctx.url.searchParams.get(name) ?? ctx.req.headers.get(name);
  }

  /** Top-level items of a section, or items of a given type. */
  sectionItems(sectionId: number, type?: number): DemoItem[] {
    const section = this.library.sections.get(sectionId);
    if (!section) return [];
    const top = section.items.map((rk) => this.library.items.get(rk)!);
    if (type === undefined) return top;
    const out: DemoItem[] = [];
    const walk = (items: DemoItem[]) => {
      for (const item of items) {
        if (typeNumber(String(item.raw.type)) === type) out.push(item);
        walk(item.children.map((rk) => this.library.items.get(rk)!));
      }
    };
    walk(top);
    return out;
  }

  // ------------------------------------------------------------- routes

  #registerCore(): void {
    const lib = this.library;
    this.route("GET", /^\/identity$/, () =>
      this.container({
        size: 0,
        claimed: true,
        machineIdentifier: lib.machineIdentifier,
        version: lib.version,
      }));

    this.route("GET", /^\/$/, () =>
      this.container({
        size: 3,
        allowSync: true,
        friendlyName: lib.name,
        machineIdentifier: lib.machineIdentifier,
        version: lib.version,
        platform: "Linux",
        platformVersion: "6.1.0",
        myPlex: true,
        myPlexMappingState: "mapped",
        myPlexSigninState: "ok",
        myPlexSubscription: true,
        myPlexUsername: "demo@example.com",
        multiuser: true,
        transcoderActiveVideoSessions: lib.sessions.filter((x) =>
          (x.TranscodeSession as { videoDecision?: string } | undefined)
            ?.videoDecision === "transcode"
        ).length,
        updatedAt: 1_763_000_000,
        Directory: [
          { count: 1, key: "library", title: "library" },
          { count: 1, key: "playlists", title: "playlists" },
          { count: 1, key: "status", title: "status" },
        ],
      }));

    this.route("GET", /^\/library\/sections$/, () => {
      const dirs = [...lib.sections.values()].map((s) => s.raw);
      return this.container({
        size: dirs.length,
        allowSync: false,
        title1: "Plex Library",
        Directory: dirs,
      });
    });

    this.route("GET", /^\/library\/sections\/([^/]+)$/, (ctx) => {
      const section = lib.sections.get(Number(ctx.params[0]));
      if (!section) return this.notFound();
      const views = ["all", "unwatched", "newest", "recentlyAdded", "onDeck"]
        .map((key) => ({ key, title: key }));
      return this.container({
        size: views.length,
        librarySectionID: section.id,
        title1: section.raw.title,
        viewGroup: "secondary",
        Directory: views,
      });
    });

    this.route("GET", /^\/library\/sections\/([^/]+)\/all$/, (ctx) => {
      const section = lib.sections.get(Number(ctx.params[0]));
      if (!section) return this.notFound();
      const p = ctx.url.searchParams;
      const type = p.get("type") ? Number(p.get("type")) : undefined;
      const primary = String(section.raw.type);
      const resultType = type === undefined
        ? primary
        : Object.entries(PLEX_TYPE_NUMBERS).find(([, n]) => n === type)?.[0] ??
          String(type);
      if (queryLevelProblem(primary, resultType, p)) return this.badRequest();
      // A field the level does not advertise (filter_meta.ts).
      if (unadvertisedField(primary, resultType, p)) return this.badRequest();
      let items = this.sectionItems(section.id, type);
      items = filterItems(items, p, (item, level) => this.atLevel(item, level));
      // Top-level lists are kept in title order, so the default sort is free.
      const sort = p.get("sort");
      if (type !== undefined || (sort && sort !== "titleSort")) {
        items = sortItems(items, sort);
      }
      const includeGuids = p.get("includeGuids") === "1";
      return this.paged(
        ctx,
        items,
        {
          allowSync: true,
          librarySectionID: section.id,
          librarySectionTitle: section.raw.title,
          librarySectionUUID: section.raw.uuid,
          title1: section.raw.title,
          title2: "All",
          viewGroup: section.raw.type,
          // What each level offers to filter on (ppa _loadFilters asks so).
          Meta: p.get("includeMeta") === "1"
            ? filterMeta(section.id, primary)
            : undefined,
        },
        (i) => this.listView(i, includeGuids),
      );
    });

    // Tag lists (genre, actor, director): Directory entries whose key is
    // the tag id that the /all filters take; `type` lists the tags of that
    // level's items (a filter's listing, `/library/sections/1/genre?type=2`,
    // API.md §26.2).
    this.route(
      "GET",
      /^\/library\/sections\/([^/]+)\/(genre|actor|director)$/,
      (ctx) => {
        const section = lib.sections.get(Number(ctx.params[0]));
        if (!section) return this.notFound();
        const kind = ctx.params[1] as TagKind;
        const names = new Set<string>();
        const type = ctx.url.searchParams.get("type");
        for (
          const item of this.sectionItems(
            section.id,
            type === null ? undefined : Number(type),
          )
        ) {
          for (const name of tagsOf(item, kind)) names.add(name);
        }
        const dirs = [...names].sort().map((title) => ({
          fastKey: `/library/sections/${section.id}/all?${kind}=${
            tagId(title)
          }`,
          key: String(tagId(title)),
          title,
          type: kind,
        }));
        return this.container({
          size: dirs.length,
          title1: section.raw.title,
          title2: `By ${kind}`,
          viewGroup: "secondary",
          Directory: dirs,
        });
      },
    );

    this.route("GET", /^\/library\/metadata\/([^/]+)$/, (ctx) => {
      // A comma list answers the items that exist and leaves out the rest;
      // only when none exists is it a 404, as for one unknown key (API.md
      // §5: "{ratingKey} may be a comma list"; python-plexapi's fetchItems
      // over such a list returns what the server found).
      const keys = ctx.params[0]!.split(",");
      const items = keys.map((k) => this.item(k)).filter((i) =>
        i !== undefined
      );
      if (items.length === 0) return this.notFound();
      const first = items[0]!;
      const section = lib.sections.get(first.sectionId)!;
      return this.container({
        size: items.length,
        allowSync: true,
        librarySectionID: section.id,
        librarySectionTitle: section.raw.title,
        librarySectionUUID: section.raw.uuid,
        Metadata: items.map((i) => this.detailView(i!)),
      });
    });

    this.route("GET", /^\/library\/metadata\/([^/]+)\/children$/, (ctx) => {
      const parent = this.item(ctx.params[0]!);
      if (!parent) return this.notFound();
      const kids = parent.children.map((rk) => this.item(rk)!);
      const fields: RawObject = {
        allowSync: true,
        key: ctx.params[0],
        librarySectionID: parent.sectionId,
        parentTitle: parent.raw.title,
        title1: parent.raw.title,
        title2: parent.raw.title,
        viewGroup: parent.raw.type === "show"
          ? "season"
          : parent.raw.type === "season"
          ? "episode"
          : parent.raw.type === "artist"
          ? "album"
          : "track",
      };
      if (parent.raw.type === "season") {
        // The container hoists show fields, with a *numeric* grandparentRatingKey.
        fields.grandparentRatingKey = Number(parent.parent);
        fields.grandparentTitle = parent.raw.parentTitle;
      }
      if (
        parent.raw.type === "show" &&
        ctx.url.searchParams.get("excludeAllLeaves") !== "1"
      ) {
        // Real servers put an "All episodes" directory before the seasons
        // and count it as a child: the recorded show with 2 seasons answers
        // size 3 (API.md §5; GET__library_metadata_{ratingKey}_children
        // .seasons.json; INDEX.md: "size counts every child element").
        // python-plexapi (video.py:641, 654 Show.season/seasons) and
        // @ctrl/plex (src/video.ts:574, 583) ask with excludeAllLeaves=1,
        // which leaves it out.
        const all: RawObject = {
          leafCount: parent.raw.leafCount,
          thumb: parent.raw.thumb,
          viewedLeafCount: parent.raw.viewedLeafCount,
          key: `/library/metadata/${parent.ratingKey}/allLeaves`,
          title: "All episodes",
        };
        return this.#pagedWithDirectory(ctx, all, kids, fields);
      }
      return this.paged(ctx, kids, fields, (i) => this.listView(i));
    });

    // Every episode of a show or season (every track of an artist or
    // album), flat (API.md §5).
    this.route("GET", /^\/library\/metadata\/([^/]+)\/allLeaves$/, (ctx) => {
      const parent = this.item(ctx.params[0]!);
      if (!parent) return this.notFound();
      return this.paged(
        ctx,
        this.leaves(parent),
        {
          allowSync: true,
          key: ctx.params[0],
          librarySectionID: parent.sectionId,
          title1: parent.raw.title,
          title2: "All episodes",
        },
        (i) => this.listView(i),
      );
    });
  }
}

/** Tags a list view keeps, and how many of each (see `listView`). */
const LIST_TAGS: [string, number][] = [
  ["Genre", 2],
  ["Director", 2],
  ["Writer", 2],
  ["Country", 2],
  ["Role", 3],
];

/** Fields the hostile mode writes the token into, as text. */
const ECHO_TEXT_FIELDS = new Set([
  "title",
  "summary",
  "tagline",
  "studio",
  "originalTitle",
  "parentTitle",
  "grandparentTitle",
  "librarySectionTitle",
  "title1",
  "title2",
  "friendlyName",
  "displayTitle",
  "extendedDisplayTitle",
  "file",
  "tag",
  "role",
  "description",
  "product",
  "device",
]);

/** Fields the hostile mode writes the token into, as a URL parameter. */
const ECHO_URL_FIELDS = new Set(["thumb", "art", "grandparentThumb"]);

/** Query parameters that are filters on a field (not paging or options). */
const FILTER_FIELDS = [
  "title",
  "year",
  "genre",
  "actor",
  "director",
  "unwatched",
  "unwatchedLeaves",
  "inProgress",
  // ppa's manual field `guid` (operator `=` only) and the per-user fields
  // with integer/date operators `>>=` and `<<=` (API.md §26.2).
  "guid",
  "viewCount",
  "lastViewedAt",
];

/** A filter key without its operator: `lastViewedAt>>` → field and `>>`. */
function splitOperator(key: string): { field: string; op: string } {
  const m = /^(.*?)(>>|<<)?$/.exec(key)!;
  return { field: m[1]!, op: m[2] ?? "" };
}

/**
 * A `/all` query whose filters or sort do not fit the result type: when
 * `type` asks for a level below the library's own (episodes of a TV
 * library), Plex's media queries address fields by level — `episode.year`,
 * `show.genre`, `sort=episode.titleSort` (API.md §26.2, python-plexapi
 * library.py:1061-1280, which always sends the level) — so a bare field is
 * refused here rather than silently applied to the wrong level.
 */
export function queryLevelProblem(
  primary: string,
  resultType: string,
  p: URLSearchParams,
): string | undefined {
  if (resultType === primary) return undefined;
  for (const key of p.keys()) {
    if (FILTER_FIELDS.includes(splitOperator(key).field)) {
      return `bare field ${key} for type ${resultType}`;
    }
  }
  const sort = p.get("sort");
  if (sort && sort.split(",").some((s) => !s.includes("."))) {
    return `bare sort ${sort} for type ${resultType}`;
  }
  return undefined;
}

/**
 * Applies Plex-style filters from the query to a list of items. A field may
 * name its level (`show.genre`, `episode.year`): the condition then holds
 * when it holds for the item's ancestor of that type, or for one of its
 * descendants of that type (`level` resolves them: a show with an
 * unwatched episode for `episode.unwatched`).
 */
export function filterItems(
  items: DemoItem[],
  p: URLSearchParams,
  level: (item: DemoItem, type: string) => DemoItem[] = (i) => [i],
): DemoItem[] {
  let out = items;
  for (const [key, value] of p.entries()) {
    const dot = key.indexOf(".");
    const type = dot < 0 ? undefined : key.slice(0, dot);
    const { field, op } = splitOperator(dot < 0 ? key : key.slice(dot + 1));
    if (!FILTER_FIELDS.includes(field)) continue;
    // Only the numeric fields take an operator.
    if (op && field !== "viewCount" && field !== "lastViewedAt") continue;
    const at = (i: DemoItem) => type ? level(i, type) : [i];
    const holds = (i: DemoItem): boolean => {
      switch (field) {
        case "title":
          return String(i.raw.title ?? "").toLowerCase().includes(
            value.toLowerCase(),
          );
        case "year":
          return value.split(",").map(Number).includes(Number(i.raw.year));
        case "unwatched":
        case "unwatchedLeaves":
          return value !== "1" || isUnwatched(i);
        case "inProgress":
          return value !== "1" || Number(i.raw.viewOffset ?? 0) > 0;
        case "guid":
          return i.raw.guid === value;
        case "viewCount":
        case "lastViewedAt": {
          const have = Number(i.raw[field] ?? 0);
          const want = Number(value);
          return op === ">>"
            ? have > want
            : op === "<<"
            ? have < want
            : have === want;
        }
        default: {
          // Like Plex, tag filters take tag ids (/library/sections/{id}/genre).
          const wanted = value.split(",").map(Number);
          return tagsOf(i, field as TagKind).some((t) =>
            wanted.includes(tagId(t))
          );
        }
      }
    };
    out = out.filter((item) => at(item).some(holds));
  }
  return out;
}

/** Tag kinds the fake can list and filter by. */
export type TagKind = "genre" | "actor" | "director";

/** Every tag kind. */
export const TAG_KINDS: readonly TagKind[] = ["genre", "actor", "director"];

const TAG_FIELD: Record<TagKind, string> = {
  genre: "Genre",
  actor: "Role",
  director: "Director",
};

/** Tag names of one kind on an item. */
export function tagsOf(item: DemoItem, kind: TagKind): string[] {
  const tags = item.raw[TAG_FIELD[kind]] as { tag: string }[] | undefined;
  return (tags ?? []).map((t) => t.tag);
}

/** A stable tag id for a tag name (Plex filters tags by id). */
export function tagId(name: string): number {
  let h = 0;
  for (const ch of name.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 90_000;
  return 10_000 + h;
}

/** Whether an item (or any leaf below it) is unwatched. */
export function isUnwatched(item: DemoItem): boolean {
  const leafCount = item.raw.leafCount;
  if (typeof leafCount === "number") {
    return Number(item.raw.viewedLeafCount ?? 0) < leafCount;
  }
  return !item.raw.viewCount;
}

/**
 * Sorts by Plex sort expressions such as `titleSort`, `addedAt:desc`,
 * `episode.titleSort` (the level prefix is the result's own here).
 */
export function sortItems(items: DemoItem[], sort: string | null): DemoItem[] {
  if (!sort) return items;
  const [rawField = "titleSort", dir = "asc"] = sort.split(",")[0]!.split(":");
  const field = rawField.includes(".") ? rawField.split(".")[1]! : rawField;
  const sign = dir === "desc" ? -1 : 1;
  const value = (i: DemoItem): string | number =>
    field === "titleSort"
      ? titleSort(i.raw).toLowerCase()
      : (i.raw[field] as number | string | undefined) ?? 0;
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const cmp = typeof va === "string" && typeof vb === "string"
      ? va.localeCompare(vb)
      : Number(va) - Number(vb);
    return cmp !== 0 ? sign * cmp : a.ratingKey.localeCompare(b.ratingKey);
  });
}
