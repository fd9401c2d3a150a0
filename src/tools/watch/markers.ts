/**
 * An item with its intro, credits and commercial markers
 * (`GET /library/metadata/{rk}?includeMarkers=1`, API.md §5), for
 * `get_media_details` and `play_media`'s start after the intro.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import type { PlexItem } from "../../plex/models.ts";
import { itemWithMarkersSchema, type Marker } from "../../plex/watch.ts";
import { clock } from "./time.ts";

/** At most this many markers are shown (a real item has a handful). */
const MAX_MARKERS = 20;

/** The `markers` output field. */
export const markersOutput = z.array(z.object({
  type: z.string().describe("intro, credits or commercial"),
  startMs: z.number().int(),
  endMs: z.number().int(),
})).optional();

/** Fetches an item with its markers; 404 when Plex has no such item. */
export async function fetchWithMarkers(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<{ item: PlexItem; markers: Marker[] }> {
  const path = `/library/metadata/${ratingKey}`;
  const c = await plex.getJson(path, itemWithMarkersSchema, {
    query: { includeMarkers: 1 },
    signal,
  });
  if (!c.item) {
    throw new PlexNotFoundError(
      `Plex has no item with ratingKey ${ratingKey}`,
      `GET ${path}`,
    );
  }
  return {
    item: {
      ...c.item,
      librarySectionTitle: c.item.librarySectionTitle ??
        c.librarySectionTitle,
    },
    markers: c.markers.slice(0, MAX_MARKERS),
  };
}

/** `intro 0:30–1:30, credits 1:28:00–1:30:00`. */
export function markerText(markers: readonly Marker[]): string {
  return markers.map((m) => `${m.type} ${clock(m.startMs)}–${clock(m.endMs)}`)
    .join(", ");
}
