import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { PlexItem } from "../../plex/models.ts";
import { playQueueSchema } from "../../plex/schemas.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { duration } from "../shared/format.ts";
import { safeId } from "../shared/ids.ts";
import { displayName, summarize } from "../shared/items.ts";
import { PlexAuthError } from "../../transport/errors.ts";
import {
  forgetTransientToken,
  requirePlayback,
  sendPlayerCommand,
  serverAddress,
  transientToken,
} from "../shared/playback_common.ts";
import { libraryUri } from "../shared/playlist_common.ts";
import { ratingKeyInput, resolvePlayer } from "../shared/resolve.ts";
import { fetchItem } from "../shared/watch_state.ts";
import { fetchWithMarkers } from "../watch/markers.ts";
import { clock, parsePosition } from "../watch/time.ts";

const KIND: Record<string, { queue: string; player: string }> = {
  movie: { queue: "video", player: "video" },
  episode: { queue: "video", player: "video" },
  season: { queue: "video", player: "video" },
  show: { queue: "video", player: "video" },
  clip: { queue: "video", player: "video" },
  track: { queue: "audio", player: "music" },
  album: { queue: "audio", player: "music" },
  artist: { queue: "audio", player: "music" },
  photo: { queue: "photo", player: "photo" },
};

/**
 * Where a show or season starts: the episode in progress, else the first
 * unwatched one, else the first (everything watched: start again). Albums
 * and artists start at their first track. Read from `allLeaves`, one page.
 */
async function startingLeaf(
  plex: PlexClient,
  item: PlexItem,
  signal: AbortSignal,
): Promise<PlexItem | undefined> {
  if (!["show", "season", "artist", "album"].includes(item.type)) {
    return undefined;
  }
  const leaves: PlexItem[] = [];
  for await (
    const leaf of plex.iterate(
      `/library/metadata/${safeId(item.ratingKey, "item")}/allLeaves`,
      {
        limit: 100,
        signal,
      },
    )
  ) {
    if (item.type === "artist" || item.type === "album") return leaf;
    if ((leaf.viewOffset ?? 0) > 0 && !leaf.viewCount) return leaf;
    leaves.push(leaf);
    if (leaves.length >= 1_000) break;
  }
  return leaves.find((l) => !l.viewCount) ?? leaves[0];
}

/**
 * The position asked for (offset_seconds, at, or start), or undefined for
 * the default (where the viewer left it). Bad or contradictory choices and
 * an intro Plex does not know are the caller's to fix.
 */
async function startPosition(
  plex: PlexClient,
  args: { offset_seconds?: number; at?: string; start?: string },
  start: PlexItem,
  signal: AbortSignal,
): Promise<number | undefined> {
  const given = [args.offset_seconds, args.at, args.start].filter((x) =>
    x !== undefined
  );
  if (given.length > 1) {
    throw new ToolInputError(
      "Give one of offset_seconds, at or start, not several",
    );
  }
  const name = `[${start.ratingKey}] ${displayName(summarize(start))}`;
  const within = (ms: number) => {
    if (start.duration !== undefined && ms >= start.duration) {
      throw new ToolInputError(
        `${name} is only ${clock(start.duration)} long; ${
          clock(ms)
        } is past its end`,
      );
    }
    return ms;
  };
  if (args.offset_seconds !== undefined) {
    return within(Math.round(args.offset_seconds * 1000));
  }
  if (args.at !== undefined) {
    const ms = parsePosition(args.at);
    if (ms === undefined) {
      throw new ToolInputError(
        `at must be a time such as 1:02:03, 12:30, 45m or 90s, not ${
          JSON.stringify(args.at.slice(0, 20))
        }`,
      );
    }
    return within(ms);
  }
  if (args.start === "beginning") return 0;
  if (args.start === "resume") {
    if (!start.viewOffset) {
      throw new ToolInputError(
        `${name} has no saved position to resume from; use start: "beginning"`,
      );
    }
    return Math.round(start.viewOffset);
  }
  if (args.start === "after_intro") {
    const { markers } = await fetchWithMarkers(
      plex,
      safeId(start.ratingKey, "item"),
      signal,
    );
    const intro = markers.find((m) => m.type === "intro");
    if (!intro) {
      throw new ToolInputError(
        `Plex has no intro marker for ${name} (intro detection runs per TV library, Settings > Library > "Generate intro video markers"); use at or start: "beginning"`,
      );
    }
    return Math.round(intro.endMs);
  }
  return undefined;
}

/** `play_media`: starts playback of an item on a player. */
export const playMedia = defineTool({
  name: "play_media",
  title: "Play on a player",
  description:
    "Plays an item on a player (from list_clients), from where it was left, the beginning, after the intro, or a time. A show or season starts at the episode in progress or the next unwatched one.",
  toolset: "playback",
  annotations: writes({ idempotent: false }),
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
    ratingKey: ratingKeyInput,
    offset_seconds: z.number().min(0).max(86_400).optional().describe(
      "Start position",
    ),
    start: z.enum(["resume", "beginning", "after_intro"]).optional(),
    at: z.string().max(20).optional().describe("Start time: 1:02:03, 45m"),
  },
  output: {
    player: z.string(),
    ratingKey: z.string(),
    title: z.string(),
    started: z.object({ ratingKey: z.string(), title: z.string() }).describe(
      "The item playing now (for a show: the episode)",
    ),
    playQueueId: z.string(),
    offsetMs: z.number().int(),
    warning: z.string().optional(),
  },
  handler: async (args, { plex, signal }) => {
    const [player, item, machine] = await Promise.all([
      resolvePlayer(plex, args.client, signal, { exact: true }),
      fetchItem(plex, args.ratingKey, signal),
      plex.machineIdentifier({ signal }),
    ]);
    requirePlayback(player);
    const kind = KIND[item.type];
    if (!kind) {
      throw new ToolInputError(
        `A ${item.type} cannot be played; pick a movie, episode, track or album`,
      );
    }
    const first = await startingLeaf(plex, item, signal);
    if (["show", "season", "artist", "album"].includes(item.type) && !first) {
      throw new ToolInputError(
        `[${item.ratingKey}] ${
          displayName(summarize(item))
        } has nothing to play`,
      );
    }
    const start = first ?? item;
    const chosen = await startPosition(plex, args, start, signal);
    // ratingKeys Plex sent go into a path and a query: plain ids only.
    const itemKey = safeId(item.ratingKey, "item");
    const startKey = safeId(start.ratingKey, "item");
    const [queue, firstToken, server] = await Promise.all([
      plex.getJson("/playQueues", playQueueSchema, {
        method: "POST",
        // API.md §17.2: the container's uri, and `key` for where to start.
        query: {
          type: kind.queue,
          uri: libraryUri(machine, [itemKey]),
          key: `/library/metadata/${startKey}`,
          continuous: kind.queue === "video" ? 1 : 0,
          shuffle: 0,
          repeat: 0,
        },
        signal,
      }),
      transientToken(plex, signal),
      serverAddress(plex, machine, signal),
    ]);
    // Where the viewer left the item started (an episode or movie in
    // progress, as Plex's own apps resume), unless a position was given.
    const offsetMs = chosen ?? Math.round(start.viewOffset ?? 0);
    const containerKey = `/playQueues/${
      safeId(queue.id, "play queue")
    }?window=100&own=1`;
    const play = (token: string | undefined) =>
      sendPlayerCommand(plex, player, "playback/playMedia", {
        key: `/library/metadata/${startKey}`,
        offset: offsetMs,
        machineIdentifier: machine,
        address: server.address,
        port: server.port,
        protocol: server.protocol,
        token,
        containerKey,
        providerIdentifier: "com.plexapp.plugins.library",
        type: kind.player,
      }, signal);
    let token = firstToken;
    try {
      await play(token.token);
    } catch (error) {
      // A cached transient token dies when Plex restarts (API.md §17.1):
      // the command is refused with 401. Once, with a fresh token.
      if (!(error instanceof PlexAuthError) || token.token === undefined) {
        throw error;
      }
      forgetTransientToken(plex);
      token = await transientToken(plex, signal);
      await play(token.token);
    }
    const notes = [
      ...(server.warning ? [server.warning] : []),
      ...(token.refused
        ? [
          `Plex would not issue a transient token (${token.refused}), so the player got none; it can fetch the media only if the server lets LAN devices in without signing in (Settings > Network > "List of IP addresses and networks that are allowed without auth")`,
        ]
        : []),
    ];
    const warning = notes.length ? notes.join(". ") : undefined;
    const name = displayName(summarize(item));
    const startedName = displayName(summarize(start));
    return {
      structured: {
        player: player.name,
        ratingKey: item.ratingKey,
        title: name,
        started: { ratingKey: start.ratingKey, title: startedName },
        playQueueId: queue.id,
        offsetMs,
        warning,
      },
      text: [
        // The player took the command; whether it plays, only its own
        // timeline can say (get_player_timeline).
        `Sent [${start.ratingKey}] ${startedName}${
          start === item ? "" : ` (from ${name})`
        } to ${player.name} to play${
          offsetMs ? ` from ${duration(offsetMs)}` : ""
        } (play queue ${queue.id}).`,
        ...notes.map((n) => `Note: ${n}.`),
      ].join("\n"),
    };
  },
});
