/**
 * Shared by the remote-control tools: capability checks with a message
 * that names what is missing, and reading a player's timeline.
 *
 * @module
 */
import type { PlexClient } from "../../plex/client.ts";
import type { PlayerClient } from "../../plex/models.ts";
import {
  type PlayerTimeline,
  readTimeline,
  type Timeline,
} from "../../plex/remote.ts";
import { ToolInputError } from "../shared/define_tool.ts";
import { notePolled, playerError } from "../shared/playback_common.ts";

/**
 * Refuses a player that does not advertise `capability` (its
 * `protocolCapabilities`, API.md §17.6), saying which one is missing and
 * what it offers, before any command is sent.
 */
export function requireCapability(
  player: PlayerClient,
  capability: "navigation" | "playback" | "timeline",
  what: string,
): void {
  if (player.capabilities.includes(capability)) return;
  throw new ToolInputError(
    `Player "${player.name}" does not advertise "${capability}", which ${what} needs (it offers: ${
      player.capabilities.join(", ") || "nothing"
    }). Pick another with list_clients`,
  );
}

/**
 * Polls the player's timeline through the server (`GET
 * /player/timeline/poll?wait=0`, API.md §17.5); the reply is the player's
 * own (XML from Plex's players).
 */
export async function pollTimeline(
  plex: PlexClient,
  player: PlayerClient,
  signal: AbortSignal,
): Promise<PlayerTimeline> {
  let text: string;
  try {
    text = await plex.requestText("/player/timeline/poll", {
      query: { wait: 0, commandID: plex.nextCommandId() },
      headers: { "X-Plex-Target-Client-Identifier": player.machineIdentifier },
      cache: false,
      signal,
    });
  } catch (error) {
    throw playerError(error, player, "did not give its timeline");
  }
  // The poll subscribed this controller: commands need no other for a while.
  notePolled(plex, player);
  const timeline = readTimeline(text);
  if (!timeline) {
    throw new ToolInputError(
      `Player "${player.name}" answered the timeline poll with something that is not a timeline`,
    );
  }
  return timeline;
}

/** The timeline in use: the first that is not stopped (python-plexapi client.py:603). */
export function activeTimeline(t: PlayerTimeline): Timeline | undefined {
  return t.timelines.find((x) => x.state !== "stopped");
}
