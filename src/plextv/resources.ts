/**
 * The account's devices from `GET /api/v2/resources` (API.md §2.2), read
 * by hand into the little we use, and the order connections are tried in.
 *
 * @module
 */

/** One way to reach a server. */
export interface PlexConnection {
  /** `http` or `https`. */
  protocol: string;
  /** Address (IP or host name). */
  address: string;
  /** Port. */
  port: number;
  /** Full URI, e.g. `https://192-168-1-150.<hash>.plex.direct:32400`. */
  uri: string;
  /** On the server's own network. */
  local: boolean;
  /** Through Plex's relay (slow, capped bandwidth). */
  relay: boolean;
  /** An IPv6 address. */
  ipv6: boolean;
}

/** A device of the account (servers are the ones we use). */
export interface PlexResource {
  /** Device name (the server's friendly name). */
  name: string;
  /** `clientIdentifier`, which is a server's machine identifier. */
  machineIdentifier: string;
  /** Product version. */
  version: string;
  /** Whether it provides `server`. */
  isServer: boolean;
  /** Owned by this account (else shared with it). */
  owned: boolean;
  /** Who shared it, for shared servers. */
  sourceTitle: string | undefined;
  /** The token for this server (needed for shared servers). */
  accessToken: string | undefined;
  /** Seen online by plex.tv recently. */
  presence: boolean;
  /** The server accepts https connections only. */
  httpsRequired: boolean;
  /** Connections as plex.tv lists them. */
  connections: PlexConnection[];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "true";
}

/**
 * A connection URI as a server address may be: http(s), a host, no
 * credentials, query or fragment (the rule `PLEX_SERVER_URL` follows).
 * Returns the normalised address, or undefined.
 */
export function usableUri(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
  if (!u.hostname || u.username || u.password || u.search || u.hash) {
    return undefined;
  }
  const address = u.origin + u.pathname.replace(/\/+$/, "");
  // The address goes into a single-quoted settings value.
  return address.includes("'") ? undefined : address;
}

/**
 * Reads the top-level array plex.tv returns; entries without an id are
 * skipped, and so are connections whose URI is not a usable address.
 */
export function readResources(body: unknown): PlexResource[] {
  if (!Array.isArray(body)) return [];
  const out: PlexResource[] = [];
  for (const raw of body) {
    if (!raw || typeof raw !== "object") continue;
    const o = raw as Record<string, unknown>;
    const machineIdentifier = str(o.clientIdentifier);
    if (!machineIdentifier) continue;
    const connections: PlexConnection[] = [];
    for (const c of Array.isArray(o.connections) ? o.connections : []) {
      if (!c || typeof c !== "object") continue;
      const k = c as Record<string, unknown>;
      const uri = usableUri(str(k.uri) ?? "");
      if (!uri) continue;
      connections.push({
        protocol: uri.split(":")[0]!,
        address: str(k.address) ?? "",
        port: typeof k.port === "number" ? k.port : Number(k.port ?? 0),
        uri,
        local: bool(k.local),
        relay: bool(k.relay),
        ipv6: bool(k.IPv6),
      });
    }
    out.push({
      name: str(o.name) ?? machineIdentifier,
      machineIdentifier,
      version: str(o.productVersion) ?? "",
      isServer: (str(o.provides) ?? "").split(",").includes("server"),
      owned: bool(o.owned),
      sourceTitle: str(o.sourceTitle) ?? undefined,
      accessToken: str(o.accessToken),
      presence: bool(o.presence),
      httpsRequired: bool(o.httpsRequired),
      connections,
    });
  }
  return out;
}

/**
 * The order to try connections in: local and not relayed first (https
 * before http), then remote https, then relays. Remote plain http is never
 * tried: the token would cross the internet in the clear. Within a group,
 * IPv4 before IPv6 and plex.tv's order.
 */
export function orderConnections(
  connections: readonly PlexConnection[],
): PlexConnection[] {
  const https = (c: PlexConnection) => c.protocol === "https";
  const rank = (c: PlexConnection) =>
    c.relay ? 3 : c.local ? (https(c) ? 0 : 1) : 2;
  return connections
    .filter((c) => c.local || https(c))
    .map((c, i) => ({ c, i }))
    .sort((a, b) =>
      rank(a.c) - rank(b.c) || Number(a.c.ipv6) - Number(b.c.ipv6) ||
      a.i - b.i
    )
    .map((x) => x.c);
}
