/**
 * Finds a working address for each server plex.tv listed: connections are
 * tried in {@link orderConnections} order with the server's own token
 * (`GET /`, which answers 401 to a token the server does not accept), and
 * the first that answers as the same server wins.
 *
 * @module
 */
import { type FetchLike, PlexClient } from "../plex/client.ts";
import { PlexError } from "../plex/errors.ts";
import type { ServerInfo } from "../plex/models.ts";
import {
  orderConnections,
  type PlexConnection,
  type PlexResource,
} from "./resources.ts";

/** How one connection fared. */
export interface ConnectionTry {
  /** The connection's URI. */
  uri: string;
  /** Why it did not work; undefined for the one that did. */
  error: string | undefined;
}

/** The outcome for one server. */
export interface ProbeResult {
  /** The server as plex.tv lists it. */
  resource: PlexResource;
  /** The connection that answered, if any. */
  connection: PlexConnection | undefined;
  /** What the server said of itself over that connection. */
  info: ServerInfo | undefined;
  /** Every connection tried, in order. */
  tries: ConnectionTry[];
}

/** Options for {@link probeServers}. */
export interface ProbeOptions {
  /** `fetch` to use. */
  fetch?: FetchLike;
  /** Time budget per connection, ms. Default 4,000. */
  timeoutMs?: number;
  /** Client identifier sent to the servers. */
  clientIdentifier?: string;
  /** Product version sent to the servers. */
  version?: string;
}

/** Tries one server's connections in order; stops at the first that works. */
export async function probeServer(
  resource: PlexResource,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const tries: ConnectionTry[] = [];
  const token = resource.accessToken;
  if (!token) {
    return {
      resource,
      connection: undefined,
      info: undefined,
      tries: [{
        uri: "",
        error: "plex.tv gave no access token for this server",
      }],
    };
  }
  for (const connection of orderConnections(resource.connections)) {
    const client = new PlexClient({
      baseUrl: connection.uri,
      token,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 4_000,
      retries: 0,
      clientIdentifier: options.clientIdentifier,
      version: options.version,
    });
    try {
      const info = await client.serverInfo();
      if (info.machineIdentifier !== resource.machineIdentifier) {
        tries.push({
          uri: connection.uri,
          error:
            `a different server answered there (${info.name}, ${info.machineIdentifier})`,
        });
        continue;
      }
      tries.push({ uri: connection.uri, error: undefined });
      return { resource, connection, info, tries };
    } catch (error) {
      tries.push({
        uri: connection.uri,
        error: error instanceof PlexError
          ? error.message
          : error instanceof Error
          ? error.message
          : String(error),
      });
    }
  }
  return { resource, connection: undefined, info: undefined, tries };
}

/** Probes every server at once. */
export function probeServers(
  resources: readonly PlexResource[],
  options: ProbeOptions = {},
): Promise<ProbeResult[]> {
  return Promise.all(resources.map((r) => probeServer(r, options)));
}
