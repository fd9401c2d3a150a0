/**
 * Answers about what is playing (`GET /status/sessions`) and what was
 * played (`GET /status/sessions/history/all`).
 *
 * @module
 */
import { bool, num, str } from "../readers.ts";
import type { HistoryEntry, SessionInfo, TranscodeInfo } from "../models.ts";
import { readItem } from "./items.ts";
import {
  type ContainerSchema,
  containerSchema,
  fieldsReader,
  objects,
  one,
  type Read,
} from "./shared.ts";

// -------------------------------------------------------------- sessions

const sessionSpec = {
  sessionKey: str,
  User: one({ id: str, title: str }),
  Player: one({
    title: str,
    product: str,
    platform: str,
    device: str,
    state: str,
    address: str,
    machineIdentifier: str,
    local: bool,
  }),
  Session: one({ id: str, bandwidth: num, location: str }),
  TranscodeSession: one({
    key: str,
    videoDecision: str,
    audioDecision: str,
    subtitleDecision: str,
    progress: num,
    speed: num,
    throttled: bool,
    transcodeHwRequested: bool,
  }),
};

const readSessionFields = fieldsReader(sessionSpec);

function readSession(o: Record<string, unknown>) {
  return { ...readSessionFields(o), item: readItem(o) };
}

function toTranscode(
  t: Read<typeof sessionSpec>["TranscodeSession"],
): TranscodeInfo | undefined {
  if (!t) return undefined;
  return {
    videoDecision: t.videoDecision,
    audioDecision: t.audioDecision,
    subtitleDecision: t.subtitleDecision,
    progress: t.progress,
    speed: t.speed,
    throttled: t.throttled,
  };
}

/**
 * `GET /status/sessions` → active sessions, read by a plain function (the
 * same structure guard as a zod object: `MediaContainer` must be an
 * object; entries that are not objects are dropped).
 */
export const sessionsSchema: ContainerSchema<SessionInfo[]> = containerSchema(
  (c): SessionInfo[] =>
    objects(c.Metadata, readSession).map((s) => ({
      item: s.item,
      sessionKey: s.sessionKey,
      user: s.User?.title,
      userId: s.User?.id,
      player: s.Player && {
        title: s.Player.title,
        product: s.Player.product,
        platform: s.Player.platform,
        device: s.Player.device,
        state: s.Player.state,
        address: s.Player.address,
        machineIdentifier: s.Player.machineIdentifier,
        local: s.Player.local,
      },
      sessionId: s.Session?.id,
      bandwidthKbps: s.Session?.bandwidth,
      location: s.Session?.location,
      transcode: toTranscode(s.TranscodeSession),
    })),
);

const historySpec = {
  historyKey: str,
  viewedAt: num,
  accountID: str,
  deviceID: str,
};

const readHistoryFields = fieldsReader(historySpec);

function readHistory(o: Record<string, unknown>) {
  return { ...readHistoryFields(o), item: readItem(o) };
}

/** History entries with the container's paging fields. */
export interface HistoryPage {
  /** Entries in this page. */
  size: number | undefined;
  /** All matching entries, when Plex says. */
  totalSize: number | undefined;
  /** Offset of this page, when Plex says. */
  offset: number | undefined;
  /** The entries. */
  entries: HistoryEntry[];
}

/**
 * `GET /status/sessions/history/all` → history entries with paging, read
 * by a plain function (structure guard as for {@link sessionsSchema}).
 */
export const historySchema: ContainerSchema<HistoryPage> = containerSchema((
  c,
): HistoryPage => ({
  size: num(c.size),
  totalSize: num(c.totalSize),
  offset: num(c.offset),
  entries: objects(c.Metadata, readHistory).map((h): HistoryEntry => ({
    historyKey: h.historyKey,
    item: h.item,
    viewedAt: h.viewedAt,
    accountID: h.accountID,
    deviceID: h.deviceID,
  })),
}));
