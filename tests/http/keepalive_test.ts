/**
 * `serve --http` runs for days, so it keeps the account's plex.tv token
 * alive (issue #23, point 10): it pings plex.tv's `/api/v2/ping` with
 * `PLEX_ACCOUNT_TOKEN` when it starts and about once a day, with the
 * installation's client identifier, and logs (redacted) when plex.tv no
 * longer accepts the token. The real server as a process, against the fake
 * account on loopback.
 */
import assert from "node:assert/strict";
import {
  ACCOUNT_TOKEN,
  SHARED_TOKEN,
  startAccount,
} from "../support/accounts.ts";
import { within } from "../support/helpers.ts";
import { HTTP_TOKEN, spawnHttp } from "../support/http_helpers.ts";

const CLIENT_ID = "plexmcp-0f1e2d3c4b5a69788796a5b4";

async function until(test: () => boolean, what: string): Promise<void> {
  await within(
    (async () => {
      while (!test()) await new Promise((r) => setTimeout(r, 50));
    })(),
    20_000,
    what,
  );
}

Deno.test("serve --http pings plex.tv with the account token and the installation's identifier, and says (redacted) when plex.tv stops accepting it", async () => {
  const account = startAccount();
  const env = {
    // A server shared with the account: its own token, and the account's
    // for plex.tv, as login writes them.
    PLEX_SERVER_URL: account.cabinServed.url,
    PLEX_TOKEN: SHARED_TOKEN,
    PLEX_ACCOUNT_TOKEN: ACCOUNT_TOKEN,
    PLEX_CLIENT_ID: CLIENT_ID,
    PLEX_TV_URL: account.tvServed.url,
    PLEX_HTTP_TOKEN: HTTP_TOKEN,
    DEV_LOG_LEVEL: "debug",
  };
  try {
    const server = await spawnHttp({ env });
    try {
      await until(() => account.tv.pings.length > 0, "the first ping");
      assert.deepEqual(account.tv.pings, [ACCOUNT_TOKEN]);
      const ping = account.tv.requests.find((r) => r.path === "/api/v2/ping")!;
      assert.equal(ping.clientIdentifier, CLIENT_ID);
      await until(
        () => /plex\.tv accepted the account token/.test(server.stderr()),
        "the debug line",
      );
      assert.match(server.stderr(), /next keep-alive in 24 h/);
    } finally {
      assert.equal(await server.close(), 0);
    }

    // plex.tv no longer takes the token: the log says so, without it
    // (close() scans stderr for every token).
    account.tv.revoked.add(ACCOUNT_TOKEN);
    const refused = await spawnHttp({ env });
    try {
      await until(
        () => /no longer accepts the account token/.test(refused.stderr()),
        "the warning",
      );
      assert.match(
        refused.stderr(),
        /plex\.tv no longer accepts the account token \(PLEX_ACCOUNT_TOKEN\): the watchlist, Plex Home and sharing tools will fail until you sign in again with `plexmcp login`/,
      );
    } finally {
      assert.equal(await refused.close(), 0);
    }

    // Without an account token there is nothing to keep alive.
    const before = account.tv.requests.length;
    const none = await spawnHttp({
      env: { ...env, PLEX_ACCOUNT_TOKEN: "" },
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(account.tv.requests.length, before);
    } finally {
      assert.equal(await none.close(), 0);
    }
  } finally {
    await account.close();
  }
});
