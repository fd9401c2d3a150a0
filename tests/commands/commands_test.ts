/**
 * The commands for people, each run as a subprocess of `src/mod.ts` against
 * the loopback fake plex.tv and fake servers: login, doctor, tools, call,
 * config (every printed configuration is then run), and bad usage.
 */
import assert from "node:assert/strict";
import {
  ACCOUNT_TOKEN,
  SHARED_TOKEN,
  startAccount,
} from "../support/accounts.ts";
import { childEnv, MOD_PATH, textOf, within } from "../support/helpers.ts";
import { Client, StdioClientTransport } from "../support/sdk_client.ts";
import { type CommandResult, runCommand } from "../support/run_command.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Runs `deno run <permissions> src/mod.ts <args>` with no stdin. */
function run(
  args: string[],
  options: { env?: Record<string, string>; permissions?: string[] } = {},
): Promise<CommandResult> {
  return runCommand(
    args,
    childEnv(options.env ?? {}),
    options.permissions ?? ["--allow-env", "--allow-net=127.0.0.1"],
  );
}

/** Starts the server the way a client configuration says and lists tools. */
async function runConfigured(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string[]> {
  const realArgs = args.map((a) => a === "jsr:@plexmcp/server" ? MOD_PATH : a);
  const transport = new StdioClientTransport({
    command: command === "deno" ? Deno.execPath() : command,
    args: realArgs,
    env: childEnv(env),
    stderr: "pipe",
  });
  const client = new Client({ name: "config-test", version: "1" });
  await within(
    client.connect(transport),
    30_000,
    `${command} ${args.join(" ")}`,
  );
  try {
    const { tools } = await client.listTools();
    const r = await client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    return tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

Deno.test("login as a subprocess writes the settings; the printed configuration then serves both servers", async () => {
  const account = startAccount({ linkAfterPolls: 2 });
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/plexmcp.env`;
    const r = await run(["login", "--env-file", path, "--yes"], {
      env: { PLEX_TV_URL: account.tvServed.url },
      permissions: [
        "--allow-net=127.0.0.1",
        "--allow-env",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
      ],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Waiting for sign-in/);
    assert.ok(
      !r.stdout.includes(ACCOUNT_TOKEN) && !r.stdout.includes(SHARED_TOKEN),
    );
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const entry = JSON.parse(r.stdout).mcpServers.plex;
    const tools = await runConfigured(entry.command, entry.args);
    assert.ok(tools.includes("list_servers"), "both servers configured");

    // Again without --force: nothing changes, exit 1.
    const before = await Deno.readTextFile(path);
    const again = await run(["login", "--env-file", path, "--yes"], {
      env: { PLEX_TV_URL: account.tvServed.url },
      permissions: [
        "--allow-net=127.0.0.1",
        "--allow-env",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
      ],
    });
    assert.equal(again.code, 1);
    assert.equal(await Deno.readTextFile(path), before);

    // Without write permission: a clear message, exit 2, nothing written.
    const denied = await run(["login", "--env-file", `${dir}/x.env`, "--yes"], {
      env: { PLEX_TV_URL: account.tvServed.url },
      permissions: [
        "--allow-net=127.0.0.1",
        "--allow-env",
        `--allow-read=${dir}`,
      ],
    });
    assert.equal(denied.code, 2, denied.stderr);
    assert.match(denied.stderr, /--allow-write/);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("login as a subprocess: an expired PIN, a stale shared token, one server down, a host not permitted", async () => {
  const account = startAccount({ expireAfterPolls: 1 });
  account.tv.linkAfterPolls = undefined;
  const dir = await Deno.makeTempDir();
  const permissions = [
    "--allow-net=127.0.0.1",
    "--allow-env",
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
  ];
  try {
    const expired = await run(
      ["login", "--env-file", `${dir}/a.env`, "--yes"],
      {
        env: { PLEX_TV_URL: account.tvServed.url },
        permissions,
      },
    );
    assert.equal(expired.code, 1);
    assert.match(expired.stderr, /sign-in code expired/);
    await assert.rejects(Deno.stat(`${dir}/a.env`), Deno.errors.NotFound);

    account.tv.expireAfterPolls = undefined;
    account.tv.linkAfterPolls = 1;
    account.tv.servers[1]!.accessToken = "stale-token-0000";
    account.tv.servers.push({
      name: "Attic",
      machineIdentifier: "attic00000000000000000000000000000000c3",
      accessToken: ACCOUNT_TOKEN,
      owned: true,
      connections: [{ uri: "http://plex-attic.invalid:32400", local: true }],
    });
    await account.homeServed.close();
    const none = await run(["login", "--env-file", `${dir}/b.env`, "--yes"], {
      env: { PLEX_TV_URL: account.tvServed.url },
      permissions,
    });
    assert.equal(none.code, 1, none.stderr);
    assert.match(
      none.stderr,
      /1\) Home \(owned\) ✗ not reachable \(2 addresses tried\)\n( {7}✗ http:\/\/127\.0\.0\.1:\d+: refused.*\n){2}/,
    );
    assert.match(
      none.stderr,
      /2\) Cabin \(shared by bob\) ✗ not reachable \(1 address tried\)\n {7}✗ http:\/\/127\.0\.0\.1:\d+: Plex rejected the token/,
    );
    assert.match(
      none.stderr,
      /3\) Attic \(owned\) ✗ not reachable \(1 address tried\)\n {7}✗ http:\/\/plex-attic\.invalid:32400: Deno was not allowed to connect to plex-attic\.invalid:32400/,
    );
    assert.match(
      none.stderr,
      /No server could be reached from here: nothing was written/,
    );
    await assert.rejects(Deno.stat(`${dir}/b.env`), Deno.errors.NotFound);
  } finally {
    await account.close().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("doctor: every check passes on a good setup, and each failure says how to fix it", async () => {
  const account = startAccount();
  try {
    const env = {
      PLEX_SERVERS:
        `home=${account.homeServed.url},cabin=${account.cabinServed.url}`,
      PLEX_TOKENS: `home=${ACCOUNT_TOKEN},cabin=${SHARED_TOKEN}`,
    };
    const good = await run(["doctor"], { env });
    assert.equal(good.code, 0, good.stdout + good.stderr);
    for (
      const line of [
        /✓ settings: 2 servers \(home, cabin\), default home/,
        /✓ home: permission/,
        /✓ cabin: DNS: an IP address/,
        /✓ cabin: TCP/,
        /✓ cabin: token: accepted by Cabin/,
        /✓ home: version: Plex Media Server/,
        /✓ tools: the default toolsets server, library, .* \(off: curation/,
        /✓ MCP handshake: initialize and tools\/list answered: 35 tools offered/,
      ]
    ) assert.match(good.stdout, line);

    const json = await run(["doctor", "--json"], { env });
    assert.ok(JSON.parse(json.stdout).every((c: Any) => c.ok));

    const badToken = await run(["doctor"], {
      env: { ...env, PLEX_TOKENS: `home=wrong-token-1,cabin=${SHARED_TOKEN}` },
    });
    assert.equal(badToken.code, 1);
    assert.match(badToken.stdout, /✗ home: token: Plex rejected the token/);
    assert.match(badToken.stdout, /fix: get a new token with `plexmcp login`/);

    const noPermission = await run(["doctor"], {
      env,
      permissions: ["--allow-env", `--allow-net=${account.homeServed.host}`],
    });
    assert.equal(noPermission.code, 1);
    assert.match(
      noPermission.stdout,
      new RegExp(
        `✗ cabin: permission: Deno may not connect to ${account.cabinServed.host}\\n    fix: add it to the permission flag: --allow-net=${account.cabinServed.host}`,
      ),
    );

    await account.cabinServed.close();
    const down = await run(["doctor"], { env });
    assert.equal(down.code, 1);
    assert.match(
      down.stdout,
      /✗ cabin: TCP: .*\n {4}fix: is Plex Media Server running/,
    );
    assert.match(down.stdout, /✓ home: token/);

    const nowhere = await run(["doctor"], {
      env: {
        PLEX_SERVER_URL: "http://plex-nas.invalid:32400",
        PLEX_TOKEN: ACCOUNT_TOKEN,
      },
      permissions: ["--allow-env", "--allow-net=plex-nas.invalid:32400"],
    });
    assert.equal(nowhere.code, 1);
    assert.match(
      nowhere.stdout,
      /✗ server: DNS: plex-nas\.invalid does not resolve\n {4}fix: check the host name/,
    );

    // No settings anywhere (a config directory with no settings file).
    const empty = await Deno.makeTempDir();
    const unset = await run(["doctor"], {
      env: { XDG_CONFIG_HOME: empty },
      permissions: [
        "--allow-env",
        "--allow-net=127.0.0.1",
        `--allow-read=${empty}`,
      ],
    });
    await Deno.remove(empty);
    assert.equal(unset.code, 1);
    assert.match(unset.stdout, /✗ settings: PLEX_SERVER_URL is not set/);
    assert.match(
      unset.stdout,
      /fix: run `plexmcp login` \(no settings file at .*\/plexmcp\/plexmcp\.env\)/,
    );
  } finally {
    await account.close().catch(() => {});
  }
});

Deno.test("tools lists the catalogue with the current settings; call runs one tool", async () => {
  const table = await run(["tools"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^TOOLSET\s+ACCESS\s+TOOL\s+DESCRIPTION/);
  assert.match(
    table.stdout,
    /\nplaylists\s+write!\s+delete_playlist\s+Deletes a playlist/,
  );
  const readOnly = await run(["tools", "--json"], {
    env: { PLEX_READ_ONLY: "true" },
  });
  const listed = JSON.parse(readOnly.stdout);
  assert.ok(listed.length > 10 && listed.every((t: Any) => t.readOnly));

  const text = await run([
    "call",
    "--demo",
    "search_media",
    '{"query":"night"}',
  ]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Night of the Living Dead/);
  const json = await run([
    "call",
    "--demo",
    "--json",
    "get_media_details",
    '{"ratingKey":1003}',
  ]);
  assert.equal(JSON.parse(json.stdout).ratingKey, "1003");
  const failed = await run([
    "call",
    "--demo",
    "get_media_details",
    '{"ratingKey":"999999"}',
  ]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /999999/);
  const badJson = await run(["call", "--demo", "search_media", "{query"]);
  assert.equal(badJson.code, 2);
  assert.match(badJson.stderr, /not valid JSON/);
  const badArgs = await run(["call", "--demo", "search_media", '{"q":"x"}']);
  assert.equal(badArgs.code, 2);
  assert.match(badArgs.stderr, /Unrecognized key: "q"/);
  const unknown = await run(["call", "--demo", "launch_rockets"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no tool "launch_rockets"/);
});

Deno.test("config prints each client's format; every printed command line serves the settings", async () => {
  const account = startAccount();
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/plexmcp.env`;
    await Deno.writeTextFile(
      file,
      `PLEX_SERVERS='${
        JSON.stringify([
          { name: "Home", url: account.homeServed.url, token: ACCOUNT_TOKEN },
          { name: "Cabin", url: account.cabinServed.url, token: SHARED_TOKEN },
        ])
      }'\n`,
    );
    const perms = ["--allow-env", `--allow-read=${dir}`];
    const hosts = `${account.homeServed.host},${account.cabinServed.host}`;
    const outputs = new Map<string, string>();
    for (const client of ["claude", "claude-code", "vscode", "cursor"]) {
      const r = await run(["config", client, "--env-file", file], {
        permissions: perms,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(ACCOUNT_TOKEN), `${client}: no token`);
      outputs.set(client, r.stdout.trim());
    }
    const claude = JSON.parse(outputs.get("claude")!).mcpServers.plex;
    const cursor = JSON.parse(outputs.get("cursor")!).mcpServers.plex;
    const vscode = JSON.parse(outputs.get("vscode")!).servers.plex;
    assert.equal(vscode.type, "stdio");
    assert.ok(
      claude.args.includes(
        `--allow-net=${hosts},plex.tv,discover.provider.plex.tv`,
      ),
    );
    assert.ok(claude.args.includes(`--env-file=${file}`));
    const code = outputs.get("claude-code")!;
    assert.ok(
      code.startsWith(`claude mcp add plex -- ${Deno.execPath()} run `),
      `deno by its absolute path: ${code}`,
    );
    const codeArgs = code.split(" -- ")[1]!.split(" ");
    for (
      const [command, args] of [
        [claude.command, claude.args],
        [cursor.command, cursor.args],
        [vscode.command, vscode.args],
        [codeArgs[0]!, codeArgs.slice(1)],
      ] as [string, string[]][]
    ) {
      const tools = await runConfigured(command, args);
      assert.ok(tools.includes("list_servers"));
    }

    // A checkout, and the binary (which takes the settings in env).
    const checkout = await run(
      ["config", "claude", "--env-file", file, "--checkout", "/opt/plexmcp"],
      { permissions: perms },
    );
    assert.ok(
      JSON.parse(checkout.stdout).mcpServers.plex.args.includes(
        "/opt/plexmcp/src/mod.ts",
      ),
    );
    const binary = await run(
      [
        "config",
        "claude",
        "--env-file",
        file,
        "--binary",
        "/opt/plexmcp/plexmcp",
      ],
      { permissions: perms },
    );
    const b = JSON.parse(binary.stdout).mcpServers.plex;
    assert.equal(b.command, "/opt/plexmcp/plexmcp");
    assert.match(b.env.PLEX_SERVERS, /Cabin/);
    assert.match(binary.stderr, /holds your Plex token/);

    // No settings file: the environment's settings go in env.
    const fromEnv = await run(["config", "vscode"], {
      env: {
        PLEX_SERVER_URL: account.homeServed.url,
        PLEX_TOKEN: ACCOUNT_TOKEN,
        XDG_CONFIG_HOME: dir,
      },
      permissions: ["--allow-env", `--allow-read=${dir}`],
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const v = JSON.parse(fromEnv.stdout).servers.plex;
    assert.ok(
      v.args.includes(
        `--allow-net=${account.homeServed.host},plex.tv,discover.provider.plex.tv`,
      ),
    );
    const tools = await runConfigured(v.command, v.args, v.env);
    assert.ok(!tools.includes("list_servers"));

    const none = await run(["config", "claude"], {
      env: { XDG_CONFIG_HOME: dir },
      permissions: ["--allow-env", `--allow-read=${dir}`],
    });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Run `plexmcp login` first/);
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unknown commands and flags: the usage line and exit 2; every command has --help", async () => {
  const unknown = await run(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown command 'frobnicate'/);
  assert.match(unknown.stderr, /Usage: plexmcp/);
  for (const command of ["login", "doctor", "tools", "call", "config"]) {
    const bad = await run([command, "--nope"]);
    assert.equal(bad.code, 2, `${command} --nope`);
    assert.match(bad.stderr, /Unknown option '--nope'/);
    assert.match(bad.stderr, new RegExp(`Usage: plexmcp ${command}`));
    const help = await run([command, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`Usage: plexmcp ${command}`));
    assert.match(help.stdout, /Exit codes/);
  }
  const top = await run(["--help"]);
  assert.match(top.stdout + top.stderr, /login\s+Sign in with Plex/);
});
