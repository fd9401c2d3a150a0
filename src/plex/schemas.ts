/**
 * zod schemas for Plex responses. They are tolerant of what real servers send
 * (omitted empty arrays, numbers as strings, 0/1/"1" booleans, single objects
 * where arrays are expected) and turn it into the clean models of
 * `models.ts`. Times keep Plex's units: `*At` fields are epoch seconds,
 * `duration`/`viewOffset` are milliseconds.
 *
 * @module
 */
import { z } from "../zod.ts";
import { bool, containerReader, isObject, num, str } from "./readers.ts";
import type { ResponseSchema } from "./client.ts";
import type {
  ButlerTask,
  HistoryEntry,
  MediaPart,
  MediaStream,
  MediaVersion,
  OwnServer,
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

// `.optional()` first: zod 4 then accepts a missing key and still runs the
// transform on undefined.
const optBool = z.unknown().optional().transform(bool);
const optNum = z.unknown().optional().transform(num);
const optStr = z.unknown().optional().transform(str);

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

function readSection(d: Record<string, unknown>): Section | undefined {
  const key = str(d.key);
  const type = str(d.type);
  const title = str(d.title);
  // A section without key, type or title is not usable: dropped.
  if (key === undefined || type === undefined || title === undefined) {
    return undefined;
  }
  return {
    key,
    title,
    type,
    agent: str(d.agent),
    scanner: str(d.scanner),
    language: str(d.language),
    uuid: str(d.uuid),
    refreshing: bool(d.refreshing) ?? false,
    hidden: bool(d.hidden) ?? false,
    createdAt: num(d.createdAt),
    updatedAt: num(d.updatedAt),
    scannedAt: num(d.scannedAt),
    locations: objects(d.Location, (l) => str(l.path)).filter((p) =>
      p !== undefined
    ),
  };
}

/** `GET /library/sections` → sections. */
export const sectionsSchema: ContainerSchema<Section[]> = containerSchema((
  c,
) => objects(c.Directory, readSection).filter((s) => s !== undefined));

// ------------------------------------------------------------- media items

// Items, sections and search hubs are the hot path (a page or a search reads
// dozens), so their fields are read by plain functions instead of a zod
// schema per field or per element: same tolerance, a fraction of the cost.

/** Reads one raw field. */
type Reader = (value: unknown) => unknown;
/** Field name → reader. */
type Spec = Record<string, Reader>;
/** What a spec reads. */
type Read<S extends Spec> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * A response schema that reads `MediaContainer` with a plain function. Used
 * on hot paths (sections, search) where a zod call per element costs more
 * than the request; readers are tolerant and never throw.
 */
export interface ContainerSchema<T> extends ResponseSchema<T> {
  /** Like `safeParse`, throwing on a missing `MediaContainer`. */
  parse(data: unknown): T;
}

function containerSchema<T>(
  read: (c: Record<string, unknown>) => T,
): ContainerSchema<T> {
  const { safeParse } = containerReader(read);
  return {
    safeParse,
    parse(data) {
      const result = safeParse(data);
      if (!result.success) {
        throw new TypeError("expected an object at MediaContainer");
      }
      return result.data;
    },
  };
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

/** Reader of an optional single object. */
function one<S extends Spec>(spec: S): (v: unknown) => Read<S> | undefined {
  const read = fieldsReader(spec);
  return (v) => (isObject(v) ? read(v) : undefined);
}

function readTagNames(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const out: string[] = [];
  for (const t of Array.isArray(v) ? v : [v]) {
    const name = str((t as { tag?: unknown } | null)?.tag);
    if (name !== undefined) out.push(name);
  }
  return out;
}

/** Each object of a list (omitted → [], lone object → [it]) through `read`. */
function objects<T>(v: unknown, read: (o: Record<string, unknown>) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return isObject(v) ? [read(v)] : [];
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    const element = v[i];
    if (isObject(element)) out.push(read(element));
  }
  return out;
}

const STREAM_KINDS: Record<number, MediaStream["kind"]> = {
  1: "video",
  2: "audio",
  3: "subtitle",
  4: "lyrics",
};

function readStream(s: Record<string, unknown>): MediaStream {
  return {
    kind: STREAM_KINDS[num(s.streamType) ?? 0] ?? "other",
    codec: str(s.codec),
    language: str(s.language),
    languageCode: str(s.languageCode),
    title: str(s.extendedDisplayTitle) ?? str(s.displayTitle),
    selected: bool(s.selected),
    channels: num(s.channels),
    bitrate: num(s.bitrate),
  };
}

function readPart(p: Record<string, unknown>): MediaPart {
  return {
    id: str(p.id),
    file: str(p.file),
    size: num(p.size),
    duration: num(p.duration),
    container: str(p.container),
    decision: str(p.decision),
    streams: objects(p.Stream, readStream),
  };
}

function readMedia(m: Record<string, unknown>): MediaVersion {
  return {
    id: str(m.id),
    duration: num(m.duration),
    bitrate: num(m.bitrate),
    width: num(m.width),
    height: num(m.height),
    videoResolution: str(m.videoResolution),
    videoCodec: str(m.videoCodec),
    audioCodec: str(m.audioCodec),
    audioChannels: num(m.audioChannels),
    container: str(m.container),
    parts: objects(m.Part, readPart),
  };
}

function readRoles(v: unknown): PlexItem["roles"] {
  return objects(v, (r) => r).flatMap((r) => {
    const name = str(r.tag);
    return name === undefined ? [] : [{ name, role: str(r.role) }];
  });
}

function readGuids(v: unknown): string[] {
  return objects(v, (g) => str(g.id)).filter((id) => id !== undefined);
}

/** One `Metadata` element → {@link PlexItem}. */
function readItem(o: Record<string, unknown>): PlexItem {
  return {
    ratingKey: str(o.ratingKey) ?? "",
    key: str(o.key),
    guid: str(o.guid),
    type: str(o.type) ?? "unknown",
    subtype: str(o.subtype),
    title: str(o.title) ?? "",
    originalTitle: str(o.originalTitle),
    summary: str(o.summary),
    tagline: str(o.tagline),
    studio: str(o.studio),
    contentRating: str(o.contentRating),
    year: num(o.year),
    index: num(o.index),
    parentIndex: num(o.parentIndex),
    parentRatingKey: str(o.parentRatingKey),
    parentTitle: str(o.parentTitle),
    grandparentRatingKey: str(o.grandparentRatingKey),
    grandparentTitle: str(o.grandparentTitle),
    librarySectionID: str(o.librarySectionID),
    librarySectionTitle: str(o.librarySectionTitle),
    duration: num(o.duration),
    viewOffset: num(o.viewOffset),
    viewCount: num(o.viewCount) ?? 0,
    lastViewedAt: num(o.lastViewedAt),
    addedAt: num(o.addedAt),
    updatedAt: num(o.updatedAt),
    originallyAvailableAt: str(o.originallyAvailableAt),
    rating: num(o.rating),
    audienceRating: num(o.audienceRating),
    userRating: num(o.userRating),
    leafCount: num(o.leafCount),
    viewedLeafCount: num(o.viewedLeafCount),
    childCount: num(o.childCount),
    smart: bool(o.smart),
    playlistType: str(o.playlistType),
    playlistItemID: str(o.playlistItemID),
    score: num(o.score),
    genres: readTagNames(o.Genre),
    directors: readTagNames(o.Director),
    writers: readTagNames(o.Writer),
    countries: readTagNames(o.Country),
    collections: readTagNames(o.Collection),
    roles: readRoles(o.Role),
    externalIds: readGuids(o.Guid),
    media: objects(o.Media, readMedia),
    thumb: str(o.thumb),
    parentThumb: str(o.parentThumb),
    grandparentThumb: str(o.grandparentThumb),
    art: str(o.art),
  };
}

/**
 * One `Metadata` element → {@link PlexItem} in brief: only what a list
 * prints ({@link readItem}'s fields that an item summary uses) and its
 * library, the rest left empty, so a page of items does not read every item's media,
 * streams, roles and tags.
 */
function readItemBrief(o: Record<string, unknown>): PlexItem {
  return {
    ratingKey: str(o.ratingKey) ?? "",
    key: undefined,
    guid: undefined,
    type: str(o.type) ?? "unknown",
    subtype: undefined,
    title: str(o.title) ?? "",
    originalTitle: undefined,
    summary: undefined,
    tagline: undefined,
    studio: undefined,
    contentRating: undefined,
    year: num(o.year),
    index: num(o.index),
    parentIndex: num(o.parentIndex),
    parentRatingKey: undefined,
    parentTitle: str(o.parentTitle),
    grandparentRatingKey: undefined,
    grandparentTitle: str(o.grandparentTitle),
    librarySectionID: str(o.librarySectionID),
    librarySectionTitle: str(o.librarySectionTitle),
    duration: num(o.duration),
    viewOffset: num(o.viewOffset),
    viewCount: num(o.viewCount) ?? 0,
    lastViewedAt: undefined,
    addedAt: undefined,
    updatedAt: undefined,
    originallyAvailableAt: undefined,
    rating: undefined,
    audienceRating: undefined,
    userRating: undefined,
    leafCount: num(o.leafCount),
    viewedLeafCount: num(o.viewedLeafCount),
    childCount: undefined,
    smart: undefined,
    playlistType: undefined,
    playlistItemID: undefined,
    score: undefined,
    genres: [],
    directors: [],
    writers: [],
    countries: [],
    collections: [],
    roles: [],
    externalIds: [],
    media: [],
    thumb: undefined,
    parentThumb: undefined,
    grandparentThumb: undefined,
    art: undefined,
  };
}

/** One library item (`Metadata` element) → {@link PlexItem}. */
export const itemSchema = z
  .custom<Record<string, unknown>>(isObject, "expected an object")
  .transform(readItem);

/** A container of `Metadata[]` items with its paging fields and title. */
export interface ItemsContainer {
  /** Items in this page. */
  size: number | undefined;
  /** All matching items, when Plex says. */
  totalSize: number | undefined;
  /** Offset of this page, when Plex says. */
  offset: number | undefined;
  /** Container titles. */
  title1: string | undefined;
  /** Container titles. */
  title2: string | undefined;
  /** Library of the items, when hoisted. */
  librarySectionID: string | undefined;
  /** Library title, when hoisted. */
  librarySectionTitle: string | undefined;
  /** The container's own ratingKey (playlists, collections). */
  ratingKey: string | undefined;
  /** The container's title (playlists). */
  title: string | undefined;
  /** A smart playlist. */
  smart: boolean | undefined;
  /** `video`, `audio` or `photo`. */
  playlistType: string | undefined;
  /** Items below (playlists). */
  leafCount: number | undefined;
  /** Total duration, ms (playlists). */
  duration: number | undefined;
  /** The items. */
  Metadata: PlexItem[];
}

/** A container of `Metadata[]` items, each read by `readOne`. */
function itemsContainer(
  readOne: (o: Record<string, unknown>) => PlexItem,
): ContainerSchema<ItemsContainer> {
  return containerSchema((c): ItemsContainer => ({
    size: num(c.size),
    totalSize: num(c.totalSize),
    offset: num(c.offset),
    title1: str(c.title1),
    title2: str(c.title2),
    librarySectionID: str(c.librarySectionID),
    librarySectionTitle: str(c.librarySectionTitle),
    ratingKey: str(c.ratingKey),
    title: str(c.title),
    smart: bool(c.smart),
    playlistType: str(c.playlistType),
    leafCount: num(c.leafCount),
    duration: num(c.duration),
    Metadata: objects(c.Metadata, readOne),
  }));
}

/**
 * A container of `Metadata[]` items with paging fields, read by a plain
 * function (a list page is the hot path of most calls).
 */
export const itemsContainerSchema: ContainerSchema<ItemsContainer> =
  itemsContainer(readItem);

/**
 * {@link itemsContainerSchema} with each item read in brief (only what an
 * item summary uses): for pages that are only summarized.
 */
export const itemsBriefContainerSchema: ContainerSchema<ItemsContainer> =
  itemsContainer(readItemBrief);

/** Paging fields of a container. */
export interface CountContainer {
  /** Items in this page. */
  size: number | undefined;
  /** All matching items, when Plex says. */
  totalSize: number | undefined;
  /** Offset of this page. */
  offset: number | undefined;
}

/** A container used only for `totalSize` (paged with size 0). */
export const countSchema: ContainerSchema<CountContainer> = containerSchema((
  c,
): CountContainer => ({
  size: num(c.size),
  totalSize: num(c.totalSize),
  offset: num(c.offset),
}));

// ---------------------------------------------------------------- search

const readHubTag = fieldsReader({
  tag: str,
  title: str,
  type: str,
  key: str,
  filter: str,
  librarySectionID: str,
  librarySectionTitle: str,
  tagType: num,
  count: num,
  score: num,
});

function readHubWith(readOne: (o: Record<string, unknown>) => PlexItem) {
  return (h: Record<string, unknown>) => ({
    type: str(h.type),
    hubIdentifier: str(h.hubIdentifier),
    title: str(h.title),
    size: num(h.size),
    Metadata: objects(h.Metadata, readOne),
    Directory: objects(h.Directory, readHubTag),
  });
}

const readHub = readHubWith(readItem);

/** One search hub: the items and tags of one type. */
export type SearchHub = ReturnType<typeof readHub>;

/** `GET /hubs/search` (and `/hubs`) → hubs. */
export const hubsSchema: ContainerSchema<SearchHub[]> = containerSchema((c) =>
  objects(c.Hub, readHub)
);

const readHubBrief = readHubWith(readItemBrief);

/** {@link hubsSchema} with each item read in brief (search lists them). */
export const hubsBriefSchema: ContainerSchema<SearchHub[]> = containerSchema((
  c,
) => objects(c.Hub, readHubBrief));

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

/**
 * `GET /servers` (`Server[]`) → the server's own addresses: `host` and
 * `address` with the port it listens on (spec-old src/paths/servers.yaml:
 * `Server[]{name, host, address, port, machineIdentifier, version}`).
 */
export const ownServersSchema = z
  .object({
    MediaContainer: z.object({
      Server: list(z.object({
        host: optStr,
        address: optStr,
        port: optNum,
        machineIdentifier: plexStr,
      })),
    }),
  })
  .transform(({ MediaContainer: c }): OwnServer[] =>
    c.Server.map((s) => ({
      machineIdentifier: s.machineIdentifier,
      addresses: [...new Set([s.address, s.host])].filter((a) =>
        a !== undefined && a !== ""
      ) as string[],
      port: s.port,
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

/**
 * `GET /accounts` → accounts, read by a plain function (structure guard as
 * for {@link sessionsSchema}; an account without a string or numeric id is
 * dropped, as the zod list dropped it).
 */
export const accountsSchema: ContainerSchema<PlexAccount[]> = containerSchema(
  (c): PlexAccount[] =>
    objects(c.Account, (a): PlexAccount | undefined => {
      const id = a.id;
      if (typeof id !== "string" && typeof id !== "number") return undefined;
      return { id: String(id), name: str(a.name) ?? "" };
    }).filter((a): a is PlexAccount => a !== undefined),
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

/** One tag of a tag list: its id and name. */
export interface TagEntry {
  /** Tag id (what filters take). */
  key: string;
  /** Tag name. */
  title: string;
}

/**
 * `GET /library/sections/{id}/genre` (and other tag lists) → tags with ids;
 * entries without a key or title are dropped.
 */
export const genresSchema: ContainerSchema<TagEntry[]> = containerSchema((c) =>
  objects(c.Directory, (d) => {
    const key = str(d.key);
    const title = str(d.title);
    return key === undefined || title === undefined
      ? undefined
      : { key, title };
  }).filter((t): t is TagEntry => t !== undefined)
);
