/**
 * A person's first contact, walked as they walk it: a temporary HOME,
 * `login` against the loopback fake plex.tv, then every command with no
 * PLEX_* variable set (doctor, tools, call, config and each configuration
 * it prints, serve --http, the stdio server itself), each finding the
 * settings `login` wrote. Then `--env-file PATH` on each, the environment
 * winning over a file, the stdio server without read permission (the
 * message names both ways out), and declining to overwrite the file.
 */
import assert from "node:assert/strict";
import { runLogin } from "../../src/commands/login.ts";
import type { CommandIo } from "../../src/commands/io.ts";
import {
  ACCOUNT_TOKEN,
  SHARED_TOKEN,
  startAccount,
} from "../support/accounts.ts";
import {
  MOD_PATH,
  personEnv,
  scanForSecrets,
  within,
} from "../support/helpers.ts";
import { Client, StdioClientTransport } from "../support/sdk_client.ts";
import { runCommand } from "../support/run_command.ts";

/** Runs `deno run <permissions> src/mod.ts <args>` with no stdin. */
const run = runCommand;

/** Starts a server as `command args` over stdio and lists its tools. */
async function serveAndList(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<string[]> {
  const transport = new StdioClientTransport({
    command,
    args: args.map((a) => a === "jsr:@plexmcp/server" ? MOD_PATH : a),
    env,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (c: Uint8Array | string) => {
    stderr += typeof c === "string" ? c : new TextDecoder().decode(c);
  });
  const client = new Client({ name: "first-contact", version: "1" });
  await within(
    client.connect(transport),
    30_000,
    `${command} ${args.join(" ")} to answer initialize (stderr: ${stderr})`,
  );
  try {
    const { tools } = await client.listTools();
    const r = await client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined, JSON.stringify(r));
    return tools.map((t) => t.name);
  } finally {
    await client.close();
    scanForSecrets(stderr, "server stderr");
  }
}

Deno.test("first contact: login in a temporary HOME, then doctor, tools, call, config, serve --http and the stdio server find its settings with no PLEX_* variable set", async (t) => {
  const account = startAccount({ linkAfterPolls: 1 });
  const home = await Deno.makeTempDir({ prefix: "plexmcp-home-" });
  const dir = `${home}/.config/plexmcp`;
  const file = `${dir}/plexmcp.env`;
  const hosts = `${account.homeServed.host},${account.cabinServed.host}`;
  const env = await personEnv(home);
  for (const name of Object.keys(env)) {
    assert.ok(!/^(PLEX_|DEV_)/.test(name), `${name} is not set`);
  }
  const readIt = `--allow-read=${file}`;
  try {
    await t.step(
      "login writes the settings where every command looks",
      async () => {
        const r = await run(
          ["login", "--yes"],
          { ...env, PLEX_TV_URL: account.tvServed.url },
          [
            "--allow-net=127.0.0.1",
            "--allow-env",
            `--allow-read=${dir}`,
            `--allow-write=${dir}`,
          ],
        );
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, new RegExp(`Wrote ${file} \\(mode 0600\\)`));
        const entry = JSON.parse(r.stdout).mcpServers.plex;
        assert.equal(entry.command, Deno.execPath(), "deno by absolute path");
        assert.ok(entry.args.includes(`--env-file=${file}`));
        assert.ok(
          !entry.args.some((a: string) => a.startsWith("--allow-read")),
        );
        const tools = await serveAndList(entry.command, entry.args, env);
        assert.ok(tools.includes("list_servers"), "both servers");
      },
    );

    await t.step("doctor", async () => {
      const r = await run(["doctor"], env, [
        "--allow-env",
        `--allow-net=${hosts}`,
        readIt,
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `✓ settings: 2 servers \\(Home, Cabin\\), default Home \\(from ${file}\\)`,
        ),
      );
      assert.match(r.stdout, /✓ Cabin: token: accepted by Cabin/);
      assert.doesNotMatch(r.stdout, /is not set/);
    });

    await t.step("tools", async () => {
      const r = await run(["tools", "--json"], env, ["--allow-env", readIt]);
      assert.equal(r.code, 0, r.stderr);
      const names = JSON.parse(r.stdout).map((x: { name: string }) => x.name);
      assert.ok(names.includes("list_servers"), "several servers: from file");
      assert.equal(r.stderr, "");
    });

    await t.step("call", async () => {
      const r = await run(["call", "list_servers"], env, [
        "--allow-env",
        `--allow-net=${hosts}`,
        readIt,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Home/);
      assert.match(r.stdout, /Cabin/);
    });

    await t.step(
      "config, for each client; each printed configuration serves",
      async () => {
        for (const client of ["claude", "claude-code", "vscode", "cursor"]) {
          const r = await run(["config", client], env, ["--allow-env", readIt]);
          assert.equal(r.code, 0, `${client}: ${r.stderr}`);
          assert.ok(!r.stdout.includes(ACCOUNT_TOKEN), `${client}: no token`);
          assert.ok(!r.stdout.includes(SHARED_TOKEN), `${client}: no token`);
          let command: string;
          let args: string[];
          if (client === "claude-code") {
            const words = r.stdout.trim().split(" -- ")[1]!.split(" ");
            [command, args] = [words[0]!, words.slice(1)];
          } else {
            const json = JSON.parse(r.stdout);
            const entry = (json.mcpServers ?? json.servers).plex;
            [command, args] = [entry.command, entry.args];
          }
          assert.equal(command, Deno.execPath(), `${client}: deno's full path`);
          assert.ok(args.includes(`--env-file=${file}`), client);
          // plex.tv too: a Home member's views switch to them there.
          assert.ok(
            args.includes(
              `--allow-net=${hosts},plex.tv,discover.provider.plex.tv`,
            ),
            client,
          );
          const tools = await serveAndList(command, args, env);
          assert.ok(tools.includes("list_servers"), client);
        }
      },
    );

    await t.step("serve --http", async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          "--allow-env",
          "--allow-net=127.0.0.1",
          readIt,
          MOD_PATH,
          "serve",
          "--http",
          "127.0.0.1:0",
        ],
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      let text = "";
      const reader = child.stderr.pipeThrough(new TextDecoderStream())
        .getReader();
      try {
        await within(
          (async () => {
            while (!/over HTTP at/.test(text)) {
              const { value, done } = await reader.read();
              if (done) break;
              text += value;
            }
          })(),
          30_000,
          "serve --http to listen",
        );
        assert.match(
          text,
          /serving Home \(default\) at http:\/\/127\.0\.0\.1:\d+, Cabin at http:\/\/127\.0\.0\.1:\d+ over HTTP at/,
          text,
        );
      } finally {
        child.kill("SIGTERM");
        await reader.cancel().catch(() => {});
        await child.status;
      }
      scanForSecrets(text, "serve --http stderr");
    });

    await t.step(
      "the stdio server: with --allow-read for the file, or the file given to Deno with --env-file",
      async () => {
        const withRead = await serveAndList(Deno.execPath(), [
          "run",
          "--quiet",
          "--allow-env",
          `--allow-net=${hosts}`,
          readIt,
          MOD_PATH,
        ], env);
        assert.ok(withRead.includes("list_servers"));
        const byDeno = await serveAndList(Deno.execPath(), [
          "run",
          "--quiet",
          `--env-file=${file}`,
          "--allow-env",
          `--allow-net=${hosts}`,
          MOD_PATH,
        ], env);
        assert.ok(byDeno.includes("list_servers"));
      },
    );

    await t.step(
      "the stdio server without read permission: the message names the flag and Deno's --env-file, not login again",
      async () => {
        const r = await run([], env, ["--allow-env", `--allow-net=${hosts}`]);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.ok(r.stderr.includes(`--allow-read=${file}`), r.stderr);
        assert.ok(r.stderr.includes(`--env-file=${file}`), r.stderr);
        assert.doesNotMatch(r.stderr, /run `plexmcp login`/);
        // The commands say the same.
        for (const command of ["doctor", "call"]) {
          const c = await run(
            command === "call" ? ["call", "get_libraries"] : [command],
            env,
            ["--allow-env", `--allow-net=${hosts}`],
          );
          assert.notEqual(c.code, 0, command);
          assert.ok(
            (c.stdout + c.stderr).includes(`--allow-read=${file}`),
            `${command}: ${c.stdout}${c.stderr}`,
          );
          assert.doesNotMatch(c.stdout + c.stderr, /run `plexmcp login`/);
        }
      },
    );

    await t.step(
      "--env-file PATH: read instead of login's file, by every command; the environment wins over it",
      async () => {
        const other = `${home}/home-only.env`;
        await Deno.writeTextFile(
          other,
          `PLEX_SERVER_URL=${account.homeServed.url}\nPLEX_TOKEN=${ACCOUNT_TOKEN}\nPLEX_TOOLSETS=server\n`,
        );
        const perms = [
          "--allow-env",
          `--allow-net=${hosts}`,
          `--allow-read=${other}`,
        ];
        const doctor = await run(["doctor", "--env-file", other], env, perms);
        assert.equal(doctor.code, 0, doctor.stdout);
        assert.match(
          doctor.stdout,
          new RegExp(
            `✓ settings: one server at ${account.homeServed.url} \\(from ${other}\\)`,
          ),
        );
        const tools = await run(["tools", "--json", "--env-file", other], env, [
          "--allow-env",
          `--allow-read=${other}`,
        ]);
        const listed = JSON.parse(tools.stdout) as { toolset: string }[];
        assert.ok(listed.every((x) => x.toolset === "server"), tools.stdout);
        const call = await run(
          ["call", "get_plex_status", "--env-file", other],
          env,
          perms,
        );
        assert.equal(call.code, 0, call.stderr);
        assert.match(call.stdout, /Home/);
        const config = await run(
          ["config", "cursor", "--env-file", other],
          env,
          ["--allow-env", `--allow-read=${other}`],
        );
        const entry = JSON.parse(config.stdout).mcpServers.plex;
        assert.ok(entry.args.includes(`--env-file=${other}`));
        assert.ok(
          entry.args.includes(
            `--allow-net=${account.homeServed.host},plex.tv`,
          ),
        );
        const stdio = await serveAndList(Deno.execPath(), [
          "run",
          "--quiet",
          ...perms,
          MOD_PATH,
          "--env-file",
          other,
        ], env);
        assert.deepEqual(
          stdio.sort(),
          ["get_libraries", "get_plex_status"],
          "the file's PLEX_TOOLSETS",
        );

        // A variable set in the environment wins over the same one in the file.
        const wins = await run(["tools", "--json", "--env-file", other], {
          ...env,
          PLEX_TOOLSETS: "server,library",
        }, ["--allow-env", `--allow-read=${other}`]);
        const toolsets = new Set(
          (JSON.parse(wins.stdout) as { toolset: string }[]).map((x) =>
            x.toolset
          ),
        );
        assert.deepEqual([...toolsets].sort(), ["library", "server"]);
        const badToken = await run(["doctor", "--env-file", other], {
          ...env,
          PLEX_TOKEN: "wrong-token-from-env",
        }, perms);
        assert.equal(badToken.code, 1);
        assert.match(
          badToken.stdout,
          /✗ server: token: Plex rejected the token/,
        );
        const fromEnvConfig = await run(["config", "vscode"], {
          ...env,
          PLEX_READ_ONLY: "true",
        }, ["--allow-env", readIt]);
        const vs = JSON.parse(fromEnvConfig.stdout).servers.plex;
        assert.deepEqual(vs.env, { PLEX_READ_ONLY: "true" });
        assert.match(fromEnvConfig.stderr, /PLEX_READ_ONLY, which wins over/);

        // A file that cannot be read: the exact flag, exit 2.
        const missing = await run(
          ["call", "get_libraries", "--env-file", other],
          env,
          [
            "--allow-env",
          ],
        );
        assert.equal(missing.code, 2);
        assert.ok(missing.stderr.includes(`--allow-read=${other}`));
      },
    );
  } finally {
    await account.close();
    await Deno.remove(home, { recursive: true });
  }
});

/** A scripted terminal that answers the prompts from `answers`. */
function terminal(
  env: Record<string, string>,
  answers: string[],
): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env,
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    interactive: true,
    readLine: () => Promise.resolve(answers.shift() ?? null),
    interrupt: new AbortController().signal,
  };
}

Deno.test("login: declining to overwrite the settings file is not an error: nothing written, exit 0, no sign-in", async () => {
  const account = startAccount();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/plexmcp.env`;
    await Deno.writeTextFile(path, "PLEX_SERVER_URL=http://keep.invalid\n");
    const io = terminal({ PLEX_TV_URL: account.tvServed.url }, ["n"]);
    assert.equal(await runLogin(["--env-file", path], io), 0);
    const said = io.stderr.join("");
    assert.match(said, /exists\. Overwrite it\? \[y\/N\]/);
    assert.match(said, /Nothing was written: .* is kept as it was/);
    assert.doesNotMatch(said, /plexmcp login: /, "not reported as an error");
    assert.equal(
      await Deno.readTextFile(path),
      "PLEX_SERVER_URL=http://keep.invalid\n",
    );
    assert.equal(account.tv.requests.length, 0, "no sign-in started");
    assert.deepEqual(io.stdout, [], "no configuration printed");
  } finally {
    await account.close();
    await Deno.remove(dir, { recursive: true });
  }
});
