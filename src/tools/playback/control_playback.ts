import { z } from "../../zod.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { duration } from "../shared/format.ts";
import {
  requirePlayback,
  sendPlayerCommand,
} from "../shared/playback_common.ts";
import { resolvePlayer } from "../shared/resolve.ts";

const COMMANDS = {
  pause: "pause",
  resume: "play",
  stop: "stop",
  skip_next: "skipNext",
  skip_previous: "skipPrevious",
  seek: "seekTo",
} as const;

/** `control_playback`: pause, resume, stop, skip or seek on a player. */
export const controlPlayback = defineTool({
  name: "control_playback",
  title: "Control playback",
  description:
    "Pauses, resumes, stops, skips or seeks (offset_seconds) what a player (from list_clients) is playing; media_type picks the timeline (video by default).",
  toolset: "playback",
  annotations: writes({ idempotent: false }),
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
    action: z.enum(Object.keys(COMMANDS) as [keyof typeof COMMANDS]),
    offset_seconds: z.number().min(0).max(86_400).optional().describe(
      "Position for seek",
    ),
    media_type: z.enum(["video", "music", "photo"]).default("video"),
  },
  output: {
    player: z.string(),
    action: z.string(),
    offsetMs: z.number().int().optional(),
  },
  handler: async (args, { plex, signal }) => {
    if (args.action === "seek" && args.offset_seconds === undefined) {
      throw new ToolInputError("offset_seconds is required for seek");
    }
    const player = await resolvePlayer(plex, args.client, signal, {
      exact: true,
    });
    requirePlayback(player);
    const offsetMs = args.action === "seek"
      ? Math.round(args.offset_seconds! * 1000)
      : undefined;
    await sendPlayerCommand(plex, player, `playback/${COMMANDS[args.action]}`, {
      type: args.media_type,
      offset: offsetMs,
    }, signal);
    return {
      structured: { player: player.name, action: args.action, offsetMs },
      text: args.action === "seek"
        ? `Sent seek to ${duration(offsetMs) ?? "0:00"} to ${player.name}.`
        : `Sent ${args.action.replace("_", " ")} to ${player.name}.`,
    };
  },
});
