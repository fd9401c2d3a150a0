import { z } from "../../zod.ts";
import { resourcesSchema } from "../../plex/care.ts";
import type { MediaVersion } from "../../plex/models.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { playbackSessionsSchema } from "../../plex/watch.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { safeId } from "../shared/ids.ts";
import { diagnose } from "./diagnosis.ts";

/** Sessions diagnosed per call at most (each reads its item). */
const MAX_SESSIONS = 10;

/** `diagnose_playback`: why a stream transcodes or buffers. */
export const diagnosePlayback = defineTool({
  name: "diagnose_playback",
  title: "Diagnose playback",
  description:
    "Explains why what is playing now transcodes or buffers (video, audio, subtitle decisions, relay or remote, transcoder speed, server CPU) and what to change.",
  toolset: "watch",
  annotations: READ_ONLY,
  input: {
    session: z.string().min(1).max(100).optional().describe(
      "Player, user or session key; all if omitted",
    ),
  },
  output: {
    sessions: z.array(z.object({
      sessionKey: z.string().optional(),
      ratingKey: z.string().optional(),
      title: z.string(),
      user: z.string().optional(),
      player: z.string().optional(),
      state: z.string().optional(),
      playback: z.enum(["direct play", "direct stream", "transcode"]),
      reasons: z.array(z.string()),
      fixes: z.array(z.string()),
    })),
    total: z.number().int(),
    serverCpu: z.number().optional().describe("%"),
  },
  handler: async (args, { plex, signal }) => {
    const all = await plex.getJson("/status/sessions", playbackSessionsSchema, {
      signal,
      cache: false,
    });
    const w = args.session?.trim().toLowerCase();
    const chosen = w === undefined
      ? all
      : all.filter((s) =>
        s.sessionKey === w || s.player.title?.toLowerCase() === w ||
        s.user?.toLowerCase() === w
      );
    if (w !== undefined && !chosen.length) {
      throw new ToolInputError(
        all.length
          ? `No session matches ${JSON.stringify(args.session)}; playing now: ${
            all.map((s) =>
              `${s.sessionKey ?? "?"} ${s.user ?? "?"} on ${
                s.player.title ?? "?"
              }`
            ).join("; ")
          }`
          : "Nothing is playing now",
      );
    }
    const some = chosen.slice(0, MAX_SESSIONS);
    // The server's load: the latest sample, when the token may read it
    // (python-plexapi server.py:1025 sends timespan=6).
    const cpu = some.length
      ? await plex.getJson("/statistics/resources", resourcesSchema, {
        query: { timespan: 6 },
        signal,
        cache: false,
      }).then(
        (xs) => xs.sort((a, b) => a.at - b.at).at(-1)?.hostCpu,
        () => undefined,
      )
      : undefined;
    const sources = await Promise.all(some.map(async (s) => {
      if (!s.ratingKey) return undefined;
      try {
        const c = await plex.getJson(
          `/library/metadata/${safeId(s.ratingKey, "item")}`,
          itemsContainerSchema,
          { signal },
        );
        return c.Metadata[0]?.media[0] as MediaVersion | undefined;
      } catch {
        // An item deleted while it plays: diagnose from the session alone.
        return undefined;
      }
    }));
    const sessions = some.map((s, i) => {
      const d = diagnose(s, sources[i], cpu);
      return {
        sessionKey: s.sessionKey,
        ratingKey: s.ratingKey,
        title: s.title,
        user: s.user,
        player: s.player.title,
        state: s.player.state,
        ...d,
      };
    });
    const text = sessions.length
      ? sessions.map((s) =>
        [
          `${s.title} · ${s.user ?? "?"} on ${s.player ?? "?"}${
            s.state ? ` (${s.state})` : ""
          } · ${s.playback}${s.sessionKey ? ` · session ${s.sessionKey}` : ""}`,
          ...s.reasons.map((r) => `- ${r}`),
          ...s.fixes.map((f) => `  Fix: ${f}`),
        ].join("\n")
      ).join("\n") +
        (chosen.length > some.length
          ? `\n(${
            chosen.length - some.length
          } more sessions not diagnosed; name one)`
          : "") +
        (cpu === undefined
          ? ""
          : `\nServer CPU ${Math.round(cpu)}% (latest sample).`)
      : "Nothing is playing now.";
    return {
      structured: {
        sessions,
        total: chosen.length,
        serverCpu: cpu === undefined ? undefined : Math.round(cpu),
      },
      text,
    };
  },
});
