/**
 * Answers of the maintenance endpoints: butler tasks, accounts and
 * activities.
 *
 * @module
 */
import { z } from "../../zod.ts";
import { str } from "../readers.ts";
import type { ButlerTask, PlexAccount, PlexActivity } from "../models.ts";
import {
  type ContainerSchema,
  containerSchema,
  list,
  objects,
  optBool,
  optNum,
  optStr,
  plexStr,
} from "./shared.ts";

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
