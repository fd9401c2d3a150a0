import { z } from "../../zod.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { plural } from "../shared/format.ts";
import type { SubtitledItem } from "../../plex/subtitle_text.ts";
import { SubtitleUnavailableError } from "../../plex/subtitle_text.ts";
import { compileQuery } from "../../watch/dialogue_match.ts";
import { searchCues } from "../../watch/dialogue_search.ts";
import { clock } from "../../watch/clock.ts";
import type { Cue } from "../../watch/subtitle_parse.ts";
import {
  chooseStream,
  episodesOf,
  type FetchBudget,
  fetchSubtitledItem,
  fetchSubtitledItems,
  itemLabel,
  loadCues,
} from "../../watch/dialogue_source.ts";

/** Most bytes of subtitle text one call fetches. */
export const DIALOGUE_CALL_BYTES = 8 * 1024 * 1024;
/** Most films or episodes read in one call. */
export const MAX_ITEMS = 10;
/** Seconds a suggested playback starts before the line. */
const LEAD_IN_MS = 3_000;

const match = z.object({
  ratingKey: z.string(),
  item: z.string(),
  time: z.string(),
  offset_seconds: z.number().int().describe("For play_media"),
  line: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
  score: z.number().describe("1 exact"),
});

type Match = z.output<typeof match>;

/** One match written out, with its context and how to play from there. */
function matchOf(
  ratingKey: string,
  item: string,
  all: Cue[],
  index: number,
  score: number,
): Match {
  const cue = all[index]!;
  return {
    ratingKey,
    item,
    time: clock(cue.startMs),
    offset_seconds: Math.floor(Math.max(0, cue.startMs - LEAD_IN_MS) / 1000),
    line: cue.text,
    before: index > 0 ? [all[index - 1]!.text] : [],
    after: index + 1 < all.length ? [all[index + 1]!.text] : [],
    score,
  };
}

/** `find_dialogue`: where a line is said in a film, episode, season or show. */
export const findDialogue = defineTool({
  name: "find_dialogue",
  title: "Find dialogue",
  description:
    "Finds words or a phrase in the subtitles of a film, episode, season or show (accents, case, typos ignored): time, lines around, play_media offset.",
  toolset: "watch",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput,
    query: z.string().trim().min(1).max(200),
    match: z.enum(["phrase", "words"]).default("phrase").describe(
      "words: all, any order",
    ),
    language: z.string().trim().min(1).max(40).optional(),
    limit: z.number().int().min(1).max(50).default(10),
    item_offset: z.number().int().min(0).default(0).describe(
      "next_item_offset",
    ),
  },
  output: {
    scope: z.string(),
    matches: z.array(match),
    total_matches: z.number().int(),
    left_out: z.number().int(),
    items_total: z.number().int(),
    items_searched: z.number().int(),
    next_item_offset: z.number().int().optional(),
    no_text: z.array(z.object({
      ratingKey: z.string(),
      item: z.string(),
      reason: z.string(),
    })),
    bytes_fetched: z.number().int(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const query = compileQuery(args.query, args.match);
    if (!query) {
      throw new ToolInputError(
        "query has no words to look for (only punctuation or symbols)",
      );
    }
    const root = await fetchSubtitledItem(plex, args.ratingKey, signal);
    let items: SubtitledItem[];
    if (root.type === "movie" || root.type === "episode") items = [root];
    else if (root.type === "season" || root.type === "show") {
      items = await episodesOf(plex, root.ratingKey, root.type, signal);
    } else {
      throw new ToolInputError(
        `ratingKey ${root.ratingKey} is a ${
          root.type || "item"
        } ("${root.title}"); find_dialogue takes a film, an episode, a season or a show`,
      );
    }
    if (args.item_offset > 0 && items.length === 1 && items[0] === root) {
      throw new ToolInputError(
        `item_offset pages the episodes of a season or show; ratingKey ${root.ratingKey} is a ${root.type} ("${root.title}"), one item: leave item_offset out`,
      );
    }
    if (args.item_offset > 0 && args.item_offset >= items.length) {
      throw new ToolInputError(
        `item_offset ${args.item_offset} is past the last of ${
          plural(items.length, "episode")
        }`,
      );
    }
    const window = items.slice(
      args.item_offset,
      args.item_offset + MAX_ITEMS,
    );
    const budget: FetchBudget = {
      bytesLeft: DIALOGUE_CALL_BYTES,
      fetched: 0,
      cached: 0,
    };
    // Light references; only the matches shown are written out.
    const found: {
      item: SubtitledItem;
      label: string;
      cues: Cue[];
      index: number;
      score: number;
    }[] = [];
    const noText: { ratingKey: string; item: string; reason: string }[] = [];
    // List answers carry no streams: the episodes are read in full, in one
    // request.
    const full = window.length === 1 && window[0] === root
      ? new Map([[root.ratingKey, root]])
      : await fetchSubtitledItems(
        plex,
        window.map((w) => w.ratingKey),
        signal,
      );
    for (let i = 0; i < window.length; i++) {
      const listed = window[i]!;
      const item = full.get(listed.ratingKey);
      if (!item) {
        noText.push({
          ratingKey: listed.ratingKey,
          item: itemLabel(listed),
          reason: "Plex no longer has it",
        });
        continue;
      }
      const label = itemLabel(item);
      await ctx.progress(i, window.length, `Reading ${label}`);
      const choice = chooseStream(item, args.language);
      if (!choice.chosen) {
        noText.push({
          ratingKey: item.ratingKey,
          item: label,
          reason: choice.unreadable.length
            ? choice.unreadable.map((u) => `${u.stream}: ${u.reason}`).join(
              "; ",
            )
            : args.language
            ? `no ${args.language} subtitles`
            : "no subtitles",
        });
        continue;
      }
      let cues;
      try {
        cues = await loadCues(plex, choice.chosen, budget, signal);
      } catch (error) {
        if (!(error instanceof SubtitleUnavailableError)) throw error;
        noText.push({
          ratingKey: item.ratingKey,
          item: label,
          reason: `${
            choice.chosen.stream.title ?? "subtitles"
          }: ${error.message}`,
        });
        continue;
      }
      for (const hit of searchCues(cues.indexed, query)) {
        found.push({ item, label, cues: cues.indexed.cues, ...hit });
      }
    }
    await ctx.progress(window.length, window.length, "Done");
    // Best first; equally good ones in the order they are said.
    const ranked = found.map((m, order) => ({ m, order }))
      .sort((a, b) => b.m.score - a.m.score || a.order - b.order)
      .map((x) => x.m);
    const shown = ranked.slice(0, args.limit).map((h) =>
      matchOf(h.item.ratingKey, h.label, h.cues, h.index, h.score)
    );
    const end = args.item_offset + window.length;
    const next = end < items.length ? end : undefined;
    const scope = root.type === "movie" || root.type === "episode"
      ? itemLabel(root)
      : root.type === "season"
      ? `${root.parentTitle ?? ""} ${root.title}`.trim()
      : root.title;
    const lines = [
      `${plural(found.length, "match", "matches")} for "${
        query.words.join(" ")
      }" in ${scope} (${window.length} of ${
        plural(items.length, "item")
      } searched)`,
      ...shown.flatMap((m) => [
        `[${m.ratingKey}] ${m.item} @ ${m.time}${
          m.score < 1 ? ` (near, ${m.score})` : ""
        } → play_media ratingKey ${m.ratingKey} offset_seconds ${m.offset_seconds}`,
        ...m.before.map((l) => `    ${l}`),
        `  > ${m.line}`,
        ...m.after.map((l) => `    ${l}`),
      ]),
      found.length > shown.length
        ? `${
          found.length - shown.length
        } more matches left out: raise limit (max 50) or narrow the query`
        : "",
      next !== undefined
        ? `${
          items.length - end
        } more episodes not searched: call again with item_offset ${end}`
        : "",
      ...noText.map((n) =>
        `No text for [${n.ratingKey}] ${n.item}: ${n.reason}`
      ),
    ].filter(Boolean);
    return {
      structured: {
        scope,
        matches: shown,
        total_matches: found.length,
        left_out: found.length - shown.length,
        items_total: items.length,
        items_searched: window.length,
        next_item_offset: next,
        no_text: noText,
        bytes_fetched: budget.fetched,
      },
      text: lines.join("\n"),
    };
  },
});
