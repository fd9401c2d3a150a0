/**
 * The compact item shape every list tool returns, and its one-line text.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexItem } from "../../plex/models.ts";
import { duration } from "./format.ts";

/** Compact item, as list tools return it. */
export const itemSummary = z.object({
  ratingKey: z.string().describe("Id for follow-up calls"),
  type: z.string(),
  title: z.string(),
  year: z.number().int().optional(),
  parentTitle: z.string().optional().describe("Season or album"),
  grandparentTitle: z.string().optional().describe("Show or artist"),
  index: z.number().int().optional().describe("Episode or track number"),
  parentIndex: z.number().int().optional().describe("Season number"),
  durationMs: z.number().int().optional(),
  watched: z.boolean().describe(
    "Played to the end (for shows/seasons/albums: every episode or track)",
  ),
  viewOffsetMs: z.number().int().optional().describe(
    "Resume position when partly watched",
  ),
  leafCount: z.number().int().optional().describe("Episodes or tracks below"),
  viewedLeafCount: z.number().int().optional(),
});

/** The compact item type. */
export type ItemSummary = z.output<typeof itemSummary>;

/** Whether an item (or every leaf below it) has been played. */
export function isWatched(item: PlexItem): boolean {
  if (item.leafCount !== undefined && item.type !== "playlist") {
    return item.leafCount > 0 && (item.viewedLeafCount ?? 0) >= item.leafCount;
  }
  return item.viewCount > 0;
}

/** Projects a Plex item to the compact shape. */
export function summarize(item: PlexItem): ItemSummary {
  const intOrUndef = (n: number | undefined) =>
    n === undefined ? undefined : Math.round(n);
  return {
    ratingKey: item.ratingKey,
    type: item.type,
    title: item.title,
    year: intOrUndef(item.year),
    parentTitle: item.parentTitle,
    grandparentTitle: item.grandparentTitle,
    index: intOrUndef(item.index),
    parentIndex: intOrUndef(item.parentIndex),
    durationMs: intOrUndef(item.duration),
    watched: isWatched(item),
    viewOffsetMs: item.viewOffset ? Math.round(item.viewOffset) : undefined,
    leafCount: intOrUndef(item.leafCount),
    viewedLeafCount: intOrUndef(item.viewedLeafCount),
  };
}

function pad(n: number | undefined): string {
  return String(n ?? 0).padStart(2, "0");
}

/** The display name: `Show S01E02 "Title"`, `Artist – Track`, `Title (1968)`. */
export function displayName(i: ItemSummary): string {
  switch (i.type) {
    case "episode":
      return `${i.grandparentTitle ?? ""} S${pad(i.parentIndex)}E${
        pad(i.index)
      } "${i.title}"`;
    case "season":
      return `${i.parentTitle ?? ""} – ${i.title}`;
    case "track":
      return `${i.grandparentTitle ?? ""} – ${i.title}`;
    case "album":
      return `${i.parentTitle ?? ""} – ${i.title}${
        i.year ? ` (${i.year})` : ""
      }`;
    default:
      return `${i.title}${i.year ? ` (${i.year})` : ""}`;
  }
}

/** One compact line: `[1000] Title (1968) · movie · 1h 36m · watched`. */
export function itemLine(i: ItemSummary): string {
  const bits = [`[${i.ratingKey}] ${displayName(i)}`, i.type];
  if (i.leafCount !== undefined && i.type !== "playlist") {
    bits.push(`${i.viewedLeafCount ?? 0}/${i.leafCount} watched`);
  } else {
    const d = duration(i.durationMs);
    if (d) bits.push(d);
    if (i.watched) bits.push("watched");
    else if (i.viewOffsetMs) bits.push(`at ${duration(i.viewOffsetMs)}`);
  }
  return bits.join(" · ");
}
