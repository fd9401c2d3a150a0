/**
 * Finds a working address for each server plex.tv listed: connections are
 * tried in {@link orderConnections} order. Each is first asked who it is
 * without any token (`GET /identity`); only a connection that answers with
 * the server's own machine identifier then gets the server's token
 * (`GET /`, which answers 401 to a token the server does not accept), so a
 * token never goes to another device that happens to sit at a listed
 * address.
 *
 * @module
 */
import { type FetchLike, PlexClient } from "../plex/client.ts";
import { PlexError } from "../plex/errors.ts";
import { connectionError, readBody } from "../plex/request.ts";
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
  const timeoutMs = options.timeoutMs ?? 4_000;
  for (const connection of orderConnections(resource.connections)) {
    try {
      const id = await identityAt(connection.uri, options.fetch, timeoutMs);
      if (id !== resource.machineIdentifier) {
        tries.push({
          uri: connection.uri,
          error: id === undefined
            ? "what answers there is not a Plex Media Server"
            : `a different server answered there (${id}); its token was not sent`,
        });
        continue;
      }
      const client = new PlexClient({
        baseUrl: connection.uri,
        token,
        fetch: options.fetch,
        timeoutMs,
        retries: 0,
        clientIdentifier: options.clientIdentifier,
        version: options.version,
      });
      const info = await client.serverInfo();
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

/**
 * The machine identifier that `GET /identity` (which needs no token)
 * reports at `base`, or undefined when what answers is not Plex. Throws a
 * {@link PlexError} when nothing answers.
 */
async function identityAt(
  base: string,
  fetchFn: FetchLike | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const url = `${base}/identity`;
  let response: Response;
  try {
    response = await (fetchFn ?? fetch)(url, {
      headers: { Accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // The Plex client's wording, for the same failures.
    throw connectionError(error, base, "GET /identity", timeoutMs);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const text = await readBody(response, "GET /identity", 65_536);
    const id =
      (JSON.parse(text) as { MediaContainer?: { machineIdentifier?: unknown } })
        .MediaContainer?.machineIdentifier;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Probes every server at once. */
export function probeServers(
  resources: readonly PlexResource[],
  options: ProbeOptions = {},
): Promise<ProbeResult[]> {
  return Promise.all(resources.map((r) => probeServer(r, options)));
}
