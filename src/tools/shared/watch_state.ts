/**
 * Shared pieces of the watch-state tools.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { PlexItem } from "../../plex/models.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { type ItemSummary, itemSummary, summarize } from "./items.ts";

/** Identifier Plex wants on scrobble/rate calls. */
export const LIBRARY_IDENTIFIER = "com.plexapp.plugins.library";

/**
 * Reads one item from Plex; a section title the container hoists is kept on
 * the item.
 */
export async function fetchItem(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<PlexItem> {
  const c = await plex.getJson(
    `/library/metadata/${ratingKey}`,
    itemsContainerSchema,
    { signal },
  );
  const item = c.Metadata[0];
  if (!item) {
    throw new PlexNotFoundError(
      `Plex has no item with ratingKey ${ratingKey}`,
      `GET /library/metadata/${ratingKey}`,
    );
  }
  return {
    ...item,
    librarySectionTitle: item.librarySectionTitle ?? c.librarySectionTitle,
  };
}

/** Output of the watch-state tools: the item before and after. */
export const watchStateOutput = {
  item: itemSummary,
  changed: z.boolean().describe("Whether anything changed"),
  before: z.object({
    watched: z.boolean(),
    viewedLeafCount: z.number().int().optional(),
  }),
};

/** Shapes the before/after result. */
export function watchResult(
  before: PlexItem,
  after: PlexItem,
): {
  item: ItemSummary;
  changed: boolean;
  before: { watched: boolean; viewedLeafCount?: number };
} {
  const b = summarize(before);
  const a = summarize(after);
  return {
    item: a,
    changed: a.watched !== b.watched ||
      a.viewedLeafCount !== b.viewedLeafCount ||
      a.viewOffsetMs !== b.viewOffsetMs,
    before: { watched: b.watched, viewedLeafCount: b.viewedLeafCount },
  };
}

/** Marks an item (or every leaf below it) played or unplayed. */
export async function setWatched(
  plex: PlexClient,
  ratingKey: string,
  watched: boolean,
  signal: AbortSignal,
): Promise<void> {
  await plex.send(watched ? "/:/scrobble" : "/:/unscrobble", {
    method: "PUT",
    query: { key: ratingKey, identifier: LIBRARY_IDENTIFIER },
    signal,
  });
}
