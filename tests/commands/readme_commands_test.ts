/**
 * Every command line the README shows in a shell block works as written,
 * run the way a person runs it: `sh -c` with a temporary HOME, in README
 * order (clone, demo, install the `plexmcp` command, login against the
 * loopback fake plex.tv, then the people's commands and `serve --http`).
 *
 * What is mapped, and nothing else: `jsr:@plexmcp/server` to this
 * checkout's `src/mod.ts` (with its `deno.json`, as JSR brings the
 * dependencies), `<repository-url>` to this checkout, `login` gets `--yes`
 * (no terminal here to pick servers at), and `serve --http` listens on a
 * free port instead of 8765 (other tests may hold it). Lines another test
 * runs are listed with that test, which must exist; a README line no entry
 * accounts for fails the test.
 */
import assert from "node:assert/strict";
import { startAccount } from "../support/accounts.ts";
import { personEnv, scanForSecrets, within } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const MOD = `${root}/src/mod.ts`;

/** One command line of a shell block, with the block's first line number. */
interface Line {
  text: string;
  block: number;
}

/**
 * The command lines of the README's ```sh blocks: every line but comments,
 * or, in a block that shows a prompt (`$ `), only the prompted lines.
 */
export function readmeCommands(readme: string): Line[] {
  const lines: Line[] = [];
  for (const m of readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const block = readme.slice(0, m.index).split("\n").length;
    const body = m[1]!.split("\n").filter((l) => l.trim());
    const prompted = body.some((l) => l.startsWith("$ "));
    for (const l of body) {
      if (l.trimStart().startsWith("#")) continue;
      if (prompted && !l.startsWith("$ ")) continue;
      lines.push({ text: prompted ? l.slice(2) : l, block });
    }
  }
  return lines;
}

/** Lines other tests run: the pattern, the test file and the test's name. */
const COVERED: { pattern: RegExp; file: string; test: string }[] = [
  {
    pattern: /^npx -y @modelcontextprotocol\/inspector --cli deno run /,
    file: "tests/mcp/inspector_examples_test.ts",
    test: "every README Inspector example runs and succeeds",
  },
  {
    pattern: /^deno run --config plexmcp\/deno\.json .* sections\.ts$/,
    file: "tests/docs/readme_examples_test.ts",
    test: "README checkout example runs as the README says",
  },
];

/** Lines no test runs, with the reason printed when the test passes them. */
const NOT_RUN: { pattern: RegExp; why: string }[] = [
  {
    pattern: /^deno task test\b/,
    why: "it is this test suite itself (CI's .ci/run runs it on a clean clone)",
  },
];

/** The result of one line. */
interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

Deno.test("every command line in the README's shell blocks works as written", async () => {
  const readme = await Deno.readTextFile(`${root}/README.md`);
  const lines = readmeCommands(readme);
  assert.ok(lines.length >= 15, `README shell lines: ${lines.length}`);

  const account = startAccount({ linkAfterPolls: 1 });
  const home = await Deno.makeTempDir({ prefix: "plexmcp-home-" });
  const installRoot = `${home}/.deno`;
  const env = await personEnv(home, { DENO_INSTALL_ROOT: installRoot });
  env.PATH = `${installRoot}/bin:${Deno.execPath().replace(/\/[^/]+$/, "")}:${
    env.PATH ?? "/usr/bin:/bin"
  }`;
  const work = await Deno.makeTempDir({ prefix: "plexmcp-work-" });
  const unaccounted: string[] = [];
  const ranHere: string[] = [];
  const notRun: string[] = [];

  /** Runs one line with sh in `cwd`; kills it after `ms`. */
  async function sh(
    line: string,
    cwd: string,
    extra: Record<string, string> = {},
  ): Promise<Ran> {
    const ms = 120_000;
    const child = new Deno.Command("sh", {
      args: ["-c", line],
      cwd,
      env: { ...env, ...extra },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    const out = await within(child.output(), ms + 5_000, line)
      .finally(() => clearTimeout(timer));
    const dec = new TextDecoder();
    const ran = {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
    scanForSecrets(ran.stdout + ran.stderr, line);
    return ran;
  }

  /** Starts a long-running line, waits for `ready` on stderr, stops it. */
  async function serveUntil(line: string, ready: RegExp): Promise<string> {
    const child = new Deno.Command("sh", {
      args: ["-c", `exec ${line}`],
      cwd: work,
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
          while (!ready.test(text)) {
            const { value, done } = await reader.read();
            if (done) break;
            text += value;
          }
        })(),
        60_000,
        `${line} to start`,
      );
    } finally {
      child.kill("SIGTERM");
      await reader.cancel().catch(() => {});
      await child.status;
    }
    scanForSecrets(text, line);
    return text;
  }

  const ok = (r: Ran, line: string) =>
    assert.equal(r.code, 0, `${line}\n${r.stdout}\n${r.stderr}`);
  const settings = `${home}/.config/plexmcp/plexmcp.env`;
  let clone: string | undefined;

  try {
    for (const { text: line } of lines) {
      const covered = COVERED.find((c) => c.pattern.test(line));
      if (covered) {
        const source = await Deno.readTextFile(`${root}/${covered.file}`);
        assert.ok(
          source.includes(`Deno.test("${covered.test}`),
          `${covered.file} has the test "${covered.test}…" that runs: ${line}`,
        );
        continue;
      }
      const skipped = NOT_RUN.find((n) => n.pattern.test(line));
      if (skipped) {
        notRun.push(`${line.split("#")[0]!.trim()}: ${skipped.why}`);
        continue;
      }

      ranHere.push(line);
      if (line.startsWith("git clone <repository-url> ")) {
        const r = await sh(line.replace("<repository-url>", root), work);
        ok(r, line);
        clone = `${work}/plexmcp`;
        assert.ok((await Deno.stat(`${clone}/deno.json`)).isFile);
      } else if (line.startsWith("deno task demo")) {
        assert.ok(clone, "the Quick start clones before the demo");
        const r = await sh(line, clone);
        ok(r, line);
        assert.match(r.stdout, /The server offers \d+ tools by default/);
        assert.match(r.stdout, /Next: `deno task install`.*`plexmcp login`/);
      } else if (line.startsWith("deno install ")) {
        const mapped = line.replace(
          "jsr:@plexmcp/server",
          `--config ${root}/deno.json ${MOD}`,
        );
        const r = await sh(mapped, root);
        ok(r, line);
        const shim = await Deno.readTextFile(`${installRoot}/bin/plexmcp`);
        assert.ok(shim.includes(`--allow-read=${home}/.config/plexmcp`), shim);
        assert.ok(!shim.includes("--allow-all") && !/ -A /.test(shim));
      } else if (/^plexmcp login$/.test(line)) {
        // plex.tv is the loopback fake for login (and only for login).
        const r = await sh(`${line} --yes`, work, {
          PLEX_TV_URL: account.tvServed.url,
        });
        ok(r, line);
        assert.match(r.stderr, new RegExp(`Wrote ${settings}`));
        const entry = JSON.parse(r.stdout).mcpServers.plex;
        assert.equal(entry.command, Deno.execPath());
      } else if (
        /^plexmcp config (claude|claude-code|vscode|cursor)\b/.test(line)
      ) {
        const r = await sh(line, work);
        ok(r, line);
        const client = /^plexmcp config (\S+)/.exec(line)![1]!;
        if (client === "claude-code") {
          assert.ok(
            r.stdout.startsWith(
              `claude mcp add plex -- ${Deno.execPath()} run --v8-flags=--optimize-for-size --env-file=${settings} --allow-net=`,
            ),
            r.stdout,
          );
        } else {
          const json = JSON.parse(r.stdout);
          const entry = (json.mcpServers ?? json.servers).plex;
          assert.equal(entry.command, Deno.execPath());
          assert.ok(entry.args.includes(`--env-file=${settings}`));
          assert.equal(entry.args.at(-1), "jsr:@plexmcp/server");
          if (client === "vscode") assert.equal(entry.type, "stdio");
        }
      } else if (/^plexmcp (doctor|tools|call)\b/.test(line)) {
        const r = await sh(line, work);
        ok(r, line);
        if (line.startsWith("plexmcp doctor")) {
          assert.match(r.stdout, /✓ settings: 2 servers .*\(from /);
        }
      } else if (line.startsWith("export PLEX_HTTP_TOKEN=")) {
        const r = await sh(
          `${line.split("#")[0]}; printf %s "$PLEX_HTTP_TOKEN"`,
          work,
        );
        ok(r, line);
        assert.match(r.stdout, /^[0-9a-f]{64}$/);
        env.PLEX_HTTP_TOKEN = r.stdout;
      } else if (/^export PLEX_HTTP_(AUTH|PUBLIC_URL|STATE)=/.test(line)) {
        // As the shell would: later lines run with it.
        const r = await sh(
          `${line}; printf %s "$${line.slice(7).split("=")[0]}"`,
          work,
        );
        ok(r, line);
        env[line.slice(7).split("=")[0]!] = r.stdout;
      } else if (/^plexmcp serve --http\b/.test(line)) {
        // A free port instead of 8765, which another test may hold.
        const command = line.split("#")[0]!.trim();
        const mapped = command === "plexmcp serve --http"
          ? `${command} 127.0.0.1:0`
          : command.replace(/:8765$/, ":0");
        assert.notEqual(mapped, command, `a listen address to map: ${line}`);
        const text = await serveUntil(mapped, /over HTTP at http:\/\//);
        assert.match(text, /serving Home \(default\) at .*, Cabin at /, text);
        if (env.PLEX_HTTP_AUTH === "oauth") {
          // OAuth mode, its state kept where the README says (and the
          // installed command may write there).
          assert.ok(
            text.includes(
              `clients and grants are kept in ${env.PLEX_HTTP_STATE}`,
            ),
            text,
          );
          assert.match(
            text,
            /OAuth 2\.1: clients authorize at https:\/\/plex-mcp\.example\.org\/oauth\/authorize/,
          );
        }
      } else {
        ranHere.pop();
        unaccounted.push(line);
      }
    }
    assert.deepEqual(
      unaccounted,
      [],
      "README command lines this test neither runs nor finds covered elsewhere",
    );
    assert.ok(clone, "the Quick start's clone line was run");
    // deno-lint-ignore no-console
    console.log(
      `ran ${ranHere.length} README lines:\n  ${ranHere.join("\n  ")}`,
    );
    // deno-lint-ignore no-console
    for (const n of notRun) console.log(`not run here: ${n}`);
  } finally {
    await account.close();
    await Deno.remove(home, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("readmeCommands() reads command lines, prompted lines only where a prompt is shown", () => {
  const text = [
    "```sh",
    "# a comment",
    "deno task demo   # tour",
    "```",
    "```sh",
    "$ plexmcp config claude   # here",
    '{ "output": true }',
    "```",
    "```ts",
    "not shell",
    "```",
  ].join("\n");
  assert.deepEqual(readmeCommands(text).map((l) => l.text), [
    "deno task demo   # tour",
    "plexmcp config claude   # here",
  ]);
});
