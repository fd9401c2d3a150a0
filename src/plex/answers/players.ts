/**
 * Answers about players and playing: `GET /clients`, the account's
 * servers, play queues and transient tokens.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { OwnServer, PlayerClient } from "../models.ts";
import { list, optNum, optStr, plexStr } from "./shared.ts";

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
