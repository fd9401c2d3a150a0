/**
 * Resolving what the model names (a library by key or title, a playlist, a
 * player, an account) to Plex ids, with errors that list the valid choices.
 *
 * @module
 */
import { z } from "zod";
import type { PlexClient } from "../plex/client.ts";
import type { PlayerClient, PlexAccount, Section } from "../plex/models.ts";
import {
  accountsSchema,
  clientsSchema,
  itemsContainerSchema,
} from "../plex/schemas.ts";
import { ToolInputError } from "./define_tool.ts";

/** A ratingKey argument. */
export const ratingKeyInput = z.string().regex(
  /^\d+$/,
  'must be a numeric ratingKey such as "1234"',
)
  .describe("The item's ratingKey (from a list or search result)");

/** A library argument: key or title. */
export const libraryInput = z.string().min(1).describe(
  'Library key (e.g. "1") or title (e.g. "Movies"), from get_libraries',
);

/** Picks one of `choices` by id or by name; lists the choices on failure. */
export function pick<T>(
  what: string,
  wanted: string,
  choices: readonly T[],
  id: (c: T) => string,
  name: (c: T) => string,
): T {
  const needle = wanted.trim().toLowerCase();
  const byId = choices.filter((c) => id(c).toLowerCase() === needle);
  if (byId.length === 1) return byId[0]!;
  const exact = choices.filter((c) => name(c).toLowerCase() === needle);
  if (exact.length === 1) return exact[0]!;
  const partial = exact.length
    ? exact
    : choices.filter((c) => name(c).toLowerCase().includes(needle));
  // Real libraries can hold thousands of actors: name at most 20 choices.
  const list = (cs: readonly T[]) =>
    cs.slice(0, 20).map((c) => `"${name(c)}" (${id(c)})`).join(", ") +
    (cs.length > 20 ? ` and ${cs.length - 20} more` : "");
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) {
    throw new ToolInputError(
      `"${wanted}" matches several ${
        what.endsWith("y") ? what.slice(0, -1) + "ies" : what + "s"
      }: ${list(partial)}. Use the id`,
    );
  }
  throw new ToolInputError(
    choices.length
      ? `No ${what} matches "${wanted}". Valid choices: ${list(choices)}`
      : `No ${what} matches "${wanted}": the server has none`,
  );
}

/** Resolves a library key or title to its section. */
export async function resolveLibrary(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
): Promise<Section> {
  const sections = await plex.sections({ signal });
  return pick("library", wanted, sections, (s) => s.key, (s) => s.title);
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
): Promise<PlaylistRef> {
  const c = await plex.getJson("/playlists", itemsContainerSchema, { signal });
  const found = pick(
    "playlist",
    wanted,
    c.Metadata,
    (p) => p.ratingKey,
    (p) => p.title,
  );
  return {
    ratingKey: found.ratingKey,
    title: found.title,
    smart: found.smart ?? false,
    playlistType: found.playlistType,
    leafCount: found.leafCount,
  };
}

/** Resolves a playlist that can be edited (not a smart one). */
export async function resolveEditablePlaylist(
  plex: PlexClient,
  wanted: string,
  signal: AbortSignal,
): Promise<PlaylistRef> {
  const p = await resolvePlaylist(plex, wanted, signal);
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
): Promise<PlayerClient> {
  const clients = await plex.getJson("/clients", clientsSchema, { signal });
  if (clients.length === 0) {
    throw new ToolInputError(
      "No players are advertising on the network right now. Open the Plex app on the device (many apps only appear while open), then call list_clients",
    );
  }
  return pick(
    "player",
    wanted,
    clients,
    (c) => c.machineIdentifier,
    (c) => c.name,
  );
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
