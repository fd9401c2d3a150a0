import { z } from "zod";
import { playQueueSchema } from "../plex/schemas.ts";
import { defineTool, ToolInputError, writes } from "./define_tool.ts";
import { duration } from "./format.ts";
import { safeId } from "./ids.ts";
import { displayName, summarize } from "./items.ts";
import { requirePlayback, sendPlayerCommand } from "./playback_common.ts";
import { libraryUri } from "./playlist_common.ts";
import { ratingKeyInput, resolvePlayer } from "./resolve.ts";
import { fetchItem } from "./watch_state.ts";

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

/** `play_media`: starts playback of an item on a player. */
export const playMedia = defineTool({
  name: "play_media",
  title: "Play on a player",
  description:
    "Starts playing an item (movie, episode, show, season, track, album, artist or photo, by ratingKey) on a player (name or machine identifier from list_clients), optionally from offset_seconds. Builds a play queue on the server and sends the play command through it; shows and seasons continue with the next episodes.",
  toolset: "playback",
  annotations: writes({ idempotent: false }),
  input: {
    client: z.string().min(1).describe("Player name or machine identifier"),
    ratingKey: ratingKeyInput,
    offset_seconds: z.number().min(0).max(86_400).optional().describe(
      "Start position",
    ),
  },
  output: {
    player: z.string(),
    ratingKey: z.string(),
    title: z.string(),
    playQueueId: z.string(),
    offsetMs: z.number().int(),
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
    const queue = await plex.getJson("/playQueues", playQueueSchema, {
      method: "POST",
      query: {
        type: kind.queue,
        uri: libraryUri(machine, [item.ratingKey]),
        continuous: kind.queue === "video" ? 1 : 0,
        shuffle: 0,
        repeat: 0,
      },
      signal,
    });
    const server = new URL(plex.baseUrl);
    const protocol = server.protocol.replace(":", "");
    const offsetMs = Math.round((args.offset_seconds ?? 0) * 1000);
    await sendPlayerCommand(plex, player, "playback/playMedia", {
      key: `/library/metadata/${item.ratingKey}`,
      offset: offsetMs,
      machineIdentifier: machine,
      address: server.hostname,
      port: server.port || (protocol === "https" ? "443" : "80"),
      protocol,
      containerKey: `/playQueues/${
        safeId(queue.id, "play queue")
      }?window=100&own=1`,
      providerIdentifier: "com.plexapp.plugins.library",
      type: kind.player,
    }, signal);
    const name = displayName(summarize(item));
    return {
      structured: {
        player: player.name,
        ratingKey: item.ratingKey,
        title: name,
        playQueueId: queue.id,
        offsetMs,
      },
      text: `Playing [${item.ratingKey}] ${name} on ${player.name}${
        offsetMs ? ` from ${duration(offsetMs)}` : ""
      } (play queue ${queue.id}).`,
    };
  },
});
