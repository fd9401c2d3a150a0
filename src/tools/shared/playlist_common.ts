/**
 * Helpers shared by the playlist tools: content URIs and item kinds.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { PlexItem } from "../../plex/models.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { ToolInputError } from "./define_tool.ts";
import { numericIdInput, RATING_KEY_SOURCE } from "./resolve.ts";

/** Playlist kind per item type (API.md §8, §21). */
export const PLAYLIST_KIND: Record<string, "video" | "audio" | "photo"> = {
  movie: "video",
  episode: "video",
  clip: "video",
  track: "audio",
  photo: "photo",
};

/** 1–100 ratingKeys. */
export const ratingKeysInput = z
  .array(numericIdInput("ratingKey"))
  .min(1)
  .max(100)
  .describe(`Items of one kind, ${RATING_KEY_SOURCE.toLowerCase()}`);

/** The `server://` URI Plex uses to name library items. */
export function libraryUri(
  machineIdentifier: string,
  keys: readonly string[],
): string {
  return `server://${machineIdentifier}/com.plexapp.plugins.library/library/metadata/${
    keys.join(",")
  }`;
}

/**
 * Fetches the items (one request for all keys) and checks they exist and are
 * all of one playable kind. Returns the kind; missing ratingKeys are named.
 */
export async function playableKind(
  plex: PlexClient,
  keys: readonly string[],
  signal: AbortSignal,
): Promise<{ kind: "video" | "audio" | "photo"; items: PlexItem[] }> {
  const unique = [...new Set(keys)];
  // One request for all of them: /library/metadata/{rk1},{rk2} (API.md §5).
  const c = await plex.getJson(
    `/library/metadata/${unique.join(",")}`,
    itemsContainerSchema,
    { signal },
  ).catch((e: unknown) => {
    // None of them exists.
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  });
  const byKey = new Map((c?.Metadata ?? []).map((i) => [i.ratingKey, i]));
  const missing = unique.filter((k) => !byKey.has(k));
  if (missing.length) {
    throw new ToolInputError(`No item with ratingKey ${missing.join(", ")}`);
  }
  const found = unique.map((k) => byKey.get(k)!);
  const items = found as PlexItem[];
  const notPlayable = items.filter((i) => !PLAYLIST_KIND[i.type]);
  if (notPlayable.length) {
    throw new ToolInputError(
      `Playlists hold movies, episodes, tracks or photos; ${
        notPlayable.map((i) => `${i.ratingKey} is a ${i.type}`).join(", ")
      } (use get_children to list its episodes or tracks)`,
    );
  }
  const kinds = new Set(items.map((i) => PLAYLIST_KIND[i.type]!));
  if (kinds.size > 1) {
    throw new ToolInputError(
      `A playlist holds one kind of media; these items mix ${
        [...kinds].join(" and ")
      }`,
    );
  }
  return { kind: [...kinds][0]!, items };
}

/** Reads a playlist back and returns how many items it holds now. */
export async function playlistItemCount(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<number> {
  const c = await plex.getJson(
    `/playlists/${ratingKey}`,
    itemsContainerSchema,
    { signal, cache: false },
  );
  return Math.round(c.Metadata[0]?.leafCount ?? 0);
}
