/**
 * Answers about the server itself: `GET /` and `/identity`, and its
 * libraries (`GET /library/sections`).
 *
 * @module
 */
import { z } from "../../zod.ts";
import { bool, num, str } from "../readers.ts";
import type { Section, ServerInfo } from "../models.ts";
import {
  type ContainerSchema,
  containerSchema,
  objects,
  optBool,
  optNum,
  optStr,
  plexStr,
} from "./shared.ts";

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
