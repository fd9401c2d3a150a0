/**
 * Answers of the maintenance endpoints: butler tasks, accounts and
 * activities.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { ButlerTask, PlexAccount, PlexActivity } from "../models.ts";
import { list, optBool, optNum, optStr, plexStr } from "./shared.ts";

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
