/**
 * Sending proxied player commands through the Plex server.
 *
 * @module
 */
import type { PlexClient, QueryValue } from "../plex/mod.ts";
import type { PlayerClient } from "../plex/models.ts";
import { PlexApiError, PlexError, PlexNotFoundError } from "../plex/errors.ts";
import { clientsSchema, transientTokenSchema } from "../plex/schemas.ts";
import { ToolInputError } from "./define_tool.ts";

/**
 * How long a transient token is reused. Plex keeps one valid for up to 48 h
 * but drops it when the server restarts (API.md §17.1), so an hour keeps a
 * restart from breaking playback for long.
 */
const TRANSIENT_TOKEN_MS = 60 * 60 * 1000;

const transientTokens = new WeakMap<
  PlexClient,
  { token: string; at: number }
>();

/**
 * A transient token for players to fetch media from the server with
 * (`GET /security/token?type=delegation&scope=all`, API.md §17.1), reused
 * for an hour and redacted like the main token.
 */
export async function transientToken(
  plex: PlexClient,
  signal: AbortSignal,
): Promise<string> {
  const cached = transientTokens.get(plex);
  if (cached && Date.now() - cached.at < TRANSIENT_TOKEN_MS) {
    return cached.token;
  }
  const token = await plex.getJson("/security/token", transientTokenSchema, {
    query: { type: "delegation", scope: "all" },
    signal,
    cache: false,
  });
  plex.addSecret(token);
  transientTokens.set(plex, { token, at: Date.now() });
  return token;
}

/** Where a player should fetch media from, and why, if it may not work. */
export interface ServerAddress {
  /** `http` or `https`. */
  protocol: string;
  /** Host name or IP address. */
  address: string;
  /** Port. */
  port: string;
  /** Set when the player may not reach the server at this address. */
  warning?: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * The address players should use to reach the server: the server's own
 * view of itself (`GET /servers`, its LAN address and port) when it has
 * one, else PLEX_SERVER_URL, with a warning when that is a loopback address
 * or has a path prefix (a player elsewhere cannot use it).
 */
export async function serverAddress(
  plex: PlexClient,
  machineIdentifier: string,
  signal: AbortSignal,
): Promise<ServerAddress> {
  const base = new URL(plex.baseUrl);
  const protocol = base.protocol.replace(":", "");
  const fromUrl: ServerAddress = {
    protocol,
    address: base.hostname,
    port: base.port || (protocol === "https" ? "443" : "80"),
  };
  const loopback = LOOPBACK.has(base.hostname);
  const prefixed = base.pathname !== "/" && base.pathname !== "";
  let own;
  try {
    const servers = await plex.getJson("/servers", clientsSchema, { signal });
    own = servers.find((s) => s.machineIdentifier === machineIdentifier) ??
      (servers.length === 1 ? servers[0] : undefined);
  } catch (error) {
    if (!(error instanceof PlexError)) throw error;
  }
  if (own?.address && own.port && !LOOPBACK.has(own.address)) {
    // The server's LAN address: what players on the LAN reach it by. Plex
    // serves plain http there; an https PLEX_SERVER_URL on the same host
    // keeps https.
    return {
      protocol: own.address === base.hostname ? protocol : "http",
      address: own.address,
      port: String(own.port),
    };
  }
  if (!loopback && !prefixed) return fromUrl;
  return {
    ...fromUrl,
    warning: loopback
      ? `PLEX_SERVER_URL points at ${base.hostname}, which means the player itself; a player on another device may not reach the server there. Set PLEX_SERVER_URL to the server's LAN address`
      : `PLEX_SERVER_URL has a path prefix (${base.pathname}), which players do not use; a player may not reach the server through it. Set PLEX_SERVER_URL to the server's LAN address`,
  };
}

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
