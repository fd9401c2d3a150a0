/**
 * zod schemas for Plex responses. They are tolerant of what real servers send
 * (omitted empty arrays, numbers as strings, 0/1/"1" booleans, single objects
 * where arrays are expected) and turn it into the clean models of
 * `models.ts`. Times keep Plex's units: `*At` fields are epoch seconds,
 * `duration`/`viewOffset` are milliseconds.
 *
 * @module
 */
import { z } from "zod";
import type {
  ButlerTask,
  HistoryEntry,
  MediaPart,
  MediaStream,
  MediaVersion,
  PlayerClient,
  PlexAccount,
  PlexActivity,
  PlexItem,
  Section,
  ServerInfo,
  SessionInfo,
  TranscodeInfo,
} from "./models.ts";

// ---------------------------------------------------------------- primitives

/** `true/false`, `0/1`, `"0"/"1"`, `"true"/"false"` → boolean. */
export const plexBool = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) => v === true || v === 1 || v === "1" || v === "true");

/** A number that may arrive as a numeric string. */
export const plexNum = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === "number" ? v : Number(v)))
  .pipe(z.number());

/** A string that may arrive as a number (ids). */
export const plexStr = z
  .union([z.string(), z.number()])
  .transform((v) => String(v));

// Optional scalars are coerced by one cheap transform each (a union with a
// pipe and a catch per field made item parsing the bulk of a call's cost).
// Anything that cannot be read as the type becomes undefined, never an error.
function toOptStr(v: unknown): string | undefined {
  return typeof v === "string"
    ? v
    : typeof v === "number"
    ? String(v)
    : undefined;
}
function toOptNum(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
function toOptBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  return v === 1 || v === "1" || v === "true";
}

// `.optional()` first: zod 4 then accepts a missing key and still runs the
// transform on undefined.
const optBool = z.unknown().optional().transform(toOptBool);
const optNum = z.unknown().optional().transform(toOptNum);
const optStr = z.unknown().optional().transform(toOptStr);

/**
 * An array that Plex omits when empty, or sends as a lone object. Elements
 * that do not fit `item` are dropped rather than failing the whole answer.
 */
function list<T extends z.ZodType>(item: T) {
  return z.unknown().optional().transform((v): z.output<T>[] => {
    if (v === undefined || v === null) return [];
    const out: z.output<T>[] = [];
    for (const element of Array.isArray(v) ? v : [v]) {
      const parsed = item.safeParse(element);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  });
}

// ------------------------------------------------------------- server info

const serverInfoRaw = z.object({
  friendlyName: optStr,
  machineIdentifier: plexStr,
  version: optStr,
  platform: optStr,
  platformVersion: optStr,
  myPlex: optBool,
  myPlexUsername: optStr,
  myPlexSigninState: optStr,
  myPlexMappingState: optStr,
  myPlexSubscription: optBool,
  transcoderActiveVideoSessions: optNum,
  multiuser: optBool,
  updatedAt: optNum,
  claimed: optBool,
});

/** `GET /` (and `/media/providers`) container → {@link ServerInfo}. */
export const serverInfoSchema = z
  .object({ MediaContainer: serverInfoRaw })
  .transform(({ MediaContainer: c }): ServerInfo => ({
    name: c.friendlyName ?? "",
    machineIdentifier: c.machineIdentifier,
    version: c.version ?? "",
    platform: c.platform,
    platformVersion: c.platformVersion,
    myPlex: c.myPlex ?? false,
    myPlexUsername: c.myPlexUsername,
    myPlexSigninState: c.myPlexSigninState,
    myPlexMappingState: c.myPlexMappingState,
    myPlexSubscription: c.myPlexSubscription,
    transcoderActiveVideoSessions: c.transcoderActiveVideoSessions,
    updatedAt: c.updatedAt,
  }));

/** `GET /identity` → machine identifier and version. */
export const identitySchema = z
  .object({
    MediaContainer: z.object({
      machineIdentifier: plexStr,
      version: optStr,
      claimed: optBool,
    }),
  })
  .transform(({ MediaContainer: c }) => ({
    machineIdentifier: c.machineIdentifier,
    version: c.version ?? "",
    claimed: c.claimed,
  }));

// ------------------------------------------------------------------ sections

const sectionRaw = z.object({
  key: plexStr,
  type: plexStr,
  title: plexStr,
  agent: optStr,
  scanner: optStr,
  language: optStr,
  uuid: optStr,
  refreshing: optBool,
  hidden: optBool,
  createdAt: optNum,
  updatedAt: optNum,
  scannedAt: optNum,
  contentChangedAt: optNum,
  Location: list(z.object({ id: optNum, path: plexStr })),
});

function toSection(d: z.output<typeof sectionRaw>): Section {
  return {
    key: d.key,
    title: d.title,
    type: d.type,
    agent: d.agent,
    scanner: d.scanner,
    language: d.language,
    uuid: d.uuid,
    refreshing: d.refreshing ?? false,
    hidden: d.hidden ?? false,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    scannedAt: d.scannedAt,
    locations: d.Location.map((l) => l.path),
  };
}

/** `GET /library/sections` → sections. */
export const sectionsSchema = z
  .object({ MediaContainer: z.object({ Directory: list(sectionRaw) }) })
  .transform(({ MediaContainer: c }): Section[] => c.Directory.map(toSection));

// ------------------------------------------------------------- media items

// Items are the hot path (every list parses dozens), so their fields are read
// by plain reader functions inside one zod transform per object instead of a
// zod schema per field: same tolerance, a fraction of the cost.

/** Reads one raw field. */
type Reader = (value: unknown) => unknown;
/** Field name → reader. */
type Spec = Record<string, Reader>;
/** What a spec reads. */
type Read<S extends Spec> = { [K in keyof S]: ReturnType<S[K]> };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Compiles a spec into a reader of objects (entries resolved once). */
function fieldsReader<S extends Spec>(
  spec: S,
): (o: Record<string, unknown>) => Read<S> {
  const entries = Object.entries(spec);
  return (o) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < entries.length; i++) {
      const [key, read] = entries[i]!;
      out[key] = read(o[key]);
    }
    return out as Read<S>;
  };
}

/** Reader of a list of objects (omitted → [], lone object → [it]). */
function many<S extends Spec>(spec: S): (v: unknown) => Read<S>[] {
  const read = fieldsReader(spec);
  return (v) => {
    if (v === undefined || v === null) return [];
    const out: Read<S>[] = [];
    for (const element of Array.isArray(v) ? v : [v]) {
      if (isObject(element)) out.push(read(element));
    }
    return out;
  };
}

/** Reader of an optional single object. */
function one<S extends Spec>(spec: S): (v: unknown) => Read<S> | undefined {
  const read = fieldsReader(spec);
  return (v) => (isObject(v) ? read(v) : undefined);
}

function readTagNames(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const out: string[] = [];
  for (const t of Array.isArray(v) ? v : [v]) {
    const name = toOptStr((t as { tag?: unknown } | null)?.tag);
    if (name !== undefined) out.push(name);
  }
  return out;
}

const str = toOptStr;
const num = toOptNum;
const bool = toOptBool;

const streamSpec = {
  id: str,
  streamType: num,
  codec: str,
  language: str,
  languageCode: str,
  displayTitle: str,
  extendedDisplayTitle: str,
  selected: bool,
  default: bool,
  channels: num,
  bitrate: num,
  width: num,
  height: num,
};

const partSpec = {
  id: str,
  key: str,
  file: str,
  size: num,
  duration: num,
  container: str,
  decision: str,
  Stream: many(streamSpec),
};

const mediaSpec = {
  id: str,
  duration: num,
  bitrate: num,
  width: num,
  height: num,
  videoResolution: str,
  videoCodec: str,
  audioCodec: str,
  audioChannels: num,
  container: str,
  videoFrameRate: str,
  Part: many(partSpec),
};

const STREAM_KINDS: Record<number, MediaStream["kind"]> = {
  1: "video",
  2: "audio",
  3: "subtitle",
  4: "lyrics",
};

function toMedia(m: Read<typeof mediaSpec>): MediaVersion {
  return {
    id: m.id,
    duration: m.duration,
    bitrate: m.bitrate,
    width: m.width,
    height: m.height,
    videoResolution: m.videoResolution,
    videoCodec: m.videoCodec,
    audioCodec: m.audioCodec,
    audioChannels: m.audioChannels,
    container: m.container,
    parts: m.Part.map((p): MediaPart => ({
      id: p.id,
      file: p.file,
      size: p.size,
      duration: p.duration,
      container: p.container,
      decision: p.decision,
      streams: p.Stream.map((s): MediaStream => ({
        kind: STREAM_KINDS[s.streamType ?? 0] ?? "other",
        codec: s.codec,
        language: s.language,
        languageCode: s.languageCode,
        title: s.extendedDisplayTitle ?? s.displayTitle,
        selected: s.selected,
        channels: s.channels,
        bitrate: s.bitrate,
      })),
    })),
  };
}

const itemSpec = {
  ratingKey: str,
  key: str,
  guid: str,
  type: str,
  subtype: str,
  title: str,
  titleSort: str,
  originalTitle: str,
  summary: str,
  tagline: str,
  studio: str,
  contentRating: str,
  year: num,
  index: num,
  parentIndex: num,
  parentRatingKey: str,
  parentTitle: str,
  grandparentRatingKey: str,
  grandparentTitle: str,
  librarySectionID: str,
  librarySectionTitle: str,
  duration: num,
  viewOffset: num,
  viewCount: num,
  lastViewedAt: num,
  addedAt: num,
  updatedAt: num,
  originallyAvailableAt: str,
  rating: num,
  audienceRating: num,
  userRating: num,
  leafCount: num,
  viewedLeafCount: num,
  childCount: num,
  smart: bool,
  playlistType: str,
  playlistItemID: str,
  score: num,
  thumb: str,
  Genre: readTagNames,
  Director: readTagNames,
  Writer: readTagNames,
  Country: readTagNames,
  Collection: readTagNames,
  Role: many({ tag: str, role: str }),
  Guid: many({ id: str }),
  Media: many(mediaSpec),
};

/** A zod schema reading an object with a spec, then shaping it. */
function objectOf<S extends Spec, T>(spec: S, shape: (d: Read<S>) => T) {
  const read = fieldsReader(spec);
  return z
    .custom<Record<string, unknown>>(isObject, "expected an object")
    .transform((o) => shape(read(o)));
}

function toItem(d: Read<typeof itemSpec>): PlexItem {
  return {
    ratingKey: d.ratingKey ?? "",
    key: d.key,
    guid: d.guid,
    type: d.type ?? "unknown",
    subtype: d.subtype,
    title: d.title ?? "",
    originalTitle: d.originalTitle,
    summary: d.summary,
    tagline: d.tagline,
    studio: d.studio,
    contentRating: d.contentRating,
    year: d.year,
    index: d.index,
    parentIndex: d.parentIndex,
    parentRatingKey: d.parentRatingKey,
    parentTitle: d.parentTitle,
    grandparentRatingKey: d.grandparentRatingKey,
    grandparentTitle: d.grandparentTitle,
    librarySectionID: d.librarySectionID,
    librarySectionTitle: d.librarySectionTitle,
    duration: d.duration,
    viewOffset: d.viewOffset,
    viewCount: d.viewCount ?? 0,
    lastViewedAt: d.lastViewedAt,
    addedAt: d.addedAt,
    updatedAt: d.updatedAt,
    originallyAvailableAt: d.originallyAvailableAt,
    rating: d.rating,
    audienceRating: d.audienceRating,
    userRating: d.userRating,
    leafCount: d.leafCount,
    viewedLeafCount: d.viewedLeafCount,
    childCount: d.childCount,
    smart: d.smart,
    playlistType: d.playlistType,
    playlistItemID: d.playlistItemID,
    score: d.score,
    genres: d.Genre,
    directors: d.Director,
    writers: d.Writer,
    countries: d.Country,
    collections: d.Collection,
    roles: d.Role.flatMap((r) =>
      r.tag === undefined ? [] : [{ name: r.tag, role: r.role }]
    ),
    externalIds: d.Guid.flatMap((g) => g.id === undefined ? [] : [g.id]),
    media: d.Media.map(toMedia),
  };
}

/** One library item (`Metadata` element) → {@link PlexItem}. */
export const itemSchema = objectOf(itemSpec, toItem);

/**
 * A `Metadata[]` array read straight through the item readers (no zod call
 * per element): entries that are not objects are dropped.
 */
function itemList<S extends Spec, T>(spec: S, shape: (d: Read<S>) => T) {
  const read = many(spec);
  return z.unknown().optional().transform((v): T[] => read(v).map(shape));
}

/** Container scalars that paging needs. */
const pageFields = {
  size: optNum,
  totalSize: optNum,
  offset: optNum,
};

/** A container of `Metadata[]` items with paging fields. */
export const itemsContainerSchema = z
  .object({
    MediaContainer: z.object({
      ...pageFields,
      title1: optStr,
      title2: optStr,
      librarySectionID: optStr,
      librarySectionTitle: optStr,
      ratingKey: optStr,
      title: optStr,
      smart: optBool,
      playlistType: optStr,
      leafCount: optNum,
      duration: optNum,
      Metadata: itemList(itemSpec, toItem),
    }),
  })
  .transform(({ MediaContainer: c }) => c);

/** A container used only for `totalSize` (paged with size 0). */
export const countSchema = z
  .object({ MediaContainer: z.object(pageFields) })
  .transform(({ MediaContainer: c }) => c);

// ---------------------------------------------------------------- search

const hubRaw = z.object({
  type: optStr,
  hubIdentifier: optStr,
  title: optStr,
  size: optNum,
  Metadata: itemList(itemSpec, toItem),
  Directory: list(z.object({
    tag: optStr,
    title: optStr,
    type: optStr,
    key: optStr,
    filter: optStr,
    librarySectionID: optStr,
    librarySectionTitle: optStr,
    tagType: optNum,
    count: optNum,
    score: optNum,
  })),
});

/** `GET /hubs/search` (and `/hubs`) → hubs. */
export const hubsSchema = z
  .object({ MediaContainer: z.object({ ...pageFields, Hub: list(hubRaw) }) })
  .transform(({ MediaContainer: c }) => c.Hub);

// -------------------------------------------------------------- sessions

const sessionSpec = {
  ...itemSpec,
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

/** `GET /status/sessions` → active sessions. */
export const sessionsSchema = z
  .object({
    MediaContainer: z.object({
      ...pageFields,
      Metadata: itemList(sessionSpec, (s) => s),
    }),
  })
  .transform(({ MediaContainer: c }): SessionInfo[] =>
    c.Metadata.map((s) => ({
      item: toItem(s),
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
    }))
  );

const historySpec = {
  ...itemSpec,
  historyKey: str,
  viewedAt: num,
  accountID: str,
  deviceID: str,
};

/** `GET /status/sessions/history/all` → history entries with paging. */
export const historySchema = z
  .object({
    MediaContainer: z.object({
      ...pageFields,
      Metadata: itemList(historySpec, (h) => h),
    }),
  })
  .transform(({ MediaContainer: c }) => ({
    size: c.size,
    totalSize: c.totalSize,
    offset: c.offset,
    entries: c.Metadata.map((h): HistoryEntry => ({
      historyKey: h.historyKey,
      item: toItem(h),
      viewedAt: h.viewedAt,
      accountID: h.accountID,
      deviceID: h.deviceID,
    })),
  }));

// --------------------------------------------------------------- clients

/** `GET /clients` (`Server[]`) → players. */
export const clientsSchema = z
  .object({
    MediaContainer: z.object({
      Server: list(z.object({
        name: optStr,
        host: optStr,
        address: optStr,
        port: optNum,
        machineIdentifier: plexStr,
        version: optStr,
        product: optStr,
        deviceClass: optStr,
        protocolCapabilities: optStr,
      })),
    }),
  })
  .transform(({ MediaContainer: c }): PlayerClient[] =>
    c.Server.map((s) => ({
      name: s.name ?? s.machineIdentifier,
      machineIdentifier: s.machineIdentifier,
      address: s.address ?? s.host,
      port: s.port,
      product: s.product,
      deviceClass: s.deviceClass,
      version: s.version,
      capabilities: (s.protocolCapabilities ?? "").split(",").filter(Boolean),
    }))
  );

// ---------------------------------------------------------------- admin

/** `GET /butler` (not in a MediaContainer) → tasks. */
export const butlerSchema = z
  .object({
    ButlerTasks: z.object({
      ButlerTask: list(z.object({
        name: plexStr,
        title: optStr,
        description: optStr,
        interval: optNum,
        enabled: optBool,
        scheduleRandomized: optBool,
      })),
    }),
  })
  .transform(({ ButlerTasks: b }): ButlerTask[] =>
    b.ButlerTask.map((t) => ({
      name: t.name,
      title: t.title ?? t.name,
      description: t.description,
      intervalDays: t.interval,
      enabled: t.enabled,
    }))
  );

/** `GET /accounts` → accounts. */
export const accountsSchema = z
  .object({
    MediaContainer: z.object({
      Account: list(z.object({ id: plexStr, name: optStr, thumb: optStr })),
    }),
  })
  .transform(({ MediaContainer: c }): PlexAccount[] =>
    c.Account.map((a) => ({ id: a.id, name: a.name ?? "" }))
  );

/** `GET /activities` → running activities. */
export const activitiesSchema = z
  .object({
    MediaContainer: z.object({
      Activity: list(z.object({
        uuid: plexStr,
        type: optStr,
        title: optStr,
        subtitle: optStr,
        progress: optNum,
        cancellable: optBool,
        Context: z
          .object({ librarySectionID: optStr })
          .optional()
          .catch(undefined),
      })),
    }),
  })
  .transform(({ MediaContainer: c }): PlexActivity[] =>
    c.Activity.map((a) => ({
      uuid: a.uuid,
      type: a.type ?? "",
      title: a.title ?? "",
      subtitle: a.subtitle,
      progress: a.progress,
      librarySectionID: a.Context?.librarySectionID,
    }))
  );

/** `POST /playQueues` → the queue id and selected item. */
export const playQueueSchema = z
  .object({
    MediaContainer: z.object({
      playQueueID: plexStr,
      playQueueSelectedItemID: optStr,
      playQueueTotalCount: optNum,
    }),
  })
  .transform(({ MediaContainer: c }) => ({
    id: c.playQueueID,
    selectedItemId: c.playQueueSelectedItemID,
    totalCount: c.playQueueTotalCount,
  }));

/** `GET /security/token` → a transient token. */
export const transientTokenSchema = z
  .object({ MediaContainer: z.object({ token: plexStr }) })
  .transform(({ MediaContainer: c }) => c.token);

/** `GET /library/sections/{id}/genre` (and other tag lists) → tags with ids. */
export const genresSchema = z
  .object({
    MediaContainer: z.object({
      Directory: list(z.object({ key: plexStr, title: plexStr })),
    }),
  })
  .transform(({ MediaContainer: c }) => c.Directory);
