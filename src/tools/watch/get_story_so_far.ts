import { z } from "../../zod.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { SubtitleUnavailableError } from "../../plex/subtitle_text.ts";
import type { SubtitledItem } from "../../plex/subtitle_text.ts";
import { clock } from "../../watch/clock.ts";
import { sampleEvenly } from "../../watch/sample.ts";
import {
  chooseStream,
  episodesOf,
  type FetchBudget,
  fetchSubtitledItem,
  itemLabel,
  loadCues,
  MAX_FILE_BYTES,
  requirePlayable,
} from "../../watch/dialogue_source.ts";

/** Most earlier episodes whose summaries are given (the latest ones). */
export const MAX_EARLIER = 40;
/** Longest summary given of one earlier episode, in characters. */
const MAX_SUMMARY_CHARS = 1_000;

/** A cue that only describes a sound: `[waves]`, `(door creaks)`, `♪`. */
const SOUND_ONLY = /^\s*(?:\[[^\]]*\]|\([^)]*\)|[♪♫\s]+)\s*$/;

function short(text: string): string {
  return text.length > MAX_SUMMARY_CHARS
    ? text.slice(0, MAX_SUMMARY_CHARS - 1) + "…"
    : text;
}

/** Whether episode `a` comes before episode `b` in the show. */
function before(a: SubtitledItem, b: SubtitledItem): boolean {
  const sa = a.parentIndex ?? 0;
  const sb = b.parentIndex ?? 0;
  // Specials (season 0) have no place in the story's order.
  if (sa === 0 && sb !== 0) return false;
  return sa < sb || (sa === sb && (a.index ?? 0) < (b.index ?? 0));
}

/** `get_story_so_far`: spoiler-safe recap material up to a position. */
export const getStorySoFar = defineTool({
  name: "get_story_so_far",
  title: "Story so far",
  description:
    "Spoiler-safe recap material up to a position in a film or episode (default: your progress): earlier episodes' summaries, then its dialogue so far, sampled. Nothing later.",
  toolset: "watch",
  annotations: READ_ONLY,
  input: {
    ratingKey: ratingKeyInput,
    position_seconds: z.number().min(0).max(86_400).optional(),
    language: z.string().trim().min(1).max(40).optional(),
    budget_chars: z.number().int().min(200).max(20_000).default(4_000),
  },
  output: {
    item: z.string(),
    ratingKey: z.string(),
    position: z.string(),
    position_from: z.enum(["your progress", "given", "not started"]),
    earlier: z.array(z.object({
      ratingKey: z.string(),
      item: z.string(),
      summary: z.string(),
    })),
    earlier_left_out: z.number().int(),
    dialogue: z.array(z.object({ time: z.string(), line: z.string() })),
    dialogue_lines_seen: z.number().int(),
    dialogue_note: z.string().optional(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const item = await fetchSubtitledItem(plex, args.ratingKey, signal);
    requirePlayable(item, "get_story_so_far");
    const given = args.position_seconds;
    const positionMs = given !== undefined
      ? Math.floor(given * 1000)
      : Math.floor(item.viewOffset ?? 0);
    const from = given !== undefined
      ? "given" as const
      : item.viewOffset
      ? "your progress" as const
      : "not started" as const;
    const label = itemLabel(item);

    // Earlier episodes of the show, in order; never this one or later.
    let earlierAll: SubtitledItem[] = [];
    const showKey = item.grandparentRatingKey ?? item.parentRatingKey;
    if (item.type === "episode" && showKey) {
      await ctx.progress(0, 2, "Reading earlier episodes");
      const episodes = await episodesOf(
        plex,
        showKey,
        item.grandparentRatingKey ? "show" : "season",
        signal,
      );
      earlierAll = episodes.filter((e) =>
        e.ratingKey !== item.ratingKey && before(e, item)
      ).sort((a, b) =>
        (a.parentIndex ?? 0) - (b.parentIndex ?? 0) ||
        (a.index ?? 0) - (b.index ?? 0)
      );
    }
    const earlierShown = earlierAll.slice(-MAX_EARLIER);
    const earlier = earlierShown.map((e) => ({
      ratingKey: e.ratingKey,
      item: itemLabel(e),
      summary: short(e.summary ?? ""),
    }));

    // This item's dialogue up to the position (cues that started before).
    await ctx.progress(1, 2, `Reading the dialogue of ${label}`);
    let dialogue: { time: string; line: string }[] = [];
    let cuesBefore = 0;
    let note: string | undefined;
    const choice = chooseStream(item, args.language);
    if (positionMs === 0) {
      note = "Not started yet: no dialogue before the position";
    } else if (!choice.chosen) {
      note = choice.unreadable.length
        ? `No readable subtitles: ${
          choice.unreadable.map((u) => `${u.stream}: ${u.reason}`).join("; ")
        }`
        : args.language
        ? `No ${args.language} subtitles`
        : "No subtitles";
    } else {
      const budget: FetchBudget = {
        bytesLeft: MAX_FILE_BYTES,
        fetched: 0,
        cached: 0,
      };
      try {
        const cues = await loadCues(plex, choice.chosen, budget, signal);
        // Only what was on screen before the position; sounds say little.
        const seen = cues.indexed.cues.filter((c) =>
          c.startMs < positionMs && !SOUND_ONLY.test(c.text)
        );
        cuesBefore = seen.length;
        dialogue = sampleEvenly(seen, args.budget_chars).cues.map((c) => ({
          time: clock(c.startMs),
          line: c.text,
        }));
        if (dialogue.length < seen.length) {
          note = `${dialogue.length} of ${seen.length} lines, spread evenly`;
        }
      } catch (error) {
        if (!(error instanceof SubtitleUnavailableError)) throw error;
        note = `${choice.chosen.stream.title ?? "Subtitles"}: ${error.message}`;
      }
    }
    await ctx.progress(2, 2, "Done");

    const lines = [
      `[${item.ratingKey}] ${label}: the story up to ${
        clock(positionMs)
      } (${from})`,
      earlierAll.length > earlierShown.length
        ? `${
          earlierAll.length - earlierShown.length
        } earlier episodes left out (the first ones)`
        : "",
      earlier.length ? "Earlier episodes:" : "",
      ...earlier.map((e) => `[${e.ratingKey}] ${e.item}: ${e.summary}`),
      dialogue.length ? "Dialogue so far:" : "",
      ...dialogue.map((d) => `${d.time} ${d.line}`),
      note ?? "",
    ].filter(Boolean);
    return {
      structured: {
        item: label,
        ratingKey: item.ratingKey,
        position: clock(positionMs),
        position_from: from,
        earlier,
        earlier_left_out: earlierAll.length - earlierShown.length,
        dialogue,
        dialogue_lines_seen: cuesBefore,
        dialogue_note: note,
      },
      text: lines.join("\n"),
    };
  },
});
