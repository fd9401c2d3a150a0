import { z } from "../zod.ts";
import { PlexNotFoundError } from "../plex/errors.ts";
import type { PlexItem, Section } from "../plex/models.ts";
import { hubsSchema } from "../plex/schemas.ts";
import { defineTool, READ_ONLY, ToolInputError } from "./define_tool.ts";
import { duration, parts } from "./format.ts";
import { displayName, itemSummary, summarize } from "./items.ts";
import { recommend, started } from "./recommend.ts";
import { libraryInput, resolveLibrary } from "./resolve.ts";
import { viewerFor, viewerInput, viewerLine } from "./viewers.ts";

/** Most items read from one library. */
export const MAX_LIBRARY_ITEMS = 10_000;

/** Liked items whose related hubs are asked for. */
const RELATED_SEEDS = 3;

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
    const { picks, basis, learnedFrom } = recommend({
      items,
      related,
      count: args.count,
      now: Math.floor(Date.now() / 1000),
      accept: (i) =>
        maxMs === undefined || i.duration === undefined || i.duration <= maxMs,
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
