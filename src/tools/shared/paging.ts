/**
 * The shared paging fragment: `offset` and `limit` in, `total` and
 * `next_offset` out. No list tool returns more than 100 items at once.
 *
 * @module
 */
import { z } from "../../zod.ts";

/** Default page size. */
export const DEFAULT_LIMIT = 20;
/** Largest page size. */
export const MAX_LIMIT = 100;

/** Input fields every list tool takes. */
export const pageInput = {
  offset: z.number().int().min(0).default(0).describe(
    "From next_offset",
  ),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
};

/** Output fields every list tool returns, around an item schema. */
export function pageOutput<T extends z.ZodType>(item: T): {
  items: z.ZodArray<T>;
  total: z.ZodNumber;
  offset: z.ZodNumber;
  limit: z.ZodNumber;
  next_offset: z.ZodNullable<z.ZodNumber>;
} {
  return {
    items: z.array(item),
    total: z.number().int().describe("All matching items"),
    offset: z.number().int(),
    limit: z.number().int(),
    next_offset: z.number().int().nullable().describe(
      "Offset of the next page, or null on the last page",
    ),
  };
}

/** Builds the paging fields for a page of `count` items out of `total`. */
export function pageFields(
  total: number,
  offset: number,
  limit: number,
  count: number,
): {
  total: number;
  offset: number;
  limit: number;
  next_offset: number | null;
} {
  const next = offset + count;
  return {
    total,
    offset,
    limit,
    next_offset: count > 0 && next < total ? next : null,
  };
}

/** `Items 1–20 of 57 (next_offset 20)` / `No items`. */
export function pageHeader(
  noun: string,
  page: { total: number; offset: number; next_offset: number | null },
  count: number,
): string {
  if (page.total === 0) return `No ${noun}.`;
  if (count === 0) {
    return `No ${noun} at offset ${page.offset} (total ${page.total}).`;
  }
  const range = `${page.offset + 1}-${page.offset + count} of ${page.total}`;
  return `${noun[0]!.toUpperCase()}${noun.slice(1)} ${range}${
    page.next_offset === null ? "" : ` (next_offset ${page.next_offset})`
  }:`;
}

/** Slices a fully known list into a page. */
export function slicePage<T>(
  all: readonly T[],
  offset: number,
  limit: number,
): {
  items: T[];
  total: number;
  offset: number;
  limit: number;
  next_offset: number | null;
} {
  const items = all.slice(offset, offset + limit);
  return { items, ...pageFields(all.length, offset, limit, items.length) };
}
