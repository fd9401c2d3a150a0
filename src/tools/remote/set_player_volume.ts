import { z } from "../../zod.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { sendPlayerCommand } from "../shared/playback_common.ts";
import {
  activeTimeline,
  pollTimeline,
  requireCapability,
} from "./remote_common.ts";
import { resolvePlayer } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `set_player_volume`: sets a player's volume. */
export const setPlayerVolume = defineTool({
  name: "set_player_volume",
  title: "Set a player's volume",
  description:
    "Sets the volume (0-100) of what a player (from list_clients) is playing and reads it back from the player's timeline when it offers one.",
  toolset: "remote",
  annotations: writes({ idempotent: true }),
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
    volume: z.number().int().min(0).max(100),
  },
  output: {
    player: z.string(),
    volume: z.number().int(),
    reported: z.number().nullable().describe("What the player says now"),
  },
  handler: async (args, { plex, signal }) => {
    const player = await resolvePlayer(plex, args.client, signal, {
      exact: true,
    });
    requireCapability(player, "playback", "setting the volume");
    const timeline = player.capabilities.includes("timeline")
      ? await pollTimeline(plex, player, signal)
      : undefined;
    // The timeline that plays decides `type` (music, video, photo).
    const type = (timeline && activeTimeline(timeline)?.type) ?? "video";
    // API.md §17.4: playback/setParameters?volume=0-100 (ppa client.py:532).
    await sendPlayerCommand(plex, player, "playback/setParameters", {
      volume: args.volume,
      type,
    }, signal);
    const after = timeline
      ? activeTimeline(await pollTimeline(plex, player, signal))
      : undefined;
    const reported = after?.volume ?? null;
    const structured = { player: player.name, volume: args.volume, reported };
    if (reported !== null && reported !== args.volume) {
      return notTaken(
        structured,
        `volume ${args.volume}`,
        `it reports volume ${reported}`,
        player.name,
      );
    }
    return {
      structured,
      text: reported === null
        ? `Sent volume ${args.volume} to ${player.name}${
          timeline ? " (it reports no volume while nothing plays)" : ""
        }.`
        : `${player.name} is at volume ${reported}.`,
    };
  },
});
