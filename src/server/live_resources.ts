/**
 * Resource subscriptions of one MCP session, fed by Plex's notification
 * socket (`src/plex/notifications.ts`): which subscribed URIs a change
 * touches, and `notifications/resources/updated` for each, at most one a
 * second per URI (a burst sends one at once and one when it is over).
 *
 * One socket per Plex server, shared by every session that subscribed to
 * one of its resources (HTTP serves several sessions): open while any
 * subscription to that server lasts, closed with the last one (an
 * unsubscribe, or the end of the session).
 *
 * Loaded on the first `resources/subscribe`, never at start-up.
 *
 * @module
 */
import type { PlexClient } from "../plex/client.ts";
import {
  NotificationStream,
  type PlexChange,
  type StreamLog,
} from "../plex/notifications.ts";

/** What a subscribed resource shows, and so which changes touch it. */
export type LiveKind = "sessions" | "activities" | "library" | "media";

/** A subscription's resource, parsed and checked. */
export interface LiveTarget {
  /** The URI as the client subscribed to it (what the update names). */
  uri: string;
  /** The Plex server it reads from. */
  client: PlexClient;
  /** What it shows. */
  kind: LiveKind;
  /** The library key (`library`) or ratingKey (`media`). */
  id?: string;
}

/** Most subscriptions one session may hold at once. */
export const MAX_SUBSCRIPTIONS = 100;

/** Options for {@link LiveResources}. */
export interface LiveResourcesOptions {
  /** Sends `notifications/resources/updated` for `uri`. */
  notify: (uri: string) => Promise<void>;
  /** Where the sockets log. */
  log: StreamLog;
  /** Shortest time between two updates of one URI, in ms. Default 1,000. */
  coalesceMs?: number;
}

/** Whether `change` may change what `target` shows. */
export function touches(target: LiveTarget, change: PlexChange): boolean {
  switch (target.kind) {
    case "sessions":
      return change.kind === "playing" || change.kind === "transcode";
    case "activities":
      return change.kind === "activity";
    case "library":
      return (change.kind === "timeline" || change.kind === "activity") &&
        change.sectionId === target.id;
    case "media":
      return (change.kind === "playing" && change.ratingKey === target.id) ||
        (change.kind === "timeline" && change.itemId === target.id);
  }
}

/** Every server's socket, shared by the sessions listening to it. */
const STREAMS = new WeakMap<PlexClient, NotificationStream>();

/** The notification socket of `client`'s server (one per client). */
export function streamFor(
  client: PlexClient,
  log: StreamLog,
): NotificationStream {
  let stream = STREAMS.get(client);
  if (!stream) {
    stream = new NotificationStream({
      baseUrl: client.baseUrl,
      // The token goes in a handshake header; `secrets()` lists it first.
      headers: async () => ({
        "X-Plex-Token": client.secrets()[0] ?? "",
        "X-Plex-Client-Identifier": await client.clientIdentifier(),
        "X-Plex-Product": "plexmcp",
        "Accept": "application/json",
      }),
      log,
      redact: (text) => client.redact(text),
    });
    STREAMS.set(client, stream);
  }
  return stream;
}

/** One URI's update timer: at most one update per window. */
interface Pending {
  /** Cancels the window. */
  timer: ReturnType<typeof setTimeout>;
  /** A change came during the window: update when it ends. */
  again: boolean;
}

/** The subscriptions of one MCP session. */
export class LiveResources {
  readonly #options: LiveResourcesOptions;
  readonly #targets = new Map<string, LiveTarget>();
  /** Per server: its stream listener's removal, while it has targets. */
  readonly #listening = new Map<PlexClient, () => void>();
  readonly #pending = new Map<string, Pending>();
  #closed = false;

  /** Creates the (empty) set. */
  constructor(options: LiveResourcesOptions) {
    this.#options = options;
  }

  /** URIs subscribed now. */
  get uris(): string[] {
    return [...this.#targets.keys()];
  }

  /**
   * Subscribes to `target` (again: no change). Throws a `RangeError` past
   * {@link MAX_SUBSCRIPTIONS}.
   */
  subscribe(target: LiveTarget): void {
    if (this.#closed || this.#targets.has(target.uri)) return;
    if (this.#targets.size >= MAX_SUBSCRIPTIONS) {
      throw new RangeError(
        `At most ${MAX_SUBSCRIPTIONS} resources can be subscribed to at once: unsubscribe from one first`,
      );
    }
    this.#targets.set(target.uri, target);
    const client = target.client;
    if (!this.#listening.has(client)) {
      const stream = streamFor(client, this.#options.log);
      this.#listening.set(
        client,
        stream.listen({
          changes: (changes) => this.#changed(client, changes),
          resync: () => this.#changed(client, undefined),
        }),
      );
    }
  }

  /** Unsubscribes from `uri` (not subscribed: nothing to do). */
  unsubscribe(uri: string): void {
    const target = this.#targets.get(uri);
    if (!target) return;
    this.#targets.delete(uri);
    const pending = this.#pending.get(uri);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(uri);
    const client = target.client;
    if ([...this.#targets.values()].some((t) => t.client === client)) return;
    this.#listening.get(client)?.();
    this.#listening.delete(client);
  }

  /** Ends every subscription (the session closed). */
  close(): void {
    this.#closed = true;
    for (const uri of [...this.#targets.keys()]) this.unsubscribe(uri);
  }

  /** Changes on `client`'s server; undefined: anything may have changed. */
  #changed(client: PlexClient, changes: readonly PlexChange[] | undefined) {
    for (const target of this.#targets.values()) {
      if (target.client !== client) continue;
      if (!changes || changes.some((c) => touches(target, c))) {
        this.#update(target.uri);
      }
    }
  }

  /** Sends an update now, or when the URI's window ends. */
  #update(uri: string): void {
    const pending = this.#pending.get(uri);
    if (pending) {
      pending.again = true;
      return;
    }
    this.#send(uri);
    this.#window(uri);
  }

  #window(uri: string): void {
    const entry: Pending = {
      again: false,
      timer: setTimeout(() => {
        this.#pending.delete(uri);
        if (!entry.again || !this.#targets.has(uri)) return;
        this.#send(uri);
        this.#window(uri);
      }, this.#options.coalesceMs ?? 1_000),
    };
    this.#pending.set(uri, entry);
  }

  #send(uri: string): void {
    // A client that went away meanwhile: the session's close follows.
    this.#options.notify(uri).catch(() => {});
  }
}
