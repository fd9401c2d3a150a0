/**
 * Addresses `login` never probes, whatever plex.tv lists as a server's
 * connection: link-local ones (IPv4 169.254.0.0/16, IPv6 fe80::/10),
 * where the cloud metadata services of AWS, Google Cloud, Azure and others
 * answer (169.254.169.254 serves instance credentials to any process that
 * asks), and the few other fixed metadata addresses (AWS's IPv6
 * fd00:ec2::254, Alibaba Cloud's 100.100.100.200, Azure's 168.63.129.16).
 * A host name is judged by what it resolves to: the address a
 * `*.plex.direct` name spells, or else its DNS A and AAAA records.
 *
 * @module
 */

/** Resolves a host name to its addresses (A and AAAA). */
export type Resolver = (
  hostname: string,
  signal: AbortSignal,
) => Promise<string[]>;

/** Fixed metadata addresses outside the link-local ranges. */
const METADATA = new Set(["fd00:ec2::254", "100.100.100.200", "168.63.129.16"]);

/** An IPv4 address as four numbers, or undefined. */
function ipv4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : undefined;
}

/** An IPv6 address in the URL parser's canonical form, or undefined. */
function ipv6(text: string): string | undefined {
  if (!text.includes(":")) return undefined;
  try {
    const host = new URL(`http://[${text.replace(/^\[|\]$/g, "")}]/`)
      .hostname;
    return host.slice(1, -1);
  } catch {
    return undefined;
  }
}

/**
 * Why `address` (an IP literal, IPv6 with or without brackets) must not be
 * probed, or undefined when it may be.
 */
export function forbiddenIp(address: string): string | undefined {
  const v4 = ipv4(address);
  if (v4) {
    if (v4[0] === 169 && v4[1] === 254) {
      return v4[2] === 169 && v4[3] === 254
        ? "the cloud metadata address"
        : "a link-local address, where cloud metadata services answer";
    }
    return METADATA.has(v4.join(".")) ? "a cloud metadata address" : undefined;
  }
  const v6 = ipv6(address);
  if (!v6) return undefined;
  if (METADATA.has(v6)) return "a cloud metadata address";
  // IPv4-mapped (::ffff:169.254.169.254 is written ::ffff:a9fe:a9fe).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return forbiddenIp(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = parseInt(v6.split(":")[0] || "0", 16);
  return (first & 0xffc0) === 0xfe80
    ? "a link-local address, where cloud metadata services answer"
    : undefined;
}

/**
 * The address a `*.plex.direct` name spells (`169-254-169-254.<hash>.plex.direct`,
 * or dashes for the colons of an IPv6 address), or undefined.
 */
export function plexDirectAddress(hostname: string): string | undefined {
  const m = /^([0-9a-f-]+)\.[0-9a-f]+\.plex\.direct\.?$/i.exec(hostname);
  if (!m) return undefined;
  const dotted = m[1]!.replaceAll("-", ".");
  if (ipv4(dotted)) return dotted;
  return ipv6(m[1]!.replaceAll("-", ":"));
}

/** DNS A and AAAA records of `hostname` (none when it does not resolve). */
export async function dnsResolver(
  hostname: string,
  signal: AbortSignal,
): Promise<string[]> {
  const lookups = (["A", "AAAA"] as const).map((type) =>
    Deno.resolveDns(hostname, type, { signal }).catch(() => [] as string[])
  );
  return (await Promise.all(lookups)).flat();
}

/** How long the DNS check of one host may take. */
const RESOLVE_MS = 2_000;

/**
 * Why the connection at `uri` must not be probed (its host is, spells or
 * resolves to a forbidden address), or undefined when it may be. A name
 * that cannot be resolved here is left to the probe, which will say so;
 * an abort of `signal` (Ctrl+C) is thrown.
 */
export async function forbiddenTarget(
  uri: string,
  resolve: Resolver,
  signal?: AbortSignal,
): Promise<string | undefined> {
  let host: string;
  try {
    host = new URL(uri).hostname;
  } catch {
    return undefined;
  }
  const literal = forbiddenIp(host);
  if (literal || ipv4(host) || host.startsWith("[")) return literal;
  const spelled = plexDirectAddress(host);
  if (spelled) {
    const why = forbiddenIp(spelled);
    if (why) return `${why} (the name spells ${spelled})`;
  }
  const timeout = AbortSignal.timeout(RESOLVE_MS);
  const addresses = await resolve(
    host,
    signal ? AbortSignal.any([signal, timeout]) : timeout,
  ).catch(() => [] as string[]);
  if (signal?.aborted) throw signal.reason;
  for (const address of addresses) {
    const why = forbiddenIp(address);
    if (why) return `${why} (${host} resolves to ${address})`;
  }
  return undefined;
}
