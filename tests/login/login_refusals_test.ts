/**
 * `login` against hostile or broken surroundings, in process: the reason
 * each address failed, outside text that carries terminal escapes,
 * link-local and cloud metadata addresses listed as connections, and a
 * plex.tv that promises a sign-in code for ever.
 */
import assert from "node:assert/strict";
import { runLogin } from "../../src/commands/login.ts";
import { MAX_SIGN_IN_WAIT_MS } from "../../src/commands/login_sign_in.ts";
import { FakePlexTv, serveFakePlexTv } from "../../src/demo/fake_plextv/mod.ts";
import type { FetchLike } from "../../src/plex/client.ts";
import {
  ACCOUNT_TOKEN,
  closedPort,
  startAccount,
} from "../support/accounts.ts";
import { scanForSecrets } from "../support/helpers.ts";
import { scriptedIo } from "../support/login_io.ts";

const TLS = new URL("../fixtures/tls/", import.meta.url);

/** A loopback port that accepts connections and never answers. */
function blackHole(): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const conn of listener) open.push(conn);
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close: () => {
      for (const c of open) {
        try {
          c.close();
        } catch { /* gone */ }
      }
      listener.close();
    },
  };
}

Deno.test("login lists every address that failed with its own reason: refused, timed out, certificate not valid for …, a different server, not Plex; none names a setting", async () => {
  const account = startAccount();
  const hole = blackHole();
  // A TLS server whose certificate (from a test CA the client trusts) is
  // for plex.example.invalid, reached at 127.0.0.1: a name mismatch, as a
  // plex.direct certificate reached at its bare IP address would be.
  const tls = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(new URL("leaf.pem", TLS)),
    key: await Deno.readTextFile(new URL("leaf.key", TLS)),
    onListen: () => {},
  }, () => new Response("not reached"));
  const notPlex = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("<html>router login</html>"),
  );
  const client = Deno.createHttpClient({
    caCerts: [await Deno.readTextFile(new URL("ca.pem", TLS))],
  });
  const port = (s: Deno.HttpServer) => (s.addr as Deno.NetAddr).port;
  const dead = closedPort();
  account.tv.servers.push({
    name: "Lab",
    machineIdentifier: "lab00000000000000000000000000000000000d4",
    accessToken: ACCOUNT_TOKEN,
    owned: true,
    connections: [
      { uri: `https://127.0.0.1:${port(tls)}`, local: true },
      { uri: `http://127.0.0.1:${dead}`, local: true },
      { uri: `http://127.0.0.1:${hole.port}`, local: true },
      { uri: account.homeServed.url, local: true },
      { uri: `http://127.0.0.1:${port(notPlex)}`, local: true },
    ],
  });
  const dir = await Deno.makeTempDir();
  try {
    const io = {
      ...scriptedIo({ PLEX_TV_URL: account.tvServed.url }),
      fetch: ((input, init) => fetch(input, { ...init, client })) as FetchLike,
    };
    const code = await runLogin(["--env-file", `${dir}/s.env`, "--yes"], io);
    const err = io.stderr.join("");
    assert.equal(code, 0, err);
    const lab = err.slice(err.indexOf("3) Lab"));
    const home = account.home.library.machineIdentifier;
    for (
      const line of [
        /3\) Lab \(owned\) ✗ not reachable \(5 addresses tried\)\n/,
        /\n {7}✗ https:\/\/127\.0\.0\.1:\d+: certificate not valid for 127\.0\.0\.1 \(it is for plex\.example\.invalid\)\n/,
        new RegExp(
          `\\n {7}✗ http://127\\.0\\.0\\.1:${dead}: refused \\(nothing answers on that port\\)\\n`,
        ),
        new RegExp(
          `\\n {7}✗ http://127\\.0\\.0\\.1:${hole.port}: timed out \\(no answer within 4 s\\)\\n`,
        ),
        new RegExp(
          `\\n {7}✗ ${account.homeServed.url}: a different server answered there \\(${home}\\); its token was not sent\\n`,
        ),
        /\n {7}✗ http:\/\/127\.0\.0\.1:\d+: what answers there is not a Plex Media Server\n/,
      ]
    ) assert.match(lab, line);
    // The reachable Home lists the dead address it tried first.
    assert.match(
      err,
      new RegExp(
        `1\\) Home \\(owned\\) ✓ ${account.homeServed.url}, version [^\\n]+\\n {7}✗ http://127\\.0\\.0\\.1:${account.deadPort}: refused`,
      ),
    );
    // Nobody set a variable during login: no reason may point at one.
    assert.doesNotMatch(err, /PLEX_[A-Z_]+/);
    scanForSecrets(err, "login stderr");
  } finally {
    client.close();
    hole.close();
    await tls.shutdown();
    await notPlex.shutdown();
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login shows, never obeys, the control characters in names, versions and account names from plex.tv and the servers (OSC 52, screen clears, bidi)", async () => {
  const account = startAccount();
  // A friend who shares a server chooses its name.
  account.tv.servers[1]!.name = "Cabin\x1b]52;c;cm0gLXJmIH4K\x07";
  account.tv.servers[1]!.sourceTitle = "bob\x1b[2J\x1b[H";
  account.home.library.version = "1.41\x9b31m\r";
  account.tv.accountTitle = "viewer\u202e";
  const dir = await Deno.makeTempDir();
  try {
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    const code = await runLogin(["--env-file", `${dir}/s.env`, "--yes"], io);
    const err = io.stderr.join("");
    assert.equal(code, 0, err);
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(err, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    assert.match(
      err,
      /2\) Cabin␛\]52;c;cm0gLXJmIH4K␇ \(shared by bob␛\[2J␛\[H\)/,
    );
    assert.match(err, /version 1\.41\\u\{9b\}31m␍\n/);
    assert.match(err, /Signed in as viewer\\u\{202e\}\./);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login never asks a link-local or cloud metadata address plex.tv lists, by address, plex.direct name or DNS name, and says it skipped them", async () => {
  const account = startAccount();
  account.tv.servers.push({
    name: "Cloud",
    machineIdentifier: "cloud0000000000000000000000000000000000e5",
    accessToken: ACCOUNT_TOKEN,
    owned: true,
    connections: [
      { uri: "http://169.254.169.254:32400", local: true },
      {
        uri:
          "https://169-254-10-20.0123456789abcdef0123456789abcdef.plex.direct:32400",
        local: true,
      },
      { uri: "http://[fe80::1]:32400", local: true },
      { uri: "http://[::ffff:169.254.169.254]:32400", local: true },
      { uri: "http://100.100.100.200:32400", local: true },
      { uri: "http://metadata.example.test:32400", local: true },
      // Remote plain http is never tried (the token would cross the
      // internet in the clear), and the listing says so.
      { uri: "http://203.0.113.9:32400", local: false },
    ],
  });
  const asked: string[] = [];
  const dir = await Deno.makeTempDir();
  try {
    const io = {
      ...scriptedIo({ PLEX_TV_URL: account.tvServed.url }),
      fetch: ((input, init) => {
        const url = new URL(input instanceof Request ? input.url : input);
        asked.push(url.host);
        if (url.hostname !== "127.0.0.1") {
          return Promise.reject(new TypeError("refused in this test"));
        }
        return fetch(input, init);
      }) as FetchLike,
      resolve: (host: string) =>
        Promise.resolve(
          host === "metadata.example.test"
            ? ["10.0.0.1", "169.254.169.254"]
            : [],
        ),
    };
    const code = await runLogin(["--env-file", `${dir}/s.env`, "--yes"], io);
    const err = io.stderr.join("");
    assert.equal(code, 0, err);
    assert.deepEqual(
      asked.filter((h) => !h.startsWith("127.0.0.1")),
      [],
      "no request left loopback",
    );
    const cloud = err.slice(err.indexOf("3) Cloud"));
    assert.match(
      cloud,
      /3\) Cloud \(owned\) ✗ not reachable \(6 skipped, 1 not tried\)\n/,
    );
    assert.match(
      cloud,
      /– http:\/\/203\.0\.113\.9:32400: not tried, plain http across the internet would expose the token\n/,
    );
    for (
      const line of [
        /– http:\/\/169\.254\.169\.254:32400: skipped, not asked: the cloud metadata address\n/,
        /– https:\/\/169-254-10-20\.[0-9a-f]+\.plex\.direct:32400: skipped, not asked: a link-local address, where cloud metadata services answer \(the name spells 169\.254\.10\.20\)\n/,
        /– http:\/\/\[fe80::1\]:32400: skipped, not asked: a link-local address/,
        /– http:\/\/\[::ffff:a9fe:a9fe\]:32400: skipped, not asked: the cloud metadata address/,
        /– http:\/\/100\.100\.100\.200:32400: skipped, not asked: a cloud metadata address/,
        /– http:\/\/metadata\.example\.test:32400: skipped, not asked: the cloud metadata address \(metadata\.example\.test resolves to 169\.254\.169\.254\)/,
      ]
    ) assert.match(cloud, line);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login waits at most 15 minutes for the sign-in, however long plex.tv says the code lasts (9999-12-31), and says so", async () => {
  const lifetime = Math.floor((Date.UTC(9999, 11, 31) - Date.now()) / 1000);
  const tv = new FakePlexTv({
    accountToken: ACCOUNT_TOKEN,
    pinLifetimeSeconds: lifetime,
  });
  const served = serveFakePlexTv(tv);
  const dir = await Deno.makeTempDir();
  try {
    // A clock that moves a minute at every poll; a guard stops a wait that
    // would never end.
    let clock = Date.now();
    let sleeps = 0;
    const io = {
      ...scriptedIo({ PLEX_TV_URL: served.url }),
      now: () => clock,
      sleep: () => {
        if (++sleeps > 40) {
          return Promise.reject(new Error("still waiting after 40 minutes"));
        }
        clock += 60_000;
        return Promise.resolve();
      },
    };
    const code = await runLogin(["--env-file", `${dir}/s.env`, "--yes"], io);
    const err = io.stderr.join("");
    assert.equal(code, 1, err);
    assert.equal(MAX_SIGN_IN_WAIT_MS, 15 * 60_000);
    assert.match(
      err,
      /plex\.tv says this code is valid until 9999-12-3\d[^;]*; waiting at most 15 minutes for the sign-in\./,
    );
    const left = [...err.matchAll(/code expires in (\d+):(\d\d)/g)].map((m) =>
      Number(m[1]) * 60 + Number(m[2])
    );
    assert.ok(left.length > 0, err);
    assert.ok(left.every((s) => s <= 15 * 60), err);
    assert.match(
      err,
      /Nobody signed in within 15 minutes: run `plexmcp login` again/,
    );
    assert.ok(sleeps <= 16, `${sleeps} polls`);
    await assert.rejects(Deno.stat(`${dir}/s.env`), Deno.errors.NotFound);
  } finally {
    await served.close();
    await Deno.remove(dir, { recursive: true });
  }
});
