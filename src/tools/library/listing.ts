/**
 * Shared handler body for tools that list a paged `Metadata[]` endpoint.
 *
 * @module
 */
import type { PageOptions, PlexClient } from "../../plex/client.ts";
import { itemLine, type ItemSummary, summarize } from "../shared/items.ts";
import { pageFields, pageHeader } from "../shared/paging.ts";

/** A page of compact items as list tools return it. */
export interface ItemPage {
  /** Items. */
  items: ItemSummary[];
  /** All matches. */
  total: number;
  /** Start. */
  offset: number;
  /** Page size. */
  limit: number;
  /** Next page start, or null. */
  next_offset: number | null;
}

/** Fetches one page of `path` and shapes the structured and text result. */
export async function listPage(
  plex: PlexClient,
  path: string,
  noun: string,
  options: PageOptions & { offset: number; limit: number },
  heading?: string,
): Promise<{ structured: ItemPage; text: string; title?: string }> {
  // Only summarized: each item is read in brief.
  const page = await plex.listItems(path, { ...options, brief: true });
  const items = page.items.map(summarize);
  const total = page.total ?? options.offset + items.length;
  const fields = pageFields(total, options.offset, options.limit, items.length);
  const lines = [
    ...(heading ? [heading] : []),
    pageHeader(noun, fields, items.length),
    ...items.map(itemLine),
  ];
  return {
    structured: { items, ...fields },
    text: lines.join("\n"),
    title: page.title,
  };
}
