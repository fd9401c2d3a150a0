/**
 * The fake Plex's notification socket: its path, the notification types
 * it sends and what tests see of its connections.
 *
 * @module
 */

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
