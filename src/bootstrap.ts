/**
 * From validated configuration to Plex clients: one per configured server,
 * or the demo fake with `--demo`. Shared by the stdio server and the
 * people-facing commands, so `plexmcp call` runs exactly what a client
 * would get.
 *
 * @module
 */
import type { Config } from "./config.ts";
import { type FetchLike, PlexClient } from "./plex/client.ts";
import { PlexServers } from "./servers.ts";
import { NAME, VERSION } from "./version.ts";

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
    product: NAME,
    version: VERSION,
  };
  if (config.demo) {
    const { FakePlex } = await import("./demo/fake_plex.ts");
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
        // The watchlist and Plex Home tools reach these (tests point them
        // at loopback fakes).
        plexTvUrl: config.plexTvUrl,
        discoverUrl: config.discoverUrl,
      }),
    })),
    config.defaultServer,
  );
}

/** `host:port` of every configured server (for `--allow-net`). */
export function serverHosts(config: Config): string[] {
  return [...new Set(config.servers.map((s) => new URL(s.url).host))];
}
