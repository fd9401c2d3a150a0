/**
 * Resolving what the model names (a library by key or title, a playlist, a
 * player, an account) to Plex ids, with errors that list the valid choices.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { PlayerClient, PlexAccount, Section } from "../../plex/models.ts";
import {
  accountsSchema,
  clientsSchema,
  itemsContainerSchema,
} from "../../plex/schemas.ts";
import { ToolInputError } from "./define_tool.ts";
import { safeId, shown } from "./ids.ts";

/**
 * An id argument: declared as a string (one JSON type, which every client's
 * schema subset takes), and given as a number by clients that parse JSON
 * (`ratingKey: 1003`): such an integer is turned into its decimal string
 * before the string is checked. Handlers always receive the string.
 */
export type IdInput = z.ZodPreprocess<z.ZodString, unknown>;

/** An integer as its decimal string; anything else as it is. */
function integerAsString(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value)
    ? String(value)
    : value;
}

/**
 * A numeric id, as a string ("1003") or an integer (1003): clients that
 * parse JSON send either. Handlers always receive the string.
 */
export function numericIdInput(what: string): IdInput {
  const message = `must be a numeric ${what} such as 1003`;
  return z.preprocess(
    integerAsString,
    z.string({ error: message }).regex(/^\d+$/, message),
  );
}

/**
 * A name or an id: any non-empty string, or an integer (a library key such
 * as 1 sent as a number). Handlers receive a string.
 */
export function nameOrIdInput(): IdInput {
  const message = "must be a name, or an id such as 1";
  return z.preprocess(
    integerAsString,
    z.string({ error: message }).min(1, message),
  );
}

/**
 * Where an item's ratingKey comes from, said once for every ratingKey
 * argument (and the ratingKeys of the playlist tools).
 */
export const RATING_KEY_SOURCE = "From a search or list";

/** A ratingKey argument. */
export const ratingKeyInput: IdInput = numericIdInput("ratingKey").describe(
  RATING_KEY_SOURCE,
);

/** A library argument: key or title (as get_libraries lists them). */
export const libraryInput: IdInput = nameOrIdInput().describe(
  "Key or title (get_libraries)",
);

/** How a name is matched. */
export interface MatchOptions {
  /**
   * Writes: only the id or the whole name (case-insensitive, trimmed)
   * counts; a blank or partial name is refused with the close matches.
   * Reads also accept a unique part of a name.
   */
  exact?: boolean;
}

function plural(what: string): string {
  return what.endsWith("y") ? what.slice(0, -1) + "ies" : what + "s";
}

/**
 * Picks one of `choices` by id or by name; lists the choices on failure.
 * With `exact`, a name must match whole (see {@link MatchOptions}).
 */
export function pick<T>(
  what: string,
  wanted: string,
  choices: readonly T[],
  id: (c: T) => string,
  name: (c: T) => string,
  options: MatchOptions = {},
): T {
  const needle = wanted.trim().toLowerCase();
  // Real libraries can hold thousands of actors: name at most 20 choices.
  const list = (cs: readonly T[]) =>
    cs.slice(0, 20).map((c) => `"${name(c)}" (${id(c)})`).join(", ") +
    (cs.length > 20 ? ` and ${cs.length - 20} more` : "");
  if (!needle) {
    throw new ToolInputError(
      `The ${what} name is blank: give its id or full name${
        choices.length ? `. Choices: ${list(choices)}` : ""
      }`,
    );
  }
  const byId = choices.filter((c) => id(c).toLowerCase() === needle);
  if (byId.length === 1) return byId[0]!;
  const whole = choices.filter((c) => name(c).toLowerCase() === needle);
  if (whole.length === 1) return whole[0]!;
  const partial = whole.length
    ? whole
    : choices.filter((c) => name(c).toLowerCase().includes(needle));
  if (partial.length > 1) {
    throw new ToolInputError(
      `${shown(wanted)} matches several ${plural(what)}: ${
        list(partial)
      }. Use the id`,
    );
  }
  if (partial.length === 1 && !options.exact) return partial[0]!;
  if (partial.length === 1) {
    throw new ToolInputError(
      `No ${what} is named exactly ${
        shown(wanted)
      }; changes need the id or the full name. Did you mean ${list(partial)}?`,
    );
  }
  throw new ToolInputError(
    choices.length
      ? `No ${what} matches ${shown(wanted)}. Valid choices: ${list(choices)}`
      : `No ${what} matches ${shown(wanted)}: the server has none`,
  );
}

/** Resolves a library key or title to its section. */
export async function resolveLibrary(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
  options: MatchOptions = {},
): Promise<Section> {
  const sections = await plex.sections({ signal });
  const section = pick(
    "library",
    wanted,
    sections,
    (s) => s.key,
    (s) => s.title,
    options,
  );
  safeId(section.key, "library");
  return section;
}

/** A playlist as far as resolution needs it. */
export interface PlaylistRef {
  /** ratingKey of the playlist. */
  ratingKey: string;
  /** Title. */
  title: string;
  /** Smart playlists cannot be edited. */
  smart: boolean;
  /** `video`, `audio` or `photo`. */
  playlistType: string | undefined;
  /** Items. */
  leafCount: number | undefined;
}

/** Resolves a playlist ratingKey or title. */
export async function resolvePlaylist(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
  options: MatchOptions = {},
): Promise<PlaylistRef> {
  const c = await plex.getJson("/playlists", itemsContainerSchema, { signal });
  const found = pick(
    "playlist",
    wanted,
    c.Metadata,
    (p) => p.ratingKey,
    (p) => p.title,
    options,
  );
  return {
    ratingKey: safeId(found.ratingKey, "playlist"),
    title: found.title,
    smart: found.smart ?? false,
    playlistType: found.playlistType,
    leafCount: found.leafCount,
  };
}

/** Resolves a playlist that can be edited (not a smart one); names exact. */
export async function resolveEditablePlaylist(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
): Promise<PlaylistRef> {
  const p = await resolvePlaylist(plex, wanted, signal, { exact: true });
  if (p.smart) {
    throw new ToolInputError(
      `"${p.title}" is a smart playlist; Plex fills it from its rules`,
    );
  }
  return p;
}

/** Resolves a player by name or machine identifier. */
export async function resolvePlayer(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
  options: MatchOptions = {},
): Promise<PlayerClient> {
  const clients = await plex.getJson("/clients", clientsSchema, { signal });
  if (clients.length === 0) {
    throw new ToolInputError(
      "No players are advertising on the network right now. Open the Plex app on the device (many apps only appear while open), then call list_clients",
    );
  }
  const player = pick(
    "player",
    wanted,
    clients,
    (c) => c.machineIdentifier,
    (c) => c.name,
    options,
  );
  safeId(player.machineIdentifier, "player");
  return player;
}

/** Resolves an account id or name. */
export async function resolveAccount(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
): Promise<PlexAccount> {
  const accounts = (await plex.getJson("/accounts", accountsSchema, { signal }))
    .filter((a) => a.name !== "");
  return pick("account", wanted, accounts, (a) => a.id, (a) => a.name);
}
