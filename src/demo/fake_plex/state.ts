/**
 * The fake Plex's state and what a route sees: the library it serves, the
 * requests it received, the switches tests turn (faults, delays, hostile
 * modes), its Plex Home viewers and plex.tv, its notification sockets, the
 * route table, and the helpers routes answer with (containers, paging,
 * list and detail views). Route modules import this, never the dispatcher
 * (`mod.ts`), which extends it.
 *
 * @module
 */
import { ECHO_TEXT_FIELDS, ECHO_URL_FIELDS, LIST_TAGS } from "./fields.ts";
import { html, HTML_400, HTML_404 } from "./html.ts";
import {
  type FakeNotificationSocket,
  NOTIFICATION_KEYS,
  type NotificationType,
  type SocketHandshake,
} from "./notifications.ts";
import type { Fault } from "./faults.ts";
import { FakePlexTv } from "../fake_plextv/mod.ts";
import { demoHome } from "../demo_home.ts";
import { asViewer, type FakeViewer } from "./viewers.ts";
import {
  createDemoLibrary,
  DEMO_EPOCH,
  type DemoItem,
  type DemoLibrary,
  type RawObject,
  typeNumber,
} from "../library.ts";
import { mediaStreams } from "./streams.ts";

/** The LAN address the fake server reports for itself on `/servers` by default. */
export const FAKE_LAN_ADDRESS = "192.168.1.20";

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
  fake: FakePlexState;
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

/** The fake Plex Media Server's state, shared by the dispatcher and every route. */
export class FakePlexState {
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
  protected readonly token: string;
  protected readonly routes: [string, RegExp, Route][] = [];
  protected readonly ownState: Map<unknown, unknown>[] = [];

  /** Creates a fake over `options.library` or a fresh demo library. */
  constructor(options: FakePlexOptions = {}) {
    this.token = options.token ?? "demo-token";
    this.library = options.library ?? createDemoLibrary();
    const people = demoHome(this.library, this.token);
    for (const [token, viewer] of people.viewers) this.addViewer(token, viewer);
    this.plexTv = new FakePlexTv({
      accountToken: this.token,
      servers: [{
        name: this.library.name,
        machineIdentifier: this.library.machineIdentifier,
        accessToken: this.token,
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

  /** Adds a route; `pattern` is matched against the whole path. */
  route(method: string, pattern: RegExp, handler: Route): void {
    this.routes.push([method, pattern, handler]);
  }

  /**
   * Registers state a route module keeps outside the library (a map of
   * each item's artwork): `forget-writes` puts it back too.
   */
  keepsState(map: Map<unknown, unknown>): void {
    this.ownState.push(map);
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
        return `${value}?X-Plex-Token=${this.token}`;
      }
      return ECHO_TEXT_FIELDS.has(field) ? `${value} ${this.token}` : value;
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
  pagedWithDirectory(
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

  /**
   * Streams a route adds to a part of `/library/metadata/{id}` (subtitles:
   * the watch routes), by the part's id and the item's type.
   */
  readonly partStreams: ((partId: unknown, type: unknown) => RawObject[])[] =
    [];

  /** An item as `/library/metadata/{id}` shows it, with streams. */
  detailView(item: DemoItem): RawObject {
    const raw = structuredClone(item.raw);
    for (const media of (raw.Media as RawObject[] | undefined) ?? []) {
      for (const part of (media.Part as RawObject[] | undefined) ?? []) {
        const streams = mediaStreams(media, part);
        for (const more of this.partStreams) {
          streams.push(...more(part.id, raw.type));
        }
        part.Stream = streams;
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
}
