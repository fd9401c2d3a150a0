import { z } from "../../zod.ts";
import { foundSubtitlesSchema } from "../../plex/watch.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { parts } from "../shared/format.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import {
  allStreams,
  itemSubtitles,
  subtitleLine,
  subtitleOf,
  subtitleOutput,
} from "./subtitles_common.ts";

/** Results shown at most. */
const MAX_RESULTS = 20;

/** Plex's search options for SDH and forced (ppa video.py:120-135). */
const PREFERENCE = { prefer_not: 0, prefer: 1, only: 2, exclude: 3 } as const;
const preference = z.enum(["prefer_not", "prefer", "only", "exclude"]);

/** `search_subtitles`: Plex's own subtitle search for one item. */
export const searchSubtitles = defineTool({
  name: "search_subtitles",
  title: "Search subtitles",
  description:
    "Searches Plex's subtitle providers for a movie or episode in a language: results (key for set_subtitles download) and the subtitles it has.",
  toolset: "watch",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput,
    language: z.string().regex(
      /^[A-Za-z]{2,3}(-[A-Za-z]{2})?$/,
      "an ISO code such as en or pt-BR",
    )
      .default("en").describe("ISO 639-1 code"),
    hearing_impaired: preference.default("prefer_not").describe("SDH"),
    forced: preference.default("prefer_not"),
  },
  output: {
    ratingKey: z.string(),
    results: z.array(z.object({
      key: z.string().describe("For set_subtitles download"),
      language: z.string().optional(),
      codec: z.string().optional(),
      title: z.string().optional(),
      provider: z.string().optional(),
      score: z.number().optional(),
      perfectMatch: z.boolean(),
      hearingImpaired: z.boolean(),
      forced: z.boolean(),
    })),
    total: z.number().int(),
    existing: z.array(subtitleOutput),
  },
  handler: async (args, { plex, signal }) => {
    const item = await itemSubtitles(plex, args.ratingKey, signal);
    const found = await plex.getJson(
      `/library/metadata/${args.ratingKey}/subtitles`,
      foundSubtitlesSchema,
      {
        // ppa video.py:139-145 sends all three.
        query: {
          language: args.language.toLowerCase(),
          hearingImpaired: PREFERENCE[args.hearing_impaired],
          forced: PREFERENCE[args.forced],
        },
        signal,
      },
    );
    // A key that could not go back into a query intact is no result.
    const usable = found.filter((f) => f.key.length <= 1_000);
    if (found.length && !usable.length) {
      throw new ToolInputError("Plex's subtitle results carry no usable key");
    }
    const results = usable.slice(0, MAX_RESULTS).map((f) => ({
      key: f.key,
      language: f.language ?? f.languageCode,
      codec: f.codec,
      title: f.title?.slice(0, 200),
      provider: f.provider,
      score: f.score,
      perfectMatch: f.perfectMatch,
      hearingImpaired: f.hearingImpaired,
      forced: f.forced,
    }));
    const existing = allStreams(item).map((s) => s.stream);
    const lines = [
      results.length
        ? `${results.length}${
          usable.length > results.length ? ` of ${usable.length}` : ""
        } subtitles found for [${args.ratingKey}] ${
          item.title ?? ""
        } (${args.language}):`
        : `Plex's subtitle search found nothing for [${args.ratingKey}] ${
          item.title ?? ""
        } in ${args.language}.`,
      ...results.map((r, i) =>
        `${i + 1}. ` + parts([
          r.title ?? r.language,
          r.provider,
          r.codec,
          r.perfectMatch && "perfect match",
          r.hearingImpaired && "SDH",
          r.forced && "forced",
          r.score !== undefined && `score ${r.score}`,
          `key ${r.key}`,
        ])
      ),
      existing.length
        ? `Already has: ${existing.map(subtitleLine).join("; ")}`
        : "It has no subtitles yet.",
    ];
    return {
      structured: {
        ratingKey: args.ratingKey,
        results,
        total: usable.length,
        existing: existing.map(subtitleOf),
      },
      text: lines.join("\n"),
    };
  },
});
