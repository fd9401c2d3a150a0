/**
 * Discover's answers, read: a library item's Discover id, watchlist
 * entries and where a title can be streamed.
 *
 * @module
 */
import { num, str } from "../transport/values.ts";
import type { Availability, WatchlistEntry } from "./models.ts";

/** The Discover id of a library item's guid, or undefined (legacy agents). */
export function discoverId(guid: string | undefined): string | undefined {
  // ppa `guid.rsplit('/', 1)[-1]`; @ctrl/plex refuses guids not starting
  // with plex:// (API.md §24.1).
  const m = /^plex:\/\/(?:movie|show|season|episode)\/([0-9a-f]{6,64})$/i
    .exec(guid ?? "");
  return m?.[1];
}

/** One `Availability` → offer (dropped without a service name). */
export function readAvailability(o: Record<string, unknown>): Availability[] {
  const title = str(o.title) ?? str(o.platform);
  if (!title) return [];
  // Only a web link is a link to offer (not a javascript: or app scheme).
  const link = str(o.platformUrl) ?? str(o.url);
  return [{
    title,
    platform: str(o.platform),
    offerType: str(o.offerType),
    price: num(o.price),
    priceDescription: str(o.priceDescription),
    quality: str(o.quality),
    country: str(o.country),
    url: link && /^https?:\/\//i.test(link) ? link : undefined,
  }];
}

/** One Discover `Metadata` object → entry (dropped without id or guid). */
export function readEntry(o: Record<string, unknown>): WatchlistEntry[] {
  const guid = str(o.guid);
  const id = str(o.ratingKey) ?? discoverId(guid);
  const type = str(o.type);
  if (!guid || !id || !type) return [];
  return [{
    id,
    guid,
    type,
    title: str(o.title) ?? "",
    year: num(o.year),
    watchlistedAt: num(o.watchlistedAt),
    originallyAvailableAt: str(o.originallyAvailableAt),
    duration: num(o.duration),
  }];
}
