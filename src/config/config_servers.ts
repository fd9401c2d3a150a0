/**
 * Several servers in the configuration: `PLEX_SERVERS` (with `PLEX_TOKENS`
 * and `PLEX_DEFAULT_SERVER`), as `plexmcp login` writes them or a person
 * types them. The single-server variables (`PLEX_SERVER_URL`,
 * `PLEX_TOKEN`) keep working unchanged; they describe one server named
 * `default`.
 *
 * Two forms of `PLEX_SERVERS`:
 * - pairs: `home=http://192.168.1.10:32400,cabin=https://cabin.example:32400`,
 *   tokens in `PLEX_TOKENS=home=…,cabin=…` (a server without one uses
 *   `PLEX_TOKEN`);
 * - JSON, as `login` writes it: `[{"name":"home","url":"…","token":"…",
 *   "owned":true,"machineIdentifier":"…"}]`. A recorded machine identifier
 *   is the server's identity: `server: "<id>"` picks it whatever other
 *   servers answer, and a server that answers as another machine is an
 *   error.
 *
 * @module
 */

/** One configured server. */
export interface ServerConfig {
  /** Name used by the `server` argument (unique, case-insensitive). */
  name: string;
  /** Server address, no trailing slash. */
  url: string;
  /** Token for this server. */
  token: string;
  /** Owned by the account (`true`), shared with it (`false`), or not recorded. */
  owned: boolean | undefined;
  /** The machine identifier it was configured with (JSON form), if any. */
  machineIdentifier?: string;
}

/** What a machine identifier may look like (as `server` takes it). */
export const MACHINE_IDENTIFIER = /^[A-Za-z0-9-]{8,64}$/;

/** The server-list variables read by {@link parseServers}. */
export const SERVER_VARIABLES: readonly string[] = [
  "PLEX_SERVERS",
  "PLEX_TOKENS",
  "PLEX_DEFAULT_SERVER",
];

/** Names a server may not have: they mean something else to `server`. */
const RESERVED = new Set(["all"]);

/** What a server name may look like. */
export const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._'()-]{0,63}$/;

/**
 * Checks a URL as `PLEX_SERVER_URL` is checked; returns the normalised
 * address or why it is wrong.
 */
export type UrlCheck = (raw: string) => { value: string } | { error: string };

/** Checks a token; returns it or why it is wrong. */
export type TokenCheck = (raw: string) => { value: string } | { error: string };

/** Every token the server-list variables hold, for redaction. */
export function serverListTokens(
  env: Record<string, string | undefined>,
): string[] {
  const out: string[] = [];
  for (const { key, value } of pairs(env.PLEX_TOKENS ?? "")) {
    out.push(value || key);
  }
  const raw = env.PLEX_SERVERS?.trim() ?? "";
  if (raw.startsWith("[")) {
    try {
      for (const e of JSON.parse(raw) as { token?: unknown }[]) {
        if (typeof e?.token === "string") out.push(e.token);
      }
    } catch { /* reported elsewhere */ }
  }
  return out.filter((t) => t.length >= 4);
}

/** Splits `a=b,c=d` into pairs; `=` inside the value is kept. */
function pairs(raw: string): { key: string; value: string }[] {
  return raw.split(",").map((p) => p.trim()).filter(Boolean).map((p) => {
    const at = p.indexOf("=");
    return at < 0
      ? { key: p, value: "" }
      : { key: p.slice(0, at).trim(), value: p.slice(at + 1).trim() };
  });
}

/**
 * Reads the server list. Returns undefined when `PLEX_SERVERS` is not
 * set; every problem is pushed to `problems` by variable (never with a
 * token in it).
 */
export function parseServers(
  env: Record<string, string | undefined>,
  checks: { url: UrlCheck; token: TokenCheck },
  problems: string[],
): { servers: ServerConfig[]; defaultServer: string } | undefined {
  const raw = env.PLEX_SERVERS?.trim();
  if (!raw) {
    if (env.PLEX_TOKENS?.trim()) {
      problems.push(
        "PLEX_TOKENS is set but PLEX_SERVERS is not: name the servers in PLEX_SERVERS (name=url,…)",
      );
    }
    if (env.PLEX_DEFAULT_SERVER?.trim()) {
      problems.push("PLEX_DEFAULT_SERVER is set but PLEX_SERVERS is not");
    }
    return undefined;
  }
  if (env.PLEX_SERVER_URL?.trim()) {
    problems.push(
      "PLEX_SERVER_URL and PLEX_SERVERS are both set: use PLEX_SERVERS for several servers, or PLEX_SERVER_URL for one",
    );
  }
  const entries: {
    name: string;
    url: string;
    token: string | undefined;
    owned: boolean | undefined;
    machineIdentifier?: unknown;
  }[] = [];
  if (raw.startsWith("[")) {
    let list: unknown;
    try {
      list = JSON.parse(raw);
    } catch {
      problems.push(
        "PLEX_SERVERS starts with [ but is not valid JSON: write it as name=url,name=url or as a JSON list of {name, url, token}",
      );
      return undefined;
    }
    if (!Array.isArray(list)) {
      problems.push("PLEX_SERVERS must be a JSON list");
      return undefined;
    }
    list.forEach((item, i) => {
      const o = (item ?? {}) as Record<string, unknown>;
      if (typeof o.name !== "string" || typeof o.url !== "string") {
        problems.push(`PLEX_SERVERS entry ${i + 1} needs a name and a url`);
        return;
      }
      entries.push({
        name: o.name.trim(),
        url: o.url,
        token: typeof o.token === "string" ? o.token : undefined,
        owned: typeof o.owned === "boolean" ? o.owned : undefined,
        machineIdentifier: o.machineIdentifier,
      });
    });
  } else {
    const tokens = new Map<string, string>();
    for (const [i, { key, value }] of pairs(env.PLEX_TOKENS ?? "").entries()) {
      if (!value) {
        // The entry may be a bare token: never quote it back.
        problems.push(
          `PLEX_TOKENS entry ${i + 1} has no name=: write name=token`,
        );
        continue;
      }
      tokens.set(key.toLowerCase(), value);
    }
    for (const [i, { key, value }] of pairs(raw).entries()) {
      if (!value) {
        problems.push(
          `PLEX_SERVERS entry ${
            i + 1
          } has no address: write name=http://host:32400`,
        );
        continue;
      }
      entries.push({
        name: key,
        url: value,
        token: tokens.get(key.toLowerCase()),
        owned: undefined,
      });
      tokens.delete(key.toLowerCase());
    }
    for (const name of tokens.keys()) {
      problems.push(
        `PLEX_TOKENS names ${
          JSON.stringify(name.slice(0, 40))
        }, which PLEX_SERVERS does not list`,
      );
    }
  }
  if (entries.length === 0) {
    problems.push("PLEX_SERVERS lists no server");
    return undefined;
  }
  const servers: ServerConfig[] = [];
  const seen = new Set<string>();
  const identities = new Map<string, string>();
  for (const e of entries) {
    const shown = JSON.stringify(e.name.slice(0, 60));
    if (!SERVER_NAME.test(e.name) || RESERVED.has(e.name.toLowerCase())) {
      problems.push(
        `PLEX_SERVERS: the name ${shown} is not usable: start with a letter or digit, then letters, digits, spaces or . _ ' ( ) - (at most 64), and not "all"`,
      );
      continue;
    }
    if (seen.has(e.name.toLowerCase())) {
      problems.push(`PLEX_SERVERS names ${shown} twice`);
      continue;
    }
    seen.add(e.name.toLowerCase());
    const url = checks.url(e.url);
    if ("error" in url) {
      problems.push(`PLEX_SERVERS: the address of ${shown} ${url.error}`);
      continue;
    }
    const id = e.machineIdentifier;
    if (
      id !== undefined &&
      (typeof id !== "string" || !MACHINE_IDENTIFIER.test(id))
    ) {
      problems.push(
        `PLEX_SERVERS: the machineIdentifier of ${shown} is not one: 8 to 64 letters, digits or -, as list_servers shows it (or leave it out)`,
      );
      continue;
    }
    if (id !== undefined && identities.has(id)) {
      problems.push(
        `PLEX_SERVERS gives ${shown} and ${
          JSON.stringify(identities.get(id)!.slice(0, 60))
        } the same machineIdentifier ${
          JSON.stringify(id)
        }: one server cannot be both`,
      );
      continue;
    }
    if (id !== undefined) identities.set(id, e.name);
    const rawToken = e.token ?? env.PLEX_TOKEN;
    if (!rawToken?.trim()) {
      problems.push(
        `PLEX_SERVERS: ${shown} has no token: add name=token to PLEX_TOKENS, or set PLEX_TOKEN for every server`,
      );
      continue;
    }
    const token = checks.token(rawToken);
    if ("error" in token) {
      problems.push(`The token of ${shown} ${token.error}`);
      continue;
    }
    servers.push({
      name: e.name,
      url: url.value,
      token: token.value,
      owned: e.owned,
      ...(id === undefined ? {} : { machineIdentifier: id }),
    });
  }
  const wanted = env.PLEX_DEFAULT_SERVER?.trim();
  let defaultServer = servers[0]?.name ?? "";
  if (wanted) {
    const match = servers.find((s) =>
      s.name.toLowerCase() === wanted.toLowerCase()
    );
    if (match) defaultServer = match.name;
    else if (servers.length) {
      problems.push(
        `PLEX_DEFAULT_SERVER ${
          JSON.stringify(wanted.slice(0, 60))
        } is not in PLEX_SERVERS (${servers.map((s) => s.name).join(", ")})`,
      );
    }
  }
  return { servers, defaultServer };
}
