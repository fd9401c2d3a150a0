import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import { PlexError } from "../../transport/errors.ts";
import type { ItemSubtitles, SubtitleStream } from "../../plex/watch.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { safeId } from "../shared/ids.ts";
import { notTaken } from "../shared/readback.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import {
  allStreams,
  itemSubtitles,
  subtitleLine,
  subtitleOf,
  subtitleOutput,
} from "./subtitles_common.ts";

/** Read-backs after a download before saying it did not take. */
const DOWNLOAD_POLLS = 5;
/** Pause between them, ms. */
const POLL_MS = 400;

/**
 * Selects `streamId` (0: none) for the token's user on `partId` and the
 * version's other parts (`PUT /library/parts/{id}?subtitleStreamID&
 * allParts=1`, ppa media.py:208-231; OpenAPI `libraryPutPartsPart`).
 */
async function select(
  plex: PlexClient,
  partId: string,
  streamId: string,
  signal: AbortSignal,
): Promise<void> {
  await plex.send(`/library/parts/${safeId(partId, "part")}`, {
    method: "PUT",
    query: { subtitleStreamID: streamId, allParts: 1 },
    signal,
  });
}

/**
 * ISO 639-1 codes people type → the ISO 639-2 codes Plex gives streams
 * (`languageCode`, both the bibliographic and terminology forms).
 */
const TWO_TO_THREE: Record<string, string[]> = {
  en: ["eng"],
  fr: ["fre", "fra"],
  de: ["ger", "deu"],
  es: ["spa"],
  it: ["ita"],
  pt: ["por"],
  nl: ["dut", "nld"],
  sv: ["swe"],
  da: ["dan"],
  no: ["nor", "nob", "nno"],
  fi: ["fin"],
  pl: ["pol"],
  ru: ["rus"],
  ja: ["jpn"],
  zh: ["chi", "zho"],
  ko: ["kor"],
};

/** The stream `wanted` names: an id, a language code or name. */
function pick(item: ItemSubtitles, wanted: string) {
  const w = wanted.trim().toLowerCase();
  const codes = [w, ...(TWO_TO_THREE[w] ?? [])];
  const all = allStreams(item);
  const hit = all.find((s) => s.stream.id === w) ??
    all.find((s) =>
      codes.includes(s.stream.languageCode?.toLowerCase() ?? "") ||
      s.stream.language?.toLowerCase() === w
    );
  if (hit) return hit;
  throw new ToolInputError(
    `No subtitle stream of this item matches ${
      JSON.stringify(wanted.slice(0, 40))
    }; it has ${
      all.length
        ? all.map((s) => subtitleLine(s.stream)).join("; ")
        : "none (search_subtitles finds some to download)"
    }`,
  );
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });

/** `set_subtitles`: which subtitles Plex plays for the user, or a download. */
export const setSubtitles = defineTool({
  name: "set_subtitles",
  title: "Set subtitles",
  description:
    "Sets an item's subtitles for your account (a stream id or language it has, or off), or downloads one from search_subtitles; reads back Plex's choice.",
  toolset: "watch",
  annotations: writes({ idempotent: false }),
  input: {
    ratingKey: ratingKeyInput,
    subtitle: z.string().min(1).max(100).optional().describe(
      "Stream id, language, or off",
    ),
    download: z.string().min(1).max(1_000).optional().describe(
      "A key from search_subtitles",
    ),
  },
  output: {
    ratingKey: z.string(),
    downloaded: z.boolean(),
    selected: subtitleOutput.optional().describe("None: subtitles off"),
    applied: z.boolean().describe("Plex reads back what was asked"),
  },
  handler: async (args, { plex, signal }) => {
    if ((args.subtitle === undefined) === (args.download === undefined)) {
      throw new ToolInputError(
        "Give subtitle (a stream id, a language or off) or download (a key from search_subtitles)",
      );
    }
    const rk = args.ratingKey;
    const before = await itemSubtitles(plex, rk, signal, true);
    let wanted: { partId: string; streamId: string }[];
    let downloaded = false;
    if (args.download !== undefined) {
      const known = new Set(allStreams(before).map((s) => s.stream.id));
      // ppa video.py:147-160: PUT with the result's key; Plex fetches the
      // file in the background, so the new stream is waited for.
      try {
        await plex.send(`/library/metadata/${rk}/subtitles`, {
          method: "PUT",
          query: { key: args.download },
          signal,
        });
      } catch (error) {
        if (error instanceof PlexError && error.status === 400) {
          throw new ToolInputError(
            `Plex refused to download that subtitle for [${rk}] (400): take a key from search_subtitles for this very item. Nothing was changed`,
          );
        }
        throw error;
      }
      let added: ReturnType<typeof allStreams>[number] | undefined;
      for (let i = 0; i < DOWNLOAD_POLLS && !added; i++) {
        if (i) await sleep(POLL_MS, signal);
        const now = await itemSubtitles(plex, rk, signal, true);
        added = allStreams(now).find((s) => !known.has(s.stream.id));
      }
      if (!added) {
        return notTaken(
          {
            ratingKey: rk,
            downloaded: false,
            selected: undefined,
            applied: false,
          },
          "the subtitle download",
          `no new subtitle stream on [${rk}] after ${
            (DOWNLOAD_POLLS - 1) * POLL_MS / 1000
          } s (Plex may still be fetching it: search_subtitles lists what the item has)`,
        );
      }
      downloaded = true;
      wanted = [{ partId: added.partId, streamId: added.stream.id }];
    } else if (args.subtitle!.trim().toLowerCase() === "off") {
      // Subtitle id 0 is none (OpenAPI libraryPutPartsPart); every version.
      const firstParts = new Map<number, string>();
      for (const p of before.parts) {
        if (!firstParts.has(p.mediaIndex)) {
          firstParts.set(p.mediaIndex, p.partId);
        }
      }
      wanted = [...firstParts.values()].map((partId) => ({
        partId,
        streamId: "0",
      }));
    } else {
      const hit = pick(before, args.subtitle!);
      wanted = [{ partId: hit.partId, streamId: hit.stream.id }];
    }
    for (const w of wanted) {
      await select(plex, w.partId, safeId(w.streamId, "stream"), signal);
    }
    const after = await itemSubtitles(plex, rk, signal, true);
    const selectedOn = (partId: string): SubtitleStream | undefined =>
      after.parts.find((p) => p.partId === partId)?.streams.find((s) =>
        s.selected
      );
    const applied = wanted.every((w) =>
      (selectedOn(w.partId)?.id ?? "0") === w.streamId
    );
    const now = selectedOn(wanted[0]!.partId);
    const structured = {
      ratingKey: rk,
      downloaded,
      selected: now && subtitleOf(now),
      applied,
    };
    const shows = now ? subtitleLine(now) : "subtitles off";
    if (!applied) {
      return notTaken(
        structured,
        `the subtitle choice for [${rk}]`,
        `it reads back ${shows}`,
      );
    }
    return {
      structured,
      text: `${
        downloaded ? "Downloaded and selected" : "Selected"
      } for [${rk}] ${
        before.title ?? ""
      }: ${shows}. Players use it the next time the item starts.`,
    };
  },
});
