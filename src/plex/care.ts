/**
 * Readers of the server-care answers: activities, the bandwidth dashboard
 * (`/statistics/bandwidth`) and the resources dashboard
 * (`/statistics/resources`), in the shapes API.md §22 gives (from
 * python-plexapi server.py:935-1040 and the pre-2025 spec). Tolerant: lists
 * Plex omits when empty, numbers as strings, elements that are not objects
 * dropped.
 *
 * @module
 */
import {
  bool,
  containerReader,
  isObject,
  num,
  objects,
  str,
} from "./readers.ts";
import type { ResponseSchema } from "../transport/types.ts";

/** One activity the server is running. */
export interface Activity {
  /** Id. */
  uuid: string;
  /** e.g. `library.update.section`. */
  type: string;
  /** Title. */
  title: string;
  /** What it is doing now. */
  subtitle: string | undefined;
  /** 0–100, or −1 when Plex cannot tell. */
  progress: number | undefined;
  /** Whether Plex lets it be cancelled. */
  cancellable: boolean | undefined;
  /** Account that started it. */
  userID: string | undefined;
  /** Library concerned, if any. */
  librarySectionID: string | undefined;
  /** Item concerned, if any (`Context.key`, `/library/metadata/{rk}`). */
  key: string | undefined;
}

/** `GET /activities` (API.md §13, §22). */
export const activityListSchema: ResponseSchema<Activity[]> = containerReader((
  c,
) =>
  objects(c.Activity).map((a) => ({
    uuid: str(a.uuid) ?? "",
    type: str(a.type) ?? "",
    title: str(a.title) ?? "",
    subtitle: str(a.subtitle),
    progress: num(a.progress),
    cancellable: bool(a.cancellable),
    userID: str(a.userID),
    librarySectionID: isObject(a.Context)
      ? str(a.Context.librarySectionID)
      : undefined,
    key: isObject(a.Context) ? str(a.Context.key) : undefined,
  })).filter((a) => a.uuid !== "")
);

/** One bandwidth sample. */
export interface BandwidthSample {
  /** Server-local account id. */
  accountID: string | undefined;
  /** Device id. */
  deviceID: string | undefined;
  /** Start of the bucket, epoch seconds. */
  at: number;
  /** On the local network. */
  lan: boolean;
  /** Bytes sent in the bucket. */
  bytes: number;
}

/** The bandwidth dashboard: samples with the devices and accounts they name. */
export interface BandwidthStats {
  /** Samples. */
  samples: BandwidthSample[];
  /** Devices by id. */
  devices: Map<string, { name: string; platform: string | undefined }>;
  /** Account names by id. */
  accounts: Map<string, string>;
}

/** `GET /statistics/bandwidth`. */
export const bandwidthSchema: ResponseSchema<BandwidthStats> = containerReader((
  c,
) => ({
  samples: objects(c.StatisticsBandwidth).flatMap((s) => {
    const at = num(s.at);
    const bytes = num(s.bytes);
    return at === undefined || bytes === undefined ? [] : [{
      accountID: str(s.accountID),
      deviceID: str(s.deviceID),
      at,
      lan: bool(s.lan) ?? false,
      bytes,
    }];
  }),
  devices: new Map(
    objects(c.Device).flatMap((d) => {
      const id = str(d.id);
      return id === undefined ? [] : [[id, {
        name: str(d.name) ?? id,
        platform: str(d.platform),
      }]];
    }),
  ),
  accounts: new Map(
    objects(c.Account).flatMap((a) => {
      const id = str(a.id);
      return id === undefined ? [] : [[id, str(a.name) ?? id]];
    }),
  ),
}));

/** One resources sample: percentages of the machine and of Plex itself. */
export interface ResourceSample {
  /** Epoch seconds. */
  at: number;
  /** CPU of the whole machine, %. */
  hostCpu: number | undefined;
  /** CPU of Plex Media Server, %. */
  processCpu: number | undefined;
  /** Memory of the whole machine, %. */
  hostMemory: number | undefined;
  /** Memory of Plex Media Server, %. */
  processMemory: number | undefined;
}

/** `GET /statistics/resources`. */
export const resourcesSchema: ResponseSchema<ResourceSample[]> =
  containerReader((
    c,
  ) =>
    objects(c.StatisticsResources).flatMap((s) => {
      const at = num(s.at);
      return at === undefined ? [] : [{
        at,
        hostCpu: num(s.hostCpuUtilization),
        processCpu: num(s.processCpuUtilization),
        hostMemory: num(s.hostMemoryUtilization),
        processMemory: num(s.processMemoryUtilization),
      }];
    })
  );
