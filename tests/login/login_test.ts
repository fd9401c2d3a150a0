/**
 * `plexmcp login` against a loopback fake plex.tv and two fake servers:
 * the PIN flow, discovery, connection order, choice, the settings file and
 * the printed configuration; and the ways it can go wrong.
 */
import assert from "node:assert/strict";
import { runLogin } from "../../src/commands/login.ts";
import { loadConfig } from "../../src/config/config.ts";
import { probeServer } from "../../src/commands/probe.ts";
import { orderConnections, readResources } from "../../src/plextv/resources.ts";
import { parseEnvFile } from "../../src/config/settings.ts";
import {
  ACCOUNT_TOKEN,
  SHARED_TOKEN,
  startAccount,
} from "../support/accounts.ts";
import { scanForSecrets } from "../support/helpers.ts";
import { scriptedIo } from "../support/login_io.ts";

function noSecrets(io: { stdout: string[]; stderr: string[] }): void {
  scanForSecrets(io.stderr.join(""), "login stderr");
  for (const s of [ACCOUNT_TOKEN, SHARED_TOKEN]) {
    assert.ok(!io.stderr.join("").includes(s), "no token on stderr");
    assert.ok(!io.stdout.join("").includes(s), "no token on stdout");
  }
}

Deno.test("login: PIN, discovery, both servers with their own tokens, file 0600, snippet scoped to their hosts", async () => {
  const account = startAccount({ linkAfterPolls: 2 });
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/plexmcp.env`;
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    const code = await runLogin(
      ["--env-file", path, "--server", "all"],
      io,
    );
    const err = io.stderr.join("");
    assert.equal(code, 0, err);
    assert.match(err, /https:\/\/app\.plex\.tv\/auth#\?clientID=plexmcp-/);
    assert.match(err, /Waiting for sign-in/);
    assert.match(err, /Signed in as viewer/);
    assert.match(err, /1\) Home \(owned\) ✓ http:\/\/127\.0\.0\.1/);
    assert.match(err, /2\) Cabin \(shared by bob\) ✓/);
    // A strong PIN, polled with the identifier it was made with.
    const tvPaths = account.tv.requests.map((r) => `${r.method} ${r.path}`);
    assert.ok(
      tvPaths.includes("POST /api/v2/pins?strong=true"),
      tvPaths.join(),
    );
    assert.ok(
      tvPaths.filter((p) => p.startsWith("GET /api/v2/pins/")).length >= 2,
    );
    // Each server was reached with its own token (the fakes accept no other).
    assert.ok(account.home.requests.some((r) => r.path === "/"));
    assert.ok(account.cabin.requests.some((r) => r.path === "/"));

    const stat = await Deno.stat(path);
    assert.equal(stat.mode! & 0o777, 0o600);
    const text = await Deno.readTextFile(path);
    const servers = JSON.parse(/PLEX_SERVERS='(.*)'/.exec(text)![1]!);
    assert.deepEqual(
      servers.map((s: { name: string; url: string; token: string }) => [
        s.name,
        s.url,
        s.token,
      ]),
      [
        ["Home", account.homeServed.url, ACCOUNT_TOKEN],
        ["Cabin", account.cabinServed.url, SHARED_TOKEN],
      ],
    );
    // Each server's identity is recorded: server: "<id>" goes by it.
    assert.deepEqual(
      servers.map((s: { machineIdentifier: string }) => s.machineIdentifier),
      [
        account.home.library.machineIdentifier,
        account.cabin.library.machineIdentifier,
      ],
    );
    const snippet = JSON.parse(io.stdout.join("\n"));
    const args: string[] = snippet.mcpServers.plex.args;
    assert.ok(args.includes(`--env-file=${path}`));
    assert.ok(
      args.includes(
        `--allow-net=${account.homeServed.host},${account.cabinServed.host},${account.tvServed.host}`,
      ),
      args.join(" "),
    );
    assert.ok(!args.some((a) => a.startsWith("--allow-read")), "not needed");
    noSecrets(io);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: the local address that does not answer is tried first, then the next", async () => {
  const account = startAccount();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", path, "--server", "Home"], io),
      0,
    );
    const text = await Deno.readTextFile(path);
    assert.match(
      text,
      new RegExp(`PLEX_SERVER_URL='${account.homeServed.url}'`),
    );
    assert.match(text, /PLEX_TOKEN='/);
    assert.ok(!text.includes(String(account.deadPort)));
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: an expired PIN ends cleanly and writes nothing", async () => {
  const account = startAccount({ expireAfterPolls: 1 });
  account.tv.linkAfterPolls = undefined;
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(await runLogin(["--env-file", path, "--yes"], io), 1);
    assert.match(io.stderr.join(""), /sign-in code expired/);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: Ctrl+C while waiting exits 130 and writes nothing", async () => {
  const account = startAccount();
  account.tv.linkAfterPolls = undefined;
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url }, {
      abortAfterMs: 1_500,
    });
    assert.equal(await runLogin(["--env-file", path, "--yes"], io), 130);
    assert.match(io.stderr.join(""), /Stopped: nothing was written/);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: one server down is shown as such; the other is written", async () => {
  const account = startAccount();
  await account.cabinServed.close();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(await runLogin(["--env-file", path, "--yes"], io), 0);
    const err = io.stderr.join("");
    assert.match(
      err,
      /2\) Cabin \(shared by bob\) ✗ not reachable \(1 address tried\)\n {7}✗ http:\/\/127\.0\.0\.1:\d+: refused/,
    );
    assert.match(await Deno.readTextFile(path), /PLEX_SERVER_URL=/);
    // Asking for the unreachable one by name is an error.
    const io2 = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", `${dir}/t.env`, "--server", "cabin"], io2),
      1,
    );
    assert.match(io2.stderr.join(""), /Cabin could not be reached/);
  } finally {
    await account.close().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: a token the server rejects is reported per server", async () => {
  const account = startAccount();
  // plex.tv lists a stale token for the shared server.
  account.tv.servers[1]!.accessToken = "stale-token-0000";
  const dir = await Deno.makeTempDir();
  try {
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", `${dir}/s.env`, "--yes"], io),
      0,
    );
    assert.match(
      io.stderr.join(""),
      /Cabin .*✗ not reachable \(1 address tried\)\n {7}✗ http:\/\/127\.0\.0\.1:\d+: Plex rejected the token \(401\)\n/,
    );
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: an existing file is kept unless --force; no choice without a terminal is exit 2", async () => {
  const account = startAccount();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    await Deno.writeTextFile(path, "KEEP=1\n");
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(await runLogin(["--env-file", path, "--yes"], io), 1);
    assert.match(io.stderr.join(""), /already exists; nothing was changed/);
    assert.equal(await Deno.readTextFile(path), "KEEP=1\n");
    assert.equal(account.tv.requests.length, 0, "asked before signing in");

    const io2 = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(await runLogin(["--env-file", `${dir}/n.env`], io2), 2);
    assert.match(io2.stderr.join(""), /choose the servers with --server/);

    const io3 = scriptedIo({ PLEX_TV_URL: account.tvServed.url }, {
      interactive: true,
      answers: ["y", "2"],
    });
    assert.equal(await runLogin(["--env-file", path], io3), 0);
    assert.match(await Deno.readTextFile(path), /# Server: Cabin/);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    const io4 = scriptedIo({});
    assert.equal(await runLogin(["--bogus"], io4), 2);
    assert.match(io4.stderr.join(""), /Unknown option '--bogus'/);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: a server only at a host Deno may not reach says which flag is missing", async () => {
  const account = startAccount();
  account.tv.servers.push({
    name: "Attic",
    machineIdentifier: "attic00000000000000000000000000000000c3",
    accessToken: "attic-token-0001",
    owned: true,
    connections: [{ uri: "http://plex-attic.invalid:32400", local: true }],
  });
  const dir = await Deno.makeTempDir();
  try {
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", `${dir}/s.env`, "--yes"], io),
      0,
    );
    const err = io.stderr.join("");
    assert.match(
      err,
      /3\) Attic \(owned\) ✗ not reachable \(1 address tried\)\n {7}✗ http:\/\/plex-attic\.invalid:32400: Deno was not allowed to connect to plex-attic\.invalid:32400.*--allow-net=plex-attic\.invalid:32400/,
    );
    assert.ok(!err.includes("attic-token-0001"));
    const text = await Deno.readTextFile(`${dir}/s.env`);
    assert.ok(!text.includes("Attic"), "an unreachable server is not written");
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: names with quotes and an account name with a line break cannot break the settings file", async () => {
  const account = startAccount();
  account.tv.servers[0]!.name = "Bob's Plex";
  account.tv.accountTitle = "viewer\x1b[31m";
  account.tv.accountUsername =
    "viewer\nPLEX_SERVER_URL='http://evil.example:1'";
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", path, "--yes"], io),
      0,
      io.stderr.join(""),
    );
    const text = await Deno.readTextFile(path);
    assert.ok(!io.stderr.join("").includes("\x1b"), "no escape codes printed");
    assert.match(
      text,
      /^# plexmcp settings, written by `plexmcp login` for viewer PLEX_SERVER_URL=/,
    );
    // No line of the account name became a setting: only login's own.
    assert.deepEqual(
      text.split("\n").filter((l) => /^[A-Z]/.test(l)).map((l) =>
        l.split("=")[0]
      ),
      ["PLEX_SERVERS", "PLEX_ACCOUNT_TOKEN", "PLEX_CLIENT_ID"],
    );
    const config = loadConfig(parseEnvFile(text));
    assert.deepEqual(config.servers.map((s) => s.name), [
      "Bob's Plex",
      "Cabin",
    ]);
    assert.equal(config.servers[0]!.url, account.homeServed.url);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: a server's token goes only to an address that answers as that server", async () => {
  const account = startAccount();
  const home = account.home.library.machineIdentifier;
  const resource = {
    name: "Cabin",
    machineIdentifier: account.cabin.library.machineIdentifier,
    version: "",
    isServer: true,
    owned: false,
    sourceTitle: "bob",
    accessToken: SHARED_TOKEN,
    presence: true,
    httpsRequired: false,
    connections: [
      // Another device at a listed address (here: the Home server).
      {
        protocol: "http",
        address: "",
        port: 0,
        uri: account.homeServed.url,
        local: true,
        relay: false,
        ipv6: false,
      },
      {
        protocol: "http",
        address: "",
        port: 0,
        uri: account.cabinServed.url,
        local: true,
        relay: false,
        ipv6: false,
      },
    ],
  };
  try {
    const before = account.home.requests.length;
    const result = await probeServer(resource);
    assert.equal(result.connection?.uri, account.cabinServed.url);
    const seen = account.home.requests.slice(before).map((r) => r.path);
    assert.deepEqual(seen, ["/identity"], "only the tokenless identity check");
    assert.match(
      result.tries[0]!.error!,
      new RegExp(
        `different server answered there \\(${home}\\); its token was not sent`,
      ),
    );
  } finally {
    await account.close();
  }
});

Deno.test("login: connections are tried local https, local http, remote https, relay; remote http and odd URIs never", () => {
  const resources = readResources([{
    clientIdentifier: "m1",
    provides: "server",
    connections: [
      { uri: "https://relay.example:8443", local: false, relay: true },
      { uri: "http://203.0.113.7:32400", local: false },
      { uri: "https://203-0-113-7.x.plex.direct:32400", local: false },
      { uri: "http://192.168.1.10:32400", local: true },
      { uri: "https://192-168-1-10.x.plex.direct:32400", local: true },
      { uri: "http://user:pass@192.168.1.11:32400", local: true },
      { uri: "javascript:alert(1)", local: true },
      { uri: "http://192.168.1.12:32400/?x=1", local: true },
      { uri: "not a url", local: true },
    ],
  }]);
  assert.deepEqual(
    orderConnections(resources[0]!.connections).map((c) => c.uri),
    [
      "https://192-168-1-10.x.plex.direct:32400",
      "http://192.168.1.10:32400",
      "https://203-0-113-7.x.plex.direct:32400",
      "https://relay.example:8443",
    ],
  );
});

Deno.test("login: Ctrl+C at the prompt stops at once and writes nothing; a name two servers share is refused", async () => {
  const account = startAccount();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.env`;
    const interrupt = new AbortController();
    const io = {
      ...scriptedIo({ PLEX_TV_URL: account.tvServed.url }, {
        interactive: true,
      }),
      interrupt: interrupt.signal,
      // A prompt nobody answers; Ctrl+C comes while it waits.
      readLine: () => {
        setTimeout(
          () => interrupt.abort(new DOMException("interrupted", "AbortError")),
          50,
        );
        return new Promise<string | null>((_, reject) =>
          interrupt.signal.addEventListener(
            "abort",
            () => reject(interrupt.signal.reason),
          )
        );
      },
    };
    assert.equal(await runLogin(["--env-file", path], io), 130);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);

    account.tv.servers[1]!.name = "Home";
    const io2 = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", path, "--server", "home"], io2),
      2,
    );
    assert.match(
      io2.stderr.join(""),
      /2 servers are named "home": name one by its machine identifier/,
    );
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login: a settings path that is a link or a directory is never written through", async () => {
  const account = startAccount();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/target`, "KEEP=1\n");
    await Deno.symlink(`${dir}/target`, `${dir}/link.env`);
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", `${dir}/link.env`, "--yes", "--force"], io),
      1,
    );
    assert.match(io.stderr.join(""), /not a plain file/);
    assert.equal(await Deno.readTextFile(`${dir}/target`), "KEEP=1\n");
    await Deno.mkdir(`${dir}/sub.env`);
    const io2 = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(
      await runLogin(["--env-file", `${dir}/sub.env`, "--yes", "--force"], io2),
      1,
    );
    assert.match(io2.stderr.join(""), /not a plain file/);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login --stdout prints the settings instead of writing a file (for the binary, which has no file permissions)", async () => {
  const account = startAccount();
  try {
    const io = scriptedIo({ PLEX_TV_URL: account.tvServed.url });
    assert.equal(await runLogin(["--stdout", "--server", "Home"], io), 0);
    const text = io.stdout.join("\n");
    assert.equal(
      loadConfig(parseEnvFile(text)).servers[0]!.url,
      account.homeServed.url,
    );
    assert.match(io.stderr.join(""), /keep the file private/);
    const bad = scriptedIo({});
    assert.equal(await runLogin(["--stdout", "--env-file", "/tmp/x"], bad), 2);
  } finally {
    await account.close();
  }
});
