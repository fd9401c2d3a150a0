/**
 * From validated configuration to Plex clients: one per configured server,
 * or the demo fake with `--demo`. Shared by the stdio server and the
 * people-facing commands, so `plexmcp call` runs exactly what a client
 * would get.
 *
 * @module
 */
import { installationClientId } from "./client_id.ts";
import type { Config } from "./config.ts";
import { type FetchLike, PlexClient } from "../plex/client.ts";
import { PlexServers } from "../servers.ts";
import { CLI_NAME, VERSION } from "../version.ts";

/** Demo-mode token: the fake only ever sees this one, in process. */
const DEMO_TOKEN = "plexmcp-demo-token";

/** Options for {@link buildServers}. */
export interface BuildOptions {
  /** `fetch` for the real servers (tests inject one). */
  fetch?: FetchLike;
}

/** Builds a client per configured server (or the demo fake). */
export async function buildServers(
  config: Config,
  options: BuildOptions = {},
): Promise<PlexServers> {
  const base = {
    timeoutMs: config.timeoutMs,
    cacheTtlMs: config.cacheTtlMs,
    // One product name for the installation, as login signs in with, so
    // that plex.tv's device list shows one plexmcp.
    product: CLI_NAME,
    version: VERSION,
  };
  if (config.demo) {
    const { FakePlex } = await import("../demo/fake_plex/mod.ts");
    const fake = new FakePlex({ token: DEMO_TOKEN });
    const fetch: FetchLike = fake.fetch;
    return PlexServers.single(
      new PlexClient({
        ...base,
        baseUrl: "http://plex-demo.invalid:32400",
        token: DEMO_TOKEN,
        fetch,
      }),
    );
  }
  // One client identifier for the installation, to every server and to
  // plex.tv, the one login signed in with (see client_id.ts).
  const defaultServer =
    config.servers.find((s) => s.name === config.defaultServer) ??
      config.servers[0];
  const clientIdentifier = await installationClientId(
    config.clientId,
    defaultServer,
  );
  return new PlexServers(
    config.servers.map((s) => ({
      name: s.name,
      owned: s.owned,
      machineIdentifier: s.machineIdentifier,
      client: new PlexClient({
        ...base,
        baseUrl: s.url,
        token: s.token,
        machineIdentifier: s.machineIdentifier,
        fetch: options.fetch,
        clientIdentifier,
        // The watchlist and Plex Home tools reach these (tests point them
        // at loopback fakes).
        plexTvUrl: config.plexTvUrl,
        discoverUrl: config.discoverUrl,
        // plex.tv takes the account's own token; without it, a server's
        // own token (an owned server's is the account's), but never a
        // token of a server shared with the account, which plex.tv refuses.
        accountToken: accountTokenFor(config, s.token, s.owned),
      }),
    })),
    config.defaultServer,
  );
}

/**
 * The token plex.tv gets for a server's tools: `PLEX_ACCOUNT_TOKEN` when
 * set; else the server's own token (recorded resources show that an owned
 * server's `accessToken` is the account token), or `null` (none: the tools
 * say how to get one) for a server shared with the account.
 */
export function accountTokenFor(
  config: Pick<Config, "plexAccountToken">,
  serverToken: string,
  owned: boolean | undefined,
): string | null {
  if (config.plexAccountToken) return config.plexAccountToken;
  return owned === false ? null : serverToken;
}

/** `host:port` of every configured server (for `--allow-net`). */
export function serverHosts(config: Config): string[] {
  return [...new Set(config.servers.map((s) => new URL(s.url).host))];
}

/**
 * The hosts beyond the servers that the tools offered reach, for a printed
 * configuration's `--allow-net`: plex.tv, for every per-user view (a Plex
 * Home member's on deck, history and watch state switch to them there) and
 * sharing; and Plex's Discover service when the watchlist or where-to-watch
 * tools can be on (the `insights` or `watch` toolset, every toolset, or
 * dynamic mode).
 */
export function plexTvHosts(
  config: Pick<
    Config,
    "plexTvUrl" | "discoverUrl" | "toolsets" | "dynamicToolsets"
  >,
): string[] {
  const hosts = [new URL(config.plexTvUrl).host];
  if (
    config.dynamicToolsets || config.toolsets === undefined ||
    config.toolsets.includes("insights") || config.toolsets.includes("watch")
  ) {
    hosts.push(new URL(config.discoverUrl).host);
  }
  return [...new Set(hosts)];
}
