import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { duration } from "../shared/format.ts";
import { displayName, summarize } from "../shared/items.ts";
import { safeId } from "../shared/ids.ts";
import {
  activeTimeline,
  pollTimeline,
  requireCapability,
} from "./remote_common.ts";
import { resolvePlayer } from "../shared/resolve.ts";

/** `get_player_timeline`: what one player is playing, and where. */
export const getPlayerTimeline = defineTool({
  name: "get_player_timeline",
  title: "What a player is playing",
  description:
    "Asks a player (from list_clients) that advertises a timeline what it is playing now: item, state, position, volume and selected streams, or that it is idle.",
  toolset: "remote",
  annotations: READ_ONLY,
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
  },
  output: {
    player: z.string(),
    state: z.string().describe("playing, paused, buffering or stopped"),
    type: z.string().optional().describe("video, music or photo"),
    ratingKey: z.string().optional(),
    title: z.string().optional(),
    positionMs: z.number().int().optional(),
    durationMs: z.number().int().optional(),
    volume: z.number().optional(),
    audioStreamID: z.string().optional(),
    subtitleStreamID: z.string().optional(),
    location: z.string().optional(),
  },
  handler: async (args, { plex, signal }) => {
    const player = await resolvePlayer(plex, args.client, signal);
    requireCapability(player, "timeline", "reading what it plays");
    const timeline = await pollTimeline(plex, player, signal);
    const now = activeTimeline(timeline);
    if (!now) {
      return {
        structured: {
          player: player.name,
          state: "stopped",
          location: timeline.location,
        },
        text: `${player.name} is not playing anything${
          timeline.location ? ` (${timeline.location})` : ""
        }.`,
      };
    }
    let title: string | undefined;
    if (now.ratingKey) {
      const c = await plex.getJson(
        `/library/metadata/${safeId(now.ratingKey, "item")}`,
        itemsContainerSchema,
        { signal },
      ).catch(() => undefined);
      const item = c?.Metadata[0];
      if (item) title = displayName(summarize(item));
    }
    const round = (n: number | undefined) =>
      n === undefined ? undefined : Math.round(n);
    const structured = {
      player: player.name,
      state: now.state,
      type: now.type,
      ratingKey: now.ratingKey,
      title,
      positionMs: round(now.time),
      durationMs: round(now.duration),
      volume: now.volume,
      audioStreamID: now.audioStreamID,
      subtitleStreamID: now.subtitleStreamID,
      location: timeline.location,
    };
    return {
      structured,
      text: `${player.name} is ${now.state} ${
        title ? `[${now.ratingKey}] ${title}` : now.ratingKey ?? "something"
      } at ${duration(now.time) ?? "0:00"}${
        now.duration ? ` of ${duration(now.duration)}` : ""
      }${now.volume !== undefined ? `, volume ${now.volume}` : ""}.`,
    };
  },
});
