/**
 * Sending proxied player commands through the Plex server.
 *
 * @module
 */
import type { PlexClient, QueryValue } from "../../plex/mod.ts";
import type { OwnServer, PlayerClient } from "../../plex/models.ts";
import {
  PlexApiError,
  PlexError,
  PlexNotFoundError,
} from "../../transport/errors.ts";
import { ownServersSchema, transientTokenSchema } from "../../plex/schemas.ts";
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
 * What the player gets to fetch media with: a transient token, or none
 * when the server would not issue one (`refused` says how it answered).
 */
export interface TransientToken {
  /** The token, or undefined when Plex refused to issue one. */
  token: string | undefined;
  /** Plex's status when it refused (403 or 404). */
  refused?: number;
}

/**
 * A transient token for players to fetch media from the server with
 * (`GET /security/token?type=delegation&scope=all`, API.md §17.1), reused
 * for an hour and redacted like the main token. When the server answers 403
 * (it could not create one) or 404 (it has no such endpoint), playback goes
 * on without one, as python-plexapi's playMedia does when it has no token
 * (client.py playMedia: `token` only "if token").
 */
export async function transientToken(
  plex: PlexClient,
  signal: AbortSignal,
): Promise<TransientToken> {
  const cached = transientTokens.get(plex);
  if (cached && Date.now() - cached.at < TRANSIENT_TOKEN_MS) {
    return { token: cached.token };
  }
  let token: string;
  try {
    token = await plex.getJson("/security/token", transientTokenSchema, {
      query: { type: "delegation", scope: "all" },
      signal,
      cache: false,
    });
  } catch (error) {
    const status = (error as PlexError).status;
    if (error instanceof PlexError && (status === 403 || status === 404)) {
      return { token: undefined, refused: status };
    }
    throw error;
  }
  plex.addSecret(token);
  transientTokens.set(plex, { token, at: Date.now() });
  return { token };
}

/**
 * Forgets the cached transient token, e.g. after a player command with it
 * was refused with 401: Plex drops transient tokens when it restarts.
 */
export function forgetTransientToken(plex: PlexClient): void {
  transientTokens.delete(plex);
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

const LOOPBACK_NAMES = new Set(["localhost", "::1", "::", "0.0.0.0"]);

/**
 * How well a player elsewhere on the network can reach `host`: 0 for a
 * 192.168/16 address, 1 for 10/8, 2 for 172.16/12 (also the range of
 * Docker's bridge networks, hence last of the private ones), 3 for any
 * other address or name; undefined for loopback, unspecified and
 * link-local addresses, which name the player's own machine or none.
 */
export function addressRank(host: string): number | undefined {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (!h || LOOPBACK_NAMES.has(h) || h.endsWith(".localhost")) {
    return undefined;
  }
  if (h.startsWith("fe80:") || h.startsWith("::ffff:127.")) return undefined;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(h);
  if (!v4) return 3;
  const a = Number(v4[1]);
  const b = Number(v4[2]);
  if (a === 127 || a === 0 || (a === 169 && b === 254)) return undefined;
  if (a === 192 && b === 168) return 0;
  if (a === 10) return 1;
  if (a === 172 && b >= 16 && b <= 31) return 2;
  return 3;
}

/** Whether `host` is an IP address literal rather than a name. */
function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
}

/**
 * Picks the address players should use from PLEX_SERVER_URL and the
 * server's own addresses (`GET /servers`): the best by
 * {@link addressRank}. A host name in PLEX_SERVER_URL (what the user
 * reaches the server by) ranks with 172.16/12 and wins the tie, so a
 * Docker bridge address the server reports never beats it; at equal rank
 * PLEX_SERVER_URL comes first, then the server's addresses in order. A
 * URL with a path prefix (a reverse proxy) is not a candidate: players use
 * no prefix. When nothing is usable the URL is returned with a warning
 * saying why the player may not reach it; a 172.16/12 address the server
 * reported gets a warning too.
 */
export function chooseServerAddress(
  baseUrl: string,
  own: readonly OwnServer[],
): ServerAddress {
  const base = new URL(baseUrl);
  const protocol = base.protocol.replace(":", "");
  const urlHost = base.hostname.replace(/^\[|\]$/g, "");
  const prefixed = base.pathname !== "/" && base.pathname !== "";
  const fromUrl: ServerAddress = {
    protocol,
    address: urlHost,
    port: base.port || (protocol === "https" ? "443" : "80"),
  };
  type Candidate = ServerAddress & { rank: number; reported: boolean };
  const candidates: Candidate[] = [];
  const urlRank = addressRank(urlHost);
  if (!prefixed && urlRank !== undefined) {
    const rank = isIpLiteral(urlHost) ? urlRank : Math.min(urlRank, 2);
    candidates.push({ ...fromUrl, rank, reported: false });
  }
  for (const server of own) {
    if (!server.port) continue;
    for (const address of server.addresses) {
      const rank = addressRank(address);
      if (rank === undefined) continue;
      // Plex serves plain http on its LAN addresses; an https
      // PLEX_SERVER_URL on the same host keeps https.
      candidates.push({
        protocol: address === urlHost ? protocol : "http",
        address,
        port: String(server.port),
        rank,
        reported: true,
      });
    }
  }
  // A stable sort: equal ranks keep the URL first, then the server's order.
  candidates.sort((x, y) => x.rank - y.rank);
  const best = candidates[0];
  if (best) {
    const { rank, reported, ...address } = best;
    if (rank === 2 && reported && address.address !== urlHost) {
      address.warning =
        `the server reports its address as ${address.address}, a range Docker and VPNs use inside one machine; a player on the LAN may not reach it there. If playback does not start, set PLEX_SERVER_URL to the server's LAN address`;
    }
    return address;
  }
  const why = [
    ...(urlRank === undefined
      ? [`points at ${urlHost}, which to a player means itself`]
      : []),
    ...(prefixed
      ? [`has a path prefix (${base.pathname}), which players do not use`]
      : []),
  ];
  return {
    ...fromUrl,
    warning: `PLEX_SERVER_URL ${
      why.join(" and ")
    }, and the server reported no address of its own; a player on another device may not reach the server. Set PLEX_SERVER_URL to the server's LAN address, e.g. http://192.168.1.10:32400`,
  };
}

/**
 * The address players should use to reach the server: the best of
 * PLEX_SERVER_URL and the server's own view of itself (`GET /servers`; `/`
 * and `/identity` carry no address), see {@link chooseServerAddress}.
 */
export async function serverAddress(
  plex: PlexClient,
  machineIdentifier: string,
  signal: AbortSignal,
): Promise<ServerAddress> {
  let own: OwnServer[] = [];
  try {
    const servers = await plex.getJson("/servers", ownServersSchema, {
      signal,
    });
    const mine = servers.filter((s) =>
      s.machineIdentifier === machineIdentifier
    );
    own = mine.length ? mine : servers.length === 1 ? servers : [];
  } catch (error) {
    if (!(error instanceof PlexError)) throw error;
  }
  return chooseServerAddress(plex.baseUrl, own);
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

/**
 * How long a timeline poll keeps this controller subscribed: Plex Media
 * Player and Plex HTPC drop a controller that has not polled for 90 s and
 * answer its commands 406 (pmp:src/remote/RemoteComponent.cpp:317-324,
 * :510); python-plexapi polls again once 80 s have passed
 * (ppa:plexapi/client.py:229).
 */
export const SUBSCRIPTION_MS = 80_000;

/** When this client last polled each player's timeline. */
const lastPolls = new WeakMap<PlexClient, Map<string, number>>();

/** Notes that `plex` has just polled `player`'s timeline (it is subscribed). */
export function notePolled(plex: PlexClient, player: PlayerClient): void {
  let polls = lastPolls.get(plex);
  if (!polls) lastPolls.set(plex, polls = new Map());
  polls.set(player.machineIdentifier, Date.now());
}

/**
 * Polls `player`'s timeline unless this client did within
 * {@link SUBSCRIPTION_MS} (or `force`): the poll subscribes the controller
 * implicitly (pmp RemoteComponent.cpp:268-293). Only players that give a
 * timeline are polled; a failed poll is left to the command to explain.
 */
async function subscribe(
  plex: PlexClient,
  player: PlayerClient,
  signal: AbortSignal,
  force = false,
): Promise<void> {
  if (!player.capabilities.includes("timeline")) return;
  const at = lastPolls.get(plex)?.get(player.machineIdentifier);
  if (!force && at !== undefined && Date.now() - at < SUBSCRIPTION_MS) return;
  try {
    await plex.requestText("/player/timeline/poll", {
      query: { wait: 0, commandID: plex.nextCommandId() },
      headers: { "X-Plex-Target-Client-Identifier": player.machineIdentifier },
      cache: false,
      signal,
    });
    notePolled(plex, player);
  } catch (error) {
    if (!(error instanceof PlexError)) throw error;
  }
}

/**
 * Sends `/player/{path}` to `player` via the server; any 2xx is success. A
 * player that gives a timeline is polled first when this client has not
 * polled it lately, and once more when it answers 406 (it dropped this
 * controller, e.g. after a restart); the command is then sent again.
 */
export async function sendPlayerCommand(
  plex: PlexClient,
  player: PlayerClient,
  path: string,
  query: Record<string, QueryValue>,
  signal: AbortSignal,
): Promise<void> {
  const send = () =>
    plex.send(`/player/${path}`, {
      query: { ...query, commandID: plex.nextCommandId() },
      headers: { "X-Plex-Target-Client-Identifier": player.machineIdentifier },
      idempotent: false,
      signal,
    });
  try {
    await subscribe(plex, player, signal);
    try {
      await send();
    } catch (error) {
      if (
        !(error instanceof PlexError) || error.status !== 406 ||
        !player.capabilities.includes("timeline")
      ) {
        throw error;
      }
      await subscribe(plex, player, signal, true);
      await send();
    }
  } catch (error) {
    throw playerError(
      error,
      player,
      "refused the command",
      '. Open the Plex app on it and enable remote control ("Advertise as player")',
    );
  }
}

/**
 * What a failed request to a player through the server means: gone (404),
 * or not taking remote control (another 4xx, the player `refused` or "did
 * not give its timeline"); anything else as it was.
 */
export function playerError(
  error: unknown,
  player: PlayerClient,
  refused: string,
  hint = "",
): unknown {
  if (error instanceof PlexNotFoundError) {
    return new ToolInputError(
      `Plex cannot reach player "${player.name}" any more (404); it may have gone to sleep. Call list_clients again`,
    );
  }
  if (
    error instanceof PlexApiError && error.status !== undefined &&
    error.status < 500
  ) {
    return new ToolInputError(
      `Player "${player.name}" ${refused} (Plex answered ${error.status}): it is not accepting remote control right now${hint}`,
    );
  }
  return error;
}
