/**
 * zod schemas for Plex responses. They are tolerant of what real servers send
 * (omitted empty arrays, numbers as strings, 0/1/"1" booleans, single objects
 * where arrays are expected) and turn it into the clean models of
 * `models.ts`. Times keep Plex's units: `*At` fields are epoch seconds,
 * `duration`/`viewOffset` are milliseconds. One file per area in
 * `answers/`; this is their face.
 *
 * @module
 */
export {
  type ContainerSchema,
  plexBool,
  plexNum,
  plexStr,
} from "./answers/shared.ts";
export {
  identitySchema,
  sectionsSchema,
  serverInfoSchema,
} from "./answers/server.ts";
export {
  type CountContainer,
  countSchema,
  genresSchema,
  hubsBriefSchema,
  hubsSchema,
  itemsBriefContainerSchema,
  itemSchema,
  type ItemsContainer,
  itemsContainerSchema,
  type SearchHub,
  type TagEntry,
} from "./answers/items.ts";
export {
  type HistoryPage,
  historySchema,
  sessionsSchema,
} from "./answers/activity.ts";
export {
  clientsSchema,
  ownServersSchema,
  playQueueSchema,
  transientTokenSchema,
} from "./answers/players.ts";
export {
  accountsSchema,
  activitiesSchema,
  butlerSchema,
} from "./answers/admin.ts";
