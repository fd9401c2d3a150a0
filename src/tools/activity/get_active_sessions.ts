import { z } from "../../zod.ts";
import { sessionsSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { duration, parts } from "../shared/format.ts";
import { displayName, itemSummary, summarize } from "../shared/items.ts";

/** `get_active_sessions`: who is watching what, right now. */
export const getActiveSessions = defineTool({
  name: "get_active_sessions",
  title: "Now playing",
  description:
    "Lists what is playing now: who, what, progress, player and state, direct play or transcode, bandwidth. Needs the owner's token.",
  toolset: "activity",
  annotations: READ_ONLY,
  spansServers: true,
  input: {},
  output: {
    sessions: z.array(z.object({
      item: itemSummary,
      user: z.string().optional(),
      player: z.string().optional(),
      product: z.string().optional(),
      state: z.string().optional().describe("playing, paused or buffering"),
      progressMs: z.number().int().optional(),
      durationMs: z.number().int().optional(),
      playback: z.enum(["direct play", "direct stream", "transcode"]),
      videoDecision: z.string().optional(),
      audioDecision: z.string().optional(),
      bandwidthKbps: z.number().optional(),
      location: z.string().optional().describe("lan, wan or cellular"),
    })),
    total: z.number().int(),
  },
  handler: async (_args, { plex, signal }) => {
    const list = await plex.getJson("/status/sessions", sessionsSchema, {
      signal,
    });
    const sessions = list.map((s) => {
      const t = s.transcode;
      const playback: "direct play" | "direct stream" | "transcode" = !t
        ? "direct play"
        : t.videoDecision === "transcode" || t.audioDecision === "transcode"
        ? "transcode"
        : "direct stream";
      return {
        item: summarize(s.item),
        user: s.user,
        player: s.player?.title,
        product: s.player?.product,
        state: s.player?.state,
        progressMs: s.item.viewOffset === undefined
          ? undefined
          : Math.round(s.item.viewOffset),
        durationMs: s.item.duration === undefined
          ? undefined
          : Math.round(s.item.duration),
        playback,
        videoDecision: t?.videoDecision,
        audioDecision: t?.audioDecision,
        bandwidthKbps: s.bandwidthKbps,
        location: s.location,
      };
    });
    const text = sessions.length
      ? `${sessions.length} active session${
        sessions.length > 1 ? "s" : ""
      }:\n` +
        sessions.map((s) =>
          parts([
            `${s.user ?? "someone"}: [${s.item.ratingKey}] ${
              displayName(s.item)
            }`,
            s.state,
            s.progressMs !== undefined &&
            `${duration(s.progressMs) ?? "0:00"}/${
              duration(s.durationMs) ?? "?"
            }`,
            s.player && `on ${s.player}${s.product ? ` (${s.product})` : ""}`,
            s.playback === "transcode"
              ? `transcode (video ${s.videoDecision ?? "?"}, audio ${
                s.audioDecision ?? "?"
              })`
              : s.playback,
            s.bandwidthKbps !== undefined && `${s.bandwidthKbps} kbps`,
            s.location,
          ])
        ).join("\n")
      : "Nothing is playing right now.";
    return { structured: { sessions, total: sessions.length }, text };
  },
});
