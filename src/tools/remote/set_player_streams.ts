import { z } from "../../zod.ts";
import { type SelectableStream, streamsSchema } from "../../plex/remote.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { safeId } from "../shared/ids.ts";
import { sendPlayerCommand } from "../shared/playback_common.ts";
import {
  activeTimeline,
  pollTimeline,
  requireCapability,
} from "./remote_common.ts";
import { resolvePlayer } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** Picks a stream by id, language code or language name. */
function pickStream(
  streams: SelectableStream[],
  kind: "audio" | "subtitle",
  wanted: string,
): SelectableStream {
  const mine = streams.filter((s) => s.kind === kind);
  const w = wanted.trim().toLowerCase();
  const found = mine.filter((s) =>
    s.id === w || s.languageCode?.toLowerCase() === w ||
    s.language?.toLowerCase() === w
  );
  if (found.length >= 1) return found[0]!;
  throw new ToolInputError(
    `No ${kind} stream matches "${wanted}"; the item has ${
      mine.length
        ? mine.map((s) => `${s.id} (${s.title ?? s.language ?? "?"})`).join(
          ", ",
        )
        : `no ${kind} streams`
    }`,
  );
}

/** `set_player_streams`: picks the audio and subtitle tracks on a player. */
export const setPlayerStreams = defineTool({
  name: "set_player_streams",
  title: "Choose audio and subtitles",
  description:
    "Chooses the audio track and subtitles (by language such as eng, or stream id from get_media_details; subtitle off) of what a player from list_clients is playing, and reads the choice back from its timeline.",
  toolset: "remote",
  annotations: writes({ idempotent: true }),
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
    audio: z.string().min(1).max(100).optional().describe("Language or id"),
    subtitle: z.string().min(1).max(100).optional().describe(
      "Language, id, or off",
    ),
  },
  output: {
    player: z.string(),
    ratingKey: z.string(),
    audioStreamID: z.string().optional(),
    subtitleStreamID: z.string().optional(),
    applied: z.boolean().describe("The player's timeline shows the choice"),
  },
  handler: async (args, { plex, signal }) => {
    if (args.audio === undefined && args.subtitle === undefined) {
      throw new ToolInputError("Give audio, subtitle or both");
    }
    const player = await resolvePlayer(plex, args.client, signal, {
      exact: true,
    });
    requireCapability(player, "playback", "choosing streams");
    requireCapability(player, "timeline", "knowing what it plays");
    const now = activeTimeline(await pollTimeline(plex, player, signal));
    if (!now?.ratingKey) {
      throw new ToolInputError(
        `${player.name} is not playing anything; start it with play_media first`,
      );
    }
    const ratingKey = safeId(now.ratingKey, "item");
    const parts = await plex.getJson(
      `/library/metadata/${ratingKey}`,
      streamsSchema,
      { signal },
    );
    // Stream ids belong to one version: the one playing is the one whose
    // streams its timeline names (the first when it names none).
    const named = [now.audioStreamID, now.subtitleStreamID, now.videoStreamID]
      .filter((id): id is string => id !== undefined && id !== "0");
    const playing = parts.find((p) =>
      named.some((id) => p.streamIds.includes(id))
    );
    const versions = new Set(parts.map((p) => p.mediaIndex)).size;
    const guessed = !playing && versions > 1;
    const streams = (playing ?? parts[0])?.streams ?? [];
    const audio = args.audio === undefined
      ? undefined
      : pickStream(streams, "audio", args.audio).id;
    // Subtitle id 0 turns subtitles off (ppa client.py:552, setStreams).
    const subtitle = args.subtitle === undefined
      ? undefined
      : args.subtitle.trim().toLowerCase() === "off"
      ? "0"
      : pickStream(streams, "subtitle", args.subtitle).id;
    await sendPlayerCommand(plex, player, "playback/setStreams", {
      audioStreamID: audio,
      subtitleStreamID: subtitle,
      type: now.type || "video",
    }, signal);
    const after = activeTimeline(await pollTimeline(plex, player, signal));
    const applied = (audio === undefined || after?.audioStreamID === audio) &&
      (subtitle === undefined ||
        (after?.subtitleStreamID ?? "0") === subtitle);
    const name = (id: string | undefined) =>
      id === "0"
        ? "off"
        : streams.find((s) => s.id === id)?.title ?? id ?? "unchanged";
    const note = guessed
      ? ` (it did not say which of the item's ${versions} versions it plays; the first one's streams were used)`
      : "";
    const structured = {
      player: player.name,
      ratingKey,
      audioStreamID: after?.audioStreamID,
      subtitleStreamID: after?.subtitleStreamID,
      applied,
    };
    const shows = `audio ${name(after?.audioStreamID)}, subtitles ${
      name(after?.subtitleStreamID ?? "0")
    }${note}`;
    if (!applied) {
      return notTaken(
        structured,
        `the stream choice for ${player.name}`,
        `its timeline shows ${shows}`,
        player.name,
      );
    }
    return { structured, text: `${player.name} now plays ${shows}.` };
  },
});
