/**
 * Sending proxied player commands through the Plex server.
 *
 * @module
 */
import type { PlexClient, QueryValue } from "../plex/mod.ts";
import type { PlayerClient } from "../plex/models.ts";
import { PlexApiError, PlexNotFoundError } from "../plex/errors.ts";
import { ToolInputError } from "./define_tool.ts";

/** Checks the player advertises remote playback control. */
export function requirePlayback(player: PlayerClient): void {
  if (!player.capabilities.includes("playback")) {
    throw new ToolInputError(
      `Player "${player.name}" does not accept playback commands (it offers: ${
        player.capabilities.join(", ") || "nothing"
      }). Pick another with list_clients`,
    );
  }
}

/** Sends `/player/{path}` to `player` via the server; any 2xx is success. */
export async function sendPlayerCommand(
  plex: PlexClient,
  player: PlayerClient,
  path: string,
  query: Record<string, QueryValue>,
  signal: AbortSignal,
): Promise<void> {
  try {
    await plex.send(`/player/${path}`, {
      query: { ...query, commandID: plex.nextCommandId() },
      headers: { "X-Plex-Target-Client-Identifier": player.machineIdentifier },
      idempotent: false,
      signal,
    });
  } catch (error) {
    if (error instanceof PlexNotFoundError) {
      throw new ToolInputError(
        `Plex cannot reach player "${player.name}" any more (404); it may have gone to sleep. Call list_clients again`,
      );
    }
    if (
      error instanceof PlexApiError && error.status !== undefined &&
      error.status < 500
    ) {
      throw new ToolInputError(
        `Player "${player.name}" refused the command (Plex answered ${error.status}): it is not accepting remote control right now. Open the Plex app on it and enable remote control ("Advertise as player")`,
      );
    }
    throw error;
  }
}
