/**
 * Plex Media Server's notification socket (API.md §23): a websocket at
 * `/:/websockets/notifications` on the server's own address (`ws://`, or
 * `wss://` for an `https://` server), the token sent as the `X-Plex-Token`
 * handshake header and never in the URL (as goplex does; Deno's
 * `WebSocket` takes `{ headers }`). Each text frame is
 * `{"NotificationContainer":{"type":…,"size":n,"<ArrayKey>":[…]}}`.
 *
 * {@link parseFrame} reduces a frame to the few changes the resources
 * depend on, within fixed limits whatever the socket sends: a frame longer
 * than {@link MAX_FRAME_CHARS} is not parsed, at most
 * {@link MAX_ENTRIES_PER_FRAME} entries of a frame are read, unknown types
 * and malformed entries are skipped. {@link NotificationStream} keeps one
 * socket open while it has listeners and reconnects with backoff.
 *
 * Loaded only when an MCP client first subscribes to a resource.
 *
 * @module
 */

/** The socket's path (every client library uses the plural spelling, §23). */
export const NOTIFICATION_PATH = "/:/websockets/notifications";

/** Longest frame parsed, in characters; longer frames are skipped unread. */
export const MAX_FRAME_CHARS = 1024 * 1024;

/** Most entries read from one frame; the rest are skipped. */
export const MAX_ENTRIES_PER_FRAME = 1_000;

/**
 * One change Plex reported, reduced to what the resources depend on.
 * Identifiers are strings whether Plex sent strings or numbers (both are
 * seen, §23).
 */
export type PlexChange =
  | {
    /** A playback session changed state or position (`playing`). */
    kind: "playing";
    /** The item played. */
    ratingKey?: string;
    /** The session (matches `/status/sessions`). */
    sessionKey?: string;
    /** `playing`, `paused`, `stopped` or `buffering`. */
    state?: string;
  }
  | {
    /** A library item was created, processed, changed or deleted (`timeline`). */
    kind: "timeline";
    /** Its library section. */
    sectionId?: string;
    /** Its ratingKey. */
    itemId?: string;
    /** 0 created … 5 processed, 9 deleted. */
    state?: number;
  }
  | {
    /** A server activity (a scan…) started, progressed or ended (`activity`). */
    kind: "activity";
    /** The activity's uuid. */
    uuid?: string;
    /** `started`, `updated`, `ended`… (values unverified, §23). */
    event?: string;
    /** The library it works on, when it names one. */
    sectionId?: string;
  }
  | {
    /** A transcode session started or ended. */
    kind: "transcode";
  };

/** What {@link parseFrame} made of a frame. */
export interface ParsedFrame {
  /** The frame's `type`, when it has one. */
  type?: string;
  /** The changes it reports (none for a type nobody depends on). */
  changes: PlexChange[];
  /** Why the frame was not read (too long, not JSON, not an envelope). */
  unreadable?: string;
}

/** An id as a string: Plex sends strings or numbers (§23). */
function id(value: unknown): string | undefined {
  if (typeof value === "string") {
    return value.length > 0 && value.length <= 64 ? value : undefined;
  }
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    return String(value);
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length <= 64 ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/** The entries under `key`, at most {@link MAX_ENTRIES_PER_FRAME}. */
function entries(
  container: Record<string, unknown>,
  key: string,
): Record<string, unknown>[] {
  const list = container[key];
  if (!Array.isArray(list)) return [];
  const out: Record<string, unknown>[] = [];
  for (const e of list.slice(0, MAX_ENTRIES_PER_FRAME)) {
    const r = record(e);
    if (r) out.push(r);
  }
  return out;
}

/**
 * Reads one text frame of the socket. Never throws: a frame that cannot be
 * read says why in `unreadable`; a type no resource depends on (`status`,
 * `preference`, `log`, anything new) gives no changes.
 */
export function parseFrame(frame: string): ParsedFrame {
  if (frame.length > MAX_FRAME_CHARS) {
    return {
      changes: [],
      unreadable:
        `a frame of ${frame.length} characters (more than ${MAX_FRAME_CHARS})`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    return { changes: [], unreadable: "a frame that is not JSON" };
  }
  const container = record(record(parsed)?.NotificationContainer);
  const type = container?.type;
  if (!container || typeof type !== "string") {
    return {
      changes: [],
      unreadable: "a frame without a NotificationContainer and its type",
    };
  }
  const changes: PlexChange[] = [];
  switch (type) {
    case "playing":
      // goplex websocket_client.go; Home Assistant reads the same fields.
      for (const e of entries(container, "PlaySessionStateNotification")) {
        changes.push({
          kind: "playing",
          ratingKey: id(e.ratingKey),
          sessionKey: id(e.sessionKey),
          state: text(e.state),
        });
      }
      break;
    case "timeline":
      // @ctrl/plex alert.types.ts; ppa tools/plex-bootstraptest.py.
      for (const e of entries(container, "TimelineEntry")) {
        const identifier = e.identifier;
        if (
          identifier !== undefined &&
          identifier !== "com.plexapp.plugins.library"
        ) {
          continue;
        }
        changes.push({
          kind: "timeline",
          sectionId: id(e.sectionID),
          itemId: id(e.itemID),
          state: typeof e.state === "number" ? e.state : undefined,
        });
      }
      break;
    case "activity":
      for (const e of entries(container, "ActivityNotification")) {
        const activity = record(e.Activity);
        const context = record(activity?.Context);
        changes.push({
          kind: "activity",
          uuid: id(e.uuid) ?? id(activity?.uuid),
          event: text(e.event),
          sectionId: id(context?.librarySectionID),
        });
      }
      break;
    case "transcodeSession.start":
    case "transcodeSession.end":
    case "transcode.end":
      // `transcodeSession.update` comes every few seconds during a
      // transcode and changes nothing a resource shows but progress.
      changes.push({ kind: "transcode" });
      break;
  }
  return { type, changes };
}

/** The socket's URL for a server address: same host, `ws:`/`wss:`, no token. */
export function notificationUrl(baseUrl: string): string {
  const url = new URL(baseUrl.replace(/\/+$/, "") + NOTIFICATION_PATH);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  url.hash = "";
  return url.href;
}

/** The parts of a `WebSocket` the stream uses (tests may inject others). */
export interface SocketLike {
  /** Called once the handshake succeeded. */
  onopen: ((event: Event) => void) | null;
  /** Called with each frame. */
  onmessage: ((event: MessageEvent) => void) | null;
  /** Called on a failure (a close follows). */
  onerror: ((event: Event) => void) | null;
  /** Called once when the connection ends, however it ends. */
  onclose: ((event: CloseEvent) => void) | null;
  /** Closes the connection. */
  close(code?: number, reason?: string): void;
}

/** Opens a socket to `url` with handshake `headers`. */
export type OpenSocket = (
  url: string,
  headers: Record<string, string>,
) => SocketLike;

/** Runs `fn` after `ms`; returns a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

/** Who hears from a {@link NotificationStream}. */
export interface NotificationListener {
  /** Changes from one frame. */
  changes(changes: readonly PlexChange[]): void;
  /**
   * The socket is open again after it was lost: changes made while it was
   * down were not seen, so anything may have changed.
   */
  resync(): void;
}

/** The logging a stream does (a `Logger` fits). */
export interface StreamLog {
  /** Routine events. */
  debug(message: string): void;
  /** Connected again, after failures. */
  info(message: string): void;
  /** Failures. */
  warn(message: string): void;
}

/** Options for {@link NotificationStream}. */
export interface NotificationStreamOptions {
  /** The server's address (`http://host:32400`). */
  baseUrl: string;
  /**
   * Handshake headers, the token's among them; asked at every connection
   * attempt.
   */
  headers: () => Promise<Record<string, string>>;
  /** Where connection events go. */
  log: StreamLog;
  /** Removes secrets from text about failures. */
  redact: (text: string) => string;
  /** Opens the socket; default Deno's `WebSocket` with `{ headers }`. */
  open?: OpenSocket;
  /** Timer; default `setTimeout`. */
  schedule?: Schedule;
  /** First reconnect delay in ms. Default 1,000. */
  firstDelayMs?: number;
  /** Longest reconnect delay in ms. Default 60,000. */
  maxDelayMs?: number;
  /**
   * A connection open this long (ms) resets the backoff: its next drop is
   * retried after the first delay again. Default 60,000.
   */
  healthyMs?: number;
  /**
   * A handshake not answered within this many ms is given up and retried
   * (a server that accepts the connection and says nothing). Default
   * 30,000.
   */
  handshakeTimeoutMs?: number;
}

/** Counts of what the socket sent (for logs and tests). */
export interface StreamStats {
  /** Connections opened. */
  connects: number;
  /** Frames received. */
  frames: number;
  /** Frames that could not be read (too long, not JSON…). */
  unreadable: number;
}

function defaultOpen(url: string, headers: Record<string, string>): SocketLike {
  return new WebSocket(url, { headers }) as unknown as SocketLike;
}

function defaultSchedule(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

/** Text of a failure event (Deno's `ErrorEvent` has a message). */
function failureText(event: Event | undefined): string {
  const message = (event as ErrorEvent | undefined)?.message;
  return typeof message === "string" && message ? message : "connection lost";
}

/**
 * One server's notification socket, open while it has listeners: the first
 * {@link listen} connects, the last listener's removal closes it. A lost or
 * refused connection is retried after 1, 2, 4 … 60 s (reset once a
 * connection has stayed up for a minute); the first frames after a
 * reconnection are preceded by a `resync` to every listener.
 */
export class NotificationStream {
  readonly #options: NotificationStreamOptions;
  readonly #listeners = new Set<NotificationListener>();
  readonly #url: string;
  readonly #open: OpenSocket;
  readonly #schedule: Schedule;
  #socket: SocketLike | undefined;
  #connected = false;
  #failures = 0;
  #everConnected = false;
  #cancelRetry: (() => void) | undefined;
  #cancelHealthy: (() => void) | undefined;
  #cancelHandshake: (() => void) | undefined;
  #lastUnreadableLog = -Infinity;
  readonly #stats: StreamStats = { connects: 0, frames: 0, unreadable: 0 };

  /** Creates the stream; nothing connects until {@link listen}. */
  constructor(options: NotificationStreamOptions) {
    this.#options = options;
    this.#url = notificationUrl(options.baseUrl);
    this.#open = options.open ?? defaultOpen;
    this.#schedule = options.schedule ?? defaultSchedule;
  }

  /** The socket's URL (never with a token). */
  get url(): string {
    return this.#url;
  }

  /** Whether the socket is open now. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Whether anyone listens (the socket is open or being retried). */
  get active(): boolean {
    return this.#listeners.size > 0;
  }

  /** What the socket sent so far. */
  get stats(): Readonly<StreamStats> {
    return this.#stats;
  }

  /**
   * Adds a listener (connecting if it is the first); returns the function
   * that removes it (closing the socket if it was the last).
   */
  listen(listener: NotificationListener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#connect();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  /** Removes every listener and closes the socket. */
  close(): void {
    this.#listeners.clear();
    this.#stop();
  }

  #stop(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#cancelHealthy?.();
    this.#cancelHealthy = undefined;
    this.#cancelHandshake?.();
    this.#cancelHandshake = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    this.#connected = false;
    this.#failures = 0;
    this.#everConnected = false;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onerror = null;
      socket.onclose = null;
      try {
        socket.close(1000, "no subscriptions left");
      } catch {
        // Already closed.
      }
      this.#options.log.debug(`closed ${this.#url}`);
    }
  }

  async #connect(): Promise<void> {
    this.#cancelRetry = undefined;
    let headers: Record<string, string>;
    try {
      headers = await this.#options.headers();
    } catch (error) {
      this.#failed(error instanceof Error ? error.message : String(error));
      return;
    }
    // Everyone may have left while the headers were made.
    if (!this.active || this.#socket) return;
    let socket: SocketLike;
    try {
      socket = this.#open(this.#url, headers);
    } catch (error) {
      // No permission for the host, or a URL Deno refuses.
      this.#failed(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#socket = socket;
    let why: string | undefined;
    const limit = this.#options.handshakeTimeoutMs ?? 30_000;
    const cancelHandshake = this.#cancelHandshake = this.#schedule(() => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      socket.onopen = socket.onmessage = socket.onerror = null;
      socket.onclose = null;
      try {
        socket.close();
      } catch {
        // Not open yet: nothing to close.
      }
      this.#failed(`no answer to the handshake within ${limit / 1000} s`);
    }, limit);
    socket.onopen = () => {
      cancelHandshake();
      this.#connected = true;
      this.#stats.connects++;
      const again = this.#everConnected;
      this.#everConnected = true;
      if (this.#failures > 0 || again) {
        this.#options.log.info(`Listening to ${this.#url} again`);
      } else {
        this.#options.log.debug(`Listening to ${this.#url}`);
      }
      // A connection that stays up for a while resets the backoff.
      this.#cancelHealthy = this.#schedule(() => {
        this.#failures = 0;
      }, this.#options.healthyMs ?? 60_000);
      if (again) { for (const l of [...this.#listeners]) l.resync(); }
    };
    socket.onmessage = (event) => this.#frame(event.data);
    socket.onerror = (event) => {
      why = failureText(event);
    };
    socket.onclose = (event) => {
      cancelHandshake();
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#connected = false;
      this.#cancelHealthy?.();
      this.#cancelHealthy = undefined;
      this.#failed(
        why ??
          `closed by the server${event?.code ? ` (code ${event.code})` : ""}`,
      );
    };
  }

  #failed(why: string): void {
    if (!this.active) return;
    const delay = Math.min(
      (this.#options.firstDelayMs ?? 1_000) * 2 ** Math.min(this.#failures, 30),
      this.#options.maxDelayMs ?? 60_000,
    );
    this.#failures++;
    const reason = this.#options.redact(why).slice(0, 300);
    const hint = /\b401\b/.test(reason)
      ? ": Plex refused the token (check PLEX_TOKEN; the notification socket needs the server owner's token)"
      : /\b(NotCapable|PermissionDenied|Requires net access)\b/i.test(reason)
      ? ": Deno has no permission for this host (--allow-net)"
      : "";
    const line =
      `Plex notification socket ${this.#url}: ${reason}${hint}; retrying in ${
        delay / 1000
      } s`;
    // The first failures are worth a warning; a long outage is not a
    // warning a minute.
    if (this.#failures <= 3) this.#options.log.warn(line);
    else this.#options.log.debug(line);
    this.#cancelRetry = this.#schedule(() => {
      if (this.active && !this.#socket) this.#connect();
    }, delay);
  }

  #frame(data: unknown): void {
    this.#stats.frames++;
    if (typeof data !== "string") {
      this.#unreadable("a binary frame");
      return;
    }
    const parsed = parseFrame(data);
    if (parsed.unreadable) {
      this.#unreadable(parsed.unreadable);
      return;
    }
    if (parsed.changes.length === 0) return;
    for (const l of [...this.#listeners]) l.changes(parsed.changes);
  }

  #unreadable(why: string): void {
    this.#stats.unreadable++;
    const now = performance.now();
    // At most one line a minute, however many such frames come.
    if (now - this.#lastUnreadableLog < 60_000) return;
    this.#lastUnreadableLog = now;
    this.#options.log.warn(
      `Plex notification socket ${this.#url}: skipped ${why} (${this.#stats.unreadable} unreadable frames so far)`,
    );
  }
}
