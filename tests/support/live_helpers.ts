/**
 * Helpers for the live-change tests (tests/live_*_test.ts): the real server
 * over stdio against one or more served fakes, with every
 * `notifications/resources/updated` it sends recorded.
 */
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { type ServedFake, serveFake } from "../../src/demo/serve.ts";
import { type Spawned, spawnServer, TEST_TOKEN } from "./helpers.ts";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

/** One update the client received, with when. */
export interface Update {
  /** The URI it names. */
  uri: string;
  /** `performance.now()` when it arrived. */
  at: number;
}

/** The server, its fakes and what it sent. */
export interface LiveServer extends Spawned {
  /** The fakes, in configuration order (names `s0`, `s1`… when several). */
  fakes: FakePlex[];
  /** Their loopback servers. */
  served: ServedFake[];
  /** Every update received so far. */
  updates: Update[];
  /** Updates received for `uri`. */
  updatesFor(uri: string): Update[];
}

/**
 * Spawns the real server over `count` fresh fakes (one: `PLEX_SERVER_URL`;
 * several: `PLEX_SERVERS` named s0, s1…) and records its resource updates.
 */
export async function liveServer(
  count = 1,
  env: Record<string, string> = {},
): Promise<LiveServer> {
  const fakes = Array.from(
    { length: count },
    () => new FakePlex({ token: TEST_TOKEN }),
  );
  const served = fakes.map((f) => serveFake(f));
  const config: Record<string, string> = count === 1
    ? { PLEX_SERVER_URL: served[0]!.url, PLEX_TOKEN: TEST_TOKEN }
    : {
      PLEX_SERVERS: served.map((s, i) => `s${i}=${s.url}`).join(","),
      PLEX_TOKENS: served.map((_, i) => `s${i}=${TEST_TOKEN}`).join(","),
    };
  const s = await spawnServer({
    env: { ...config, PLEX_CACHE_TTL: "0", DEV_LOG_LEVEL: "debug", ...env },
    allowNet: served.map((x) => x.host).join(","),
  });
  const updates: Update[] = [];
  s.client.setNotificationHandler(
    ResourceUpdatedNotificationSchema,
    (n: { params: { uri: string } }) => {
      updates.push({ uri: n.params.uri, at: performance.now() });
    },
  );
  return {
    ...s,
    fakes,
    served,
    updates,
    updatesFor: (uri) => updates.filter((u) => u.uri === uri),
    close: async () => {
      try {
        await s.close();
      } finally {
        for (const x of served) await x.close();
      }
    },
  };
}

/** Waits until `condition()` holds, checking every 20 ms; fails after `ms`. */
export async function waitFor(
  condition: () => boolean,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
