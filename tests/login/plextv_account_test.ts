/**
 * plex.tv takes the account's own token, and one client identifier names
 * the installation (issue #23, point 3): `login` keeps the account token
 * (`PLEX_ACCOUNT_TOKEN`) and the identifier it signed in with
 * (`PLEX_CLIENT_ID`) in the settings file; a server shared with the
 * account then reaches the watchlist with the account's token, and every
 * request, to plex.tv and to each server, carries that one identifier.
 * The fake plex.tv refuses a shared server's token as plex.tv does.
 */
import assert from "node:assert/strict";
import { accountTokenFor, buildServers } from "../../src/config/bootstrap.ts";
import { runCall } from "../../src/commands/call.ts";
import { runLogin } from "../../src/commands/login.ts";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { FakePlexTv } from "../../src/demo/fake_plextv/mod.ts";
import type { FetchLike } from "../../src/plex/client.ts";
import { parseEnvFile } from "../../src/config/settings.ts";
import {
  ACCOUNT_TOKEN,
  SHARED_TOKEN,
  startAccount,
} from "../support/accounts.ts";
import { scanForSecrets } from "../support/helpers.ts";
import { scriptedIo } from "../support/login_io.ts";

/** What a request said of its sender. */
interface Seen {
  host: string;
  id: string | null;
  product: string | null;
}

/** A fetch that notes every request's host, client identifier and product. */
function spyFetch(seen: Seen[]): FetchLike {
  return (input, init) => {
    const req = new Request(input, init);
    seen.push({
      host: new URL(req.url).host,
      id: req.headers.get("x-plex-client-identifier"),
      product: req.headers.get("x-plex-product"),
    });
    return fetch(req);
  };
}

Deno.test("login keeps the account token and its client identifier; a server shared with the account then reaches plex.tv with them, and every request carries that one identifier", async () => {
  const account = startAccount();
  // A Discover title on the account's watchlist.
  account.tv.catalog.push({
    id: "5d776b59ad5437001f79c6f8",
    type: "movie",
    title: "Sherlock Jr.",
    year: 1924,
  });
  account.tv.watchlists.set(
    ACCOUNT_TOKEN,
    new Map([["5d776b59ad5437001f79c6f8", 1_700_000_000]]),
  );
  const dir = await Deno.makeTempDir();
  const path = `${dir}/plexmcp.env`;
  const seen: Seen[] = [];
  try {
    const io = {
      ...scriptedIo({ PLEX_TV_URL: account.tvServed.url }),
      fetch: spyFetch(seen),
    };
    const code = await runLogin(
      ["--env-file", path, "--server", "Cabin"],
      io,
    );
    assert.equal(code, 0, io.stderr.join(""));
    scanForSecrets(io.stderr.join("") + io.stdout.join(""), "login output");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const settings = parseEnvFile(await Deno.readTextFile(path));
    assert.equal(settings.PLEX_TOKEN, SHARED_TOKEN, "the server's own token");
    assert.equal(settings.PLEX_ACCOUNT_TOKEN, ACCOUNT_TOKEN);
    const id = settings.PLEX_CLIENT_ID!;
    assert.match(id, /^plexmcp-[0-9a-f]{24}$/);
    // The PIN was made, polled and the account read with that identifier,
    // and the servers were probed with it.
    assert.ok(account.tv.requests.length > 3);
    assert.deepEqual(
      [...new Set(account.tv.requests.map((r) => r.clientIdentifier))],
      [id],
    );
    assert.ok(seen.some((s) => s.host === account.cabinServed.host));
    assert.deepEqual(
      [
        ...new Set(
          seen.filter((s) => s.host !== account.tvServed.host && s.id)
            .map((s) => s.id),
        ),
      ],
      [id],
    );

    // The server, with the settings login wrote: the watchlist comes from
    // plex.tv with the account's token and the same identifier.
    const loginProducts = new Set(
      seen.filter((s) => s.id).map((s) => s.product),
    );
    seen.length = 0;
    const before = account.tv.requests.length;
    const env = {
      ...settings,
      PLEX_TV_URL: account.tvServed.url,
      PLEX_DISCOVER_URL: account.tvServed.url,
      PLEX_TOOLSETS: "default,insights",
    };
    const call = { ...scriptedIo(env), fetch: spyFetch(seen) };
    assert.equal(
      await runCall(["get_watchlist"], call),
      0,
      call.stderr.join(""),
    );
    assert.match(call.stdout.join("\n"), /Sherlock Jr\./);
    scanForSecrets(call.stderr.join("") + call.stdout.join(""), "call output");
    const asked = account.tv.requests.slice(before);
    assert.ok(asked.some((r) => r.path.includes("/watchlist/")));
    assert.deepEqual([...new Set(asked.map((r) => r.clientIdentifier))], [id]);
    assert.ok(seen.some((s) => s.host === account.cabinServed.host));
    assert.deepEqual([...new Set(seen.map((s) => s.id))], [id]);
    // And one product name, so plex.tv lists one device, not two.
    assert.deepEqual(
      [
        ...new Set([
          ...loginProducts,
          ...seen.filter((s) => s.id).map((s) => s.product),
        ]),
      ],
      ["plexmcp"],
    );

    // Signing in again over the same file keeps the identifier (plex.tv's
    // tokens are tied to it).
    const again = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(
        ["--env-file", path, "--server", "Home", "--force"],
        again,
      ),
      0,
      again.stderr.join(""),
    );
    assert.equal(
      parseEnvFile(await Deno.readTextFile(path)).PLEX_CLIENT_ID,
      id,
    );
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without PLEX_ACCOUNT_TOKEN, the plex.tv tools of a server shared with the account say to run login, and send plex.tv nothing", async () => {
  const account = startAccount();
  try {
    const env = {
      PLEX_SERVERS: JSON.stringify([{
        name: "Cabin",
        url: account.cabinServed.url,
        token: SHARED_TOKEN,
        owned: false,
      }]),
      PLEX_TV_URL: account.tvServed.url,
      PLEX_DISCOVER_URL: account.tvServed.url,
      PLEX_TOOLSETS: "default,insights",
    };
    const before = account.tv.requests.length;
    for (const tool of ["get_watchlist", "list_home_users"]) {
      const io = scriptedIo(env);
      assert.equal(await runCall([tool], io), 1, io.stdout.join(""));
      const err = io.stderr.join("");
      scanForSecrets(err, "call stderr");
      assert.match(
        err,
        /shared with you, and plex\.tv .* needs your plex\.tv account's token\. Run `plexmcp login` again, .*PLEX_ACCOUNT_TOKEN/,
      );
    }
    assert.equal(account.tv.requests.length, before, "plex.tv was not asked");

    // Before the fix: the shared server's own token went to plex.tv, and
    // plex.tv (the fake, as plex.tv) refused it.
    const io = scriptedIo({ ...env, PLEX_ACCOUNT_TOKEN: SHARED_TOKEN });
    assert.equal(await runCall(["get_watchlist"], io), 1);
    assert.match(io.stderr.join(""), /did not accept this token .*\(401\)/);
  } finally {
    await account.close();
  }
});

Deno.test("the fake plex.tv, like plex.tv, refuses a shared server's token (401) on the watchlist, Plex Home, friends, shares and ping, and takes the account's", () => {
  const tv = new FakePlexTv({
    accountToken: ACCOUNT_TOKEN,
    servers: [{
      name: "Home",
      machineIdentifier: "home0000000000000000000000000000000000a1",
      accessToken: ACCOUNT_TOKEN,
      owned: true,
      connections: [],
    }, {
      name: "Cabin",
      machineIdentifier: "cabin000000000000000000000000000000000b2",
      accessToken: SHARED_TOKEN,
      owned: false,
      connections: [],
    }],
    home: [{
      id: 501,
      uuid: "a1b2c3",
      title: "Alex",
      token: "alex-SECRET-1",
      serverTokens: {},
    }],
  });
  const status = (path: string, token: string) =>
    tv.handle(
      new Request(`https://plex.tv${path}`, {
        headers: {
          Accept: "application/json",
          "X-Plex-Client-Identifier": "test",
          "X-Plex-Token": token,
        },
      }),
    ).status;
  const paths = [
    "/library/sections/watchlist/all",
    "/api/v2/home/users",
    "/api/v2/friends",
    "/api/servers/home0000000000000000000000000000000000a1/shared_servers",
    "/api/v2/ping",
  ];
  for (const p of paths) {
    assert.equal(status(p, SHARED_TOKEN), 401, `${p} with a server's token`);
    assert.equal(status(p, ACCOUNT_TOKEN), 200, `${p} with the account's`);
  }
  assert.deepEqual(tv.pings, [ACCOUNT_TOKEN]);
  // A Home member's own plex.tv token is an account's too.
  assert.equal(status("/api/v2/ping", "alex-SECRET-1"), 200);
  // A token plex.tv stopped accepting is refused everywhere.
  tv.revoked.add(ACCOUNT_TOKEN);
  for (const p of paths) assert.equal(status(p, ACCOUNT_TOKEN), 401, p);
});

Deno.test("PLEX_ACCOUNT_TOKEN and PLEX_CLIENT_ID: read, checked by name, never echoed; without an identifier every server shares one derived from the default server", async () => {
  const base = {
    PLEX_SERVERS: "home=http://192.0.2.1:32400,cabin=http://192.0.2.2:32400",
    PLEX_TOKENS: "home=home-SECRET-token-1,cabin=cabin-SECRET-token-2",
  };
  const config = loadConfig({
    ...base,
    PLEX_ACCOUNT_TOKEN: "acct-SECRET-x",
    PLEX_CLIENT_ID: "plexmcp-0123456789abcdef01234567",
  });
  assert.equal(config.plexAccountToken, "acct-SECRET-x");
  assert.equal(config.clientId, "plexmcp-0123456789abcdef01234567");
  const servers = await buildServers(config);
  const ids = await Promise.all(
    servers.all().map((s) => s.client.clientIdentifier()),
  );
  assert.deepEqual(ids, [config.clientId, config.clientId]);
  assert.ok(
    servers.secrets().includes("acct-SECRET-x"),
    "redacted like every token",
  );

  // Without PLEX_CLIENT_ID: one identifier for both, stable, not a token.
  const derived = await Promise.all(
    (await buildServers(loadConfig(base))).all().map((s) =>
      s.client.clientIdentifier()
    ),
  );
  assert.equal(new Set(derived).size, 1);
  assert.match(derived[0]!, /^plexmcp-[0-9a-f]{24}$/);
  const again = await (await buildServers(loadConfig(base))).default.client
    .clientIdentifier();
  assert.equal(again, derived[0]);

  assert.throws(
    () =>
      loadConfig({
        ...base,
        PLEX_ACCOUNT_TOKEN: "acct SECRET",
        PLEX_CLIENT_ID: "has space",
      }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems.some((p) =>
        /^PLEX_ACCOUNT_TOKEN must not contain spaces$/.test(p)
      ) &&
      e.problems.some((p) =>
        /^PLEX_CLIENT_ID must be 1 to 128 printable/.test(p)
      ) &&
      !e.message.includes("acct SECRET"),
  );
  // Which token plex.tv gets.
  assert.equal(accountTokenFor({ plexAccountToken: "a" }, "s", false), "a");
  assert.equal(
    accountTokenFor({ plexAccountToken: undefined }, "s", true),
    "s",
  );
  assert.equal(
    accountTokenFor({ plexAccountToken: undefined }, "s", undefined),
    "s",
  );
  assert.equal(
    accountTokenFor({ plexAccountToken: undefined }, "s", false),
    null,
  );
});
