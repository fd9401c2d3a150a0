import assert from "node:assert/strict";
import { FakePlexTv } from "../demo/fake_plextv/mod.ts";
import { PlexTvClient } from "./client.ts";
import { keepTokenAlive } from "./keepalive.ts";

const TOKEN = "acct-SECRET-keepalive-1";

function rig() {
  const tv = new FakePlexTv({ accountToken: TOKEN });
  const client = new PlexTvClient({
    baseUrl: "https://plex.tv",
    clientIdentifier: "plexmcp-test",
    fetch: tv.fetch,
  });
  const lines: string[] = [];
  const log = {
    debug: (m: string) => lines.push(`debug ${m}`),
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warning ${m}`),
  };
  return { tv, client, lines, log };
}

async function until(test: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !test(); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(test(), "timed out waiting");
}

Deno.test("keepTokenAlive pings plex.tv with the token at once and at every interval, says when plex.tv stops and starts accepting it, and stops on abort", async () => {
  const { tv, client, lines, log } = rig();
  const stop = new AbortController();
  const done = keepTokenAlive({
    ping: () => client.ping(TOKEN),
    source: "PLEX_ACCOUNT_TOKEN",
    log,
    signal: stop.signal,
    intervalMs: 20,
  });
  await until(() => tv.pings.length >= 3);
  assert.ok(tv.requests.every((r) => r.path === "/api/v2/ping" && r.withToken));
  assert.ok(tv.requests.every((r) => r.clientIdentifier === "plexmcp-test"));
  assert.match(
    lines[0]!,
    /^debug plex\.tv accepted the account token \(PLEX_ACCOUNT_TOKEN\)/,
  );

  tv.revoked.add(TOKEN);
  await until(() => lines.some((l) => l.startsWith("warning")));
  assert.ok(
    lines.some((l) =>
      /^warning plex\.tv no longer accepts the account token \(PLEX_ACCOUNT_TOKEN\): .*`plexmcp login`/
        .test(l)
    ),
  );
  tv.revoked.delete(TOKEN);
  await until(() => lines.some((l) => l.startsWith("info")));
  assert.match(
    lines.find((l) => l.startsWith("info"))!,
    /accepts the account token \(PLEX_ACCOUNT_TOKEN\) again/,
  );

  stop.abort();
  await done;
  const after = tv.requests.length;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(tv.requests.length, after, "no ping after the stop");
  assert.ok(lines.every((l) => !l.includes(TOKEN)));
});

Deno.test("keepTokenAlive retries sooner when plex.tv cannot be reached, and gives up at once when Deno may not reach it", async () => {
  const { lines, log } = rig();
  let calls = 0;
  const stop = new AbortController();
  const done = keepTokenAlive({
    ping: () => {
      calls++;
      return Promise.reject(new Error("connection refused"));
    },
    source: "PLEX_ACCOUNT_TOKEN",
    log,
    signal: stop.signal,
    intervalMs: 60_000,
    retryMs: 10,
  });
  await until(() => calls >= 3);
  stop.abort();
  await done;
  assert.match(
    lines[0]!,
    /^warning Could not ping plex\.tv .*connection refused\. Trying again in 0 s/,
  );

  const denied = rig();
  const client = new PlexTvClient({
    baseUrl: "https://plex.tv",
    clientIdentifier: "x",
    fetch: () =>
      Promise.reject(
        new Deno.errors.NotCapable('Requires net access to "plex.tv:443"'),
      ),
  });
  await keepTokenAlive({
    ping: () => client.ping(TOKEN),
    source: "PLEX_ACCOUNT_TOKEN",
    log: denied.log,
    signal: new AbortController().signal,
    retryMs: 10,
  });
  assert.equal(denied.lines.length, 1);
  assert.match(
    denied.lines[0]!,
    /not kept alive: Deno was not allowed to connect to plex\.tv.*--allow-net=plex\.tv/,
  );
});
