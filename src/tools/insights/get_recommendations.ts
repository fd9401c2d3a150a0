import { z } from "../../zod.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import type { PlexItem, Section } from "../../plex/models.ts";
import { hubsSchema, itemsContainerSchema } from "../../plex/schemas.ts";
import type { PlexClient } from "../../plex/client.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { duration, parts } from "../shared/format.ts";
import { displayName, itemSummary, summarize } from "../shared/items.ts";
import { recommend, started } from "./recommend.ts";
import { safeId } from "../shared/ids.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";
import { viewerFor, viewerInput, viewerLine } from "../shared/viewers.ts";

/** Most items read from one library. */
export const MAX_LIBRARY_ITEMS = 10_000;

/** Liked items whose related hubs are asked for. */
const RELATED_SEEDS = 3;

/** Watched or rated items read in full for the taste profile, at most. */
const PROFILE_ITEMS = 500;

/** Candidates read in full and ranked again, at most. */
const SHORTLIST = 100;

/** Items per `/library/metadata/{rk1,…}` request (one at a time). */
const BATCH = 50;

/**
 * Items as `/library/metadata/{rk1,…}` gives them, in full: list views
 * carry only the first two genres, directors, writers and countries and
 * three roles (recorded `/all` answers), too little to learn a taste from.
 * An item Plex no longer has keeps its list version.
 */
async function inFull(
  plex: PlexClient,
  items: readonly PlexItem[],
  signal: AbortSignal,
): Promise<Map<string, PlexItem>> {
  const out = new Map<string, PlexItem>();
  const keys = items.map((i) => safeId(i.ratingKey, "item"));
  // One batch at a time: full items are large (every role), and only one
  // answer is held while it is read.
  for (let at = 0; at < keys.length; at += BATCH) {
    const batch = keys.slice(at, at + BATCH);
    let c;
    try {
      c = await plex.getJson(
        `/library/metadata/${batch.join(",")}`,
        itemsContainerSchema,
        { signal },
      );
    } catch (error) {
      if (error instanceof PlexNotFoundError) continue;
      throw error;
    }
    for (const item of c.Metadata) out.set(item.ratingKey, item);
  }
  return out;
}

/** `get_recommendations`: unwatched picks for this viewer, with reasons. */
export const getRecommendations = defineTool({
  name: "get_recommendations",
  title: "Recommendations",
  description:
    "Picks unwatched films and shows for this viewer from what they watched and rated (genres, directors, actors, collections, recency, Plex's related items), each with its reasons. No history yet: highly rated and recently added, and says so. Deterministic.",
  toolset: "insights",
  annotations: READ_ONLY,
  input: {
    library: libraryInput.optional(),
    type: z.enum(["movie", "show"]).optional(),
    max_minutes: z.number().int().min(1).max(1000).optional().describe(
      "Longest runtime (episodes for shows)",
    ),
    count: z.number().int().min(1).max(25).default(10),
    ...viewerInput,
  },
  output: {
    basis: z.enum(["history", "cold_start"]),
    learnedFrom: z.number().int().describe("Watched or rated items used"),
    items: z.array(itemSummary.extend({
      score: z.number(),
      reasons: z.array(z.string()),
    })),
    capped: z.boolean().describe(
      `A library over ${MAX_LIBRARY_ITEMS} items was read in part`,
    ),
  },
  handler: async (args, ctx) => {
    const viewer = await viewerFor(ctx.plex, args, ctx.signal);
    const { plex } = viewer;
    const { signal } = ctx;
    let sections: Section[];
    if (args.library) {
      const s = await resolveLibrary(plex, args.library, signal);
      if (s.type !== "movie" && s.type !== "show") {
        throw new ToolInputError(
          `${s.title} is a ${
            s.type === "artist" ? "music" : s.type
          } library: recommendations are for films and shows`,
        );
      }
      sections = [s];
    } else {
      sections = (await plex.sections({ signal })).filter((s) =>
        s.type === "movie" || s.type === "show"
      );
    }
    if (args.type) sections = sections.filter((s) => s.type === args.type);
    let capped = false;
    const lists = await Promise.all(sections.map(async (s) => {
      const out: PlexItem[] = [];
      for await (
        const item of plex.iterate(
          `/library/sections/${encodeURIComponent(s.key)}/all`,
          { limit: 100, signal },
        )
      ) {
        if (out.length >= MAX_LIBRARY_ITEMS) {
          capped = true;
          break;
        }
        out.push(item);
      }
      return out;
    }));
    const items = lists.flat().filter((i) =>
      i.type === "movie" || i.type === "show"
    );
    // Plex's related hubs for the best-liked items (where the server has
    // them): their items earn a bonus.
    const seeds = items.filter((i) =>
      started(i) && (i.userRating === undefined || i.userRating >= 6)
    ).sort((a, b) =>
      (b.userRating ?? 0) - (a.userRating ?? 0) ||
      (b.lastViewedAt ?? 0) - (a.lastViewedAt ?? 0) ||
      a.ratingKey.localeCompare(b.ratingKey)
    ).slice(0, RELATED_SEEDS);
    const related = new Map<string, string[]>();
    await Promise.all(seeds.map(async (seed) => {
      let hubs;
      try {
        hubs = await plex.getJson(
          `/library/metadata/${seed.ratingKey}/related`,
          hubsSchema,
          { signal },
        );
      } catch (error) {
        if (error instanceof PlexNotFoundError) return;
        throw error;
      }
      for (const hub of hubs) {
        for (const i of hub.Metadata) {
          const list = related.get(i.ratingKey) ?? [];
          if (!list.includes(seed.title)) list.push(seed.title);
          related.set(i.ratingKey, list);
        }
      }
    }));
    // The same order whatever order the hubs answered in.
    for (const list of related.values()) list.sort();
    const maxMs = args.max_minutes === undefined
      ? undefined
      : args.max_minutes * 60_000;
    const now = Math.floor(Date.now() / 1000);
    const accept = (i: PlexItem) =>
      maxMs === undefined || i.duration === undefined || i.duration <= maxMs;
    // The taste profile from the watched and rated items in full (the most
    // recent and best rated first), then the best candidates read in full
    // and ranked again: what a list view trims could be the link.
    const learned = items.filter((i) =>
      started(i) || i.userRating !== undefined
    )
      .sort((a, b) =>
        (b.lastViewedAt ?? 0) - (a.lastViewedAt ?? 0) ||
        (b.userRating ?? 0) - (a.userRating ?? 0)
      );
    let scope: PlexItem[] = items;
    if (learned.length) {
      const profile = await inFull(
        plex,
        learned.slice(0, PROFILE_ITEMS),
        signal,
      );
      const known = learned.map((i) => profile.get(i.ratingKey) ?? i);
      const mine = new Set(learned);
      const first = recommend({
        items: [...known, ...items.filter((i) => !mine.has(i))],
        related,
        count: SHORTLIST,
        now,
        accept,
        includeUnliked: true,
      });
      const shortlist = await inFull(
        plex,
        first.picks.map((p) => p.item),
        signal,
      );
      scope = [
        ...known,
        ...first.picks.map((p) => shortlist.get(p.item.ratingKey) ?? p.item),
      ];
    }
    const { picks, basis, learnedFrom } = recommend({
      items: scope,
      related,
      count: args.count,
      now,
      accept,
    });
    const structured = {
      basis,
      learnedFrom,
      items: picks.map((p) => ({
        ...summarize(p.item),
        score: p.score,
        reasons: p.reasons,
      })),
      capped,
    };
    const head = basis === "cold_start"
      ? "No watch history or ratings to learn from yet: these are highly rated and recently added."
      : `From ${learnedFrom} watched or rated ${
        learnedFrom === 1 ? "item" : "items"
      }:`;
    const lines = picks.map((p) =>
      parts([
        `[${p.item.ratingKey}] ${displayName(summarize(p.item))}`,
        p.item.type,
        duration(p.item.duration),
        p.reasons.join("; "),
      ])
    );
    return {
      structured,
      text: viewerLine(viewer) + [
        head,
        ...(lines.length ? lines : ["Nothing unwatched fits."]),
        capped ? `Read the first ${MAX_LIBRARY_ITEMS} items of a library.` : "",
      ].filter(Boolean).join("\n"),
    };
  },
});
