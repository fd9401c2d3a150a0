/**
 * Finds a working address for each server plex.tv listed: connections are
 * tried in {@link orderConnections} order. Each is first asked who it is
 * without any token (`GET /identity`); only a connection that answers with
 * the server's own machine identifier then gets the server's token
 * (`GET /`, which answers 401 to a token the server does not accept), so a
 * token never goes to another device that happens to sit at a listed
 * address. Link-local and cloud metadata addresses are never asked at all
 * (see `forbidden_address.ts`).
 *
 * Every address tried keeps its own reason for failing, worded for the
 * person running `login` (who set no variable yet, so no reason names one).
 *
 * @module
 */
import { PlexClient } from "../plex/client.ts";
import type { FetchLike } from "../transport/types.ts";
import { PlexAuthError, PlexConnectionError } from "../transport/errors.ts";
import { connectionError, readBody } from "../transport/request.ts";
import type { ServerInfo } from "../plex/models.ts";
import {
  dnsResolver,
  forbiddenTarget,
  type Resolver,
} from "./forbidden_address.ts";
import {
  orderConnections,
  type PlexConnection,
  type PlexResource,
} from "../plextv/resources.ts";

/** How one connection fared. */
export interface ConnectionTry {
  /** The connection's URI. */
  uri: string;
  /** Why it did not work; undefined for the one that did. */
  error: string | undefined;
  /** Not asked at all (a link-local or metadata address). */
  skipped?: boolean;
}

/** The outcome for one server. */
export interface ProbeResult {
  /** The server as plex.tv lists it. */
  resource: PlexResource;
  /** The connection that answered, if any. */
  connection: PlexConnection | undefined;
  /** What the server said of itself over that connection. */
  info: ServerInfo | undefined;
  /** Every connection tried (or skipped), in order. */
  tries: ConnectionTry[];
  /**
   * Connections plex.tv listed that are never tried: plain http to a
   * remote address (the token would cross the internet in the clear).
   */
  untried: string[];
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
  /** Stops every probe at once (Ctrl+C); its reason is thrown. */
  signal?: AbortSignal;
  /** Resolves host names for the link-local check; default DNS. */
  resolve?: Resolver;
}

/** The messages of an error and its causes, joined. */
function causeText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" | ");
}

/** What a TLS failure's text says about the certificate, in a few words. */
function tlsReason(text: string, host: string): string {
  const named =
    /certificate not valid for name "([^"]+)"; certificate is only valid for (.*?)(?: \||$)/
      .exec(text);
  if (named) {
    const valid = [...named[2]!.matchAll(/\("?([^")]+)"?\)/g)].map((m) => m[1])
      .slice(0, 3);
    return `certificate not valid for ${named[1]}${
      valid.length ? ` (it is for ${valid.join(", ")})` : ""
    }`;
  }
  if (/NotValidForName/i.test(text)) return `certificate not valid for ${host}`;
  if (/UnknownIssuer/i.test(text)) {
    return "certificate not trusted (issued by an unknown authority, e.g. self-signed)";
  }
  if (/Expired/i.test(text)) return "certificate expired";
  if (/NotValidYet/i.test(text)) return "certificate not valid yet";
  const detail = /invalid peer certificate: ([^|]+)/.exec(text)?.[1]?.trim();
  return detail
    ? `certificate refused (${detail})`
    : "the TLS handshake failed";
}

/**
 * Why the connection at `uri` failed, in a few words for the listing of
 * `login`: "refused", "timed out after 4 s", "certificate not valid for
 * 192.168.1.10 (…)", "Plex rejected the token (401)". No reason names a
 * setting: during login the user has set none.
 */
export function reasonFor(
  error: unknown,
  uri: string,
  timeoutMs: number,
): string {
  let host = uri;
  try {
    host = new URL(uri).host;
  } catch { /* keep the URI */ }
  if (error instanceof PlexConnectionError) {
    const text = causeText(error.cause);
    switch (error.failure) {
      case "refused":
        return "refused (nothing answers on that port)";
      case "timeout":
        return `timed out (no answer within ${timeoutMs / 1000} s)`;
      case "dns":
        return `the name ${new URL(uri).hostname} does not resolve`;
      case "tls":
        return tlsReason(text, new URL(uri).hostname);
      case "permission":
        return error.message.replace(/ \((?:GET|POST) [^)]*\)/, "");
      case "port":
        return `Deno refuses port ${
          new URL(uri).port || "?"
        } as unsafe (Plex's port is usually 32400)`;
      case "network":
        return `network error: ${
          (text.split(" | ").at(-1) ?? text).slice(0, 160)
        }`;
    }
  }
  if (error instanceof PlexAuthError) return "Plex rejected the token (401)";
  const message = error instanceof Error ? error.message : String(error);
  // Other answers (a 500, a body that is not Plex's): the message without
  // any clause that points at a setting.
  return message.split(/(?<=[.;:]) /).filter((s) => !/PLEX_[A-Z_]+/.test(s))
    .join(" ").replace(/[.;:]$/, "") || `no usable answer from ${host}`;
}

/** Tries one server's connections in order; stops at the first that works. */
export async function probeServer(
  resource: PlexResource,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const tries: ConnectionTry[] = [];
  const ordered = orderConnections(resource.connections);
  const untried = resource.connections.filter((c) => !ordered.includes(c))
    .map((c) => c.uri);
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
      untried,
    };
  }
  const timeoutMs = options.timeoutMs ?? 4_000;
  const signal = options.signal;
  for (const connection of ordered) {
    if (signal?.aborted) throw signal.reason;
    const forbidden = await forbiddenTarget(
      connection.uri,
      options.resolve ?? dnsResolver,
      signal,
    );
    if (forbidden) {
      tries.push({
        uri: connection.uri,
        error: `skipped, not asked: ${forbidden}`,
        skipped: true,
      });
      continue;
    }
    try {
      const id = await identityAt(
        connection.uri,
        options.fetch,
        timeoutMs,
        signal,
      );
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
      const info = await client.serverInfo({ signal });
      tries.push({ uri: connection.uri, error: undefined });
      return { resource, connection, info, tries, untried };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      tries.push({
        uri: connection.uri,
        error: reasonFor(error, connection.uri, timeoutMs),
      });
    }
  }
  return { resource, connection: undefined, info: undefined, tries, untried };
}

/**
 * The machine identifier that `GET /identity` (which needs no token)
 * reports at `base`, or undefined when what answers is not Plex. Throws a
 * `PlexConnectionError` when nothing answers, and the reason of `signal` when
 * it aborts.
 */
async function identityAt(
  base: string,
  fetchFn: FetchLike | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const url = `${base}/identity`;
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (fetchFn ?? fetch)(url, {
      headers: { Accept: "application/json" },
      redirect: "manual",
      signal: both,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // The Plex client's classification, for the same failures.
    throw connectionError(
      timeout.aborted ? new Error("timed out") : error,
      base,
      "GET /identity",
      timeoutMs,
    );
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
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw connectionError(
        new Error("timed out"),
        base,
        "GET /identity",
        timeoutMs,
      );
    }
    return undefined;
  }
}

/** Probes every server at once; an abort of `options.signal` stops them all. */
export function probeServers(
  resources: readonly PlexResource[],
  options: ProbeOptions = {},
): Promise<ProbeResult[]> {
  return Promise.all(resources.map((r) => probeServer(r, options)));
}
