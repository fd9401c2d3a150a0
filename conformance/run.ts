/**
 * `deno task conformance`: runs the official MCP conformance suite
 * (`npm:@modelcontextprotocol/conformance`, server scenarios, the active
 * suite) against `plexmcp serve --http` on the demo library, and prints
 * which scenarios pass, which pass without proving anything (they call a
 * fixture tool and check only the shape of the "not found" answer), and
 * which fail as `conformance/expected-failures.yml` expects, with the
 * reason for each.
 *
 * The suite cannot send a bearer token, so the server runs in its
 * loopback-only test mode without one (`serve --test-no-auth`, which
 * refuses any other address and anything but the demo library). The suite
 * needs Node 22 APIs (`fs.globSync`); under Deno it runs whatever Node is
 * installed, so it is started with `deno run`.
 *
 * Exit code: the suite's (0 when every failure is expected and no
 * expected failure passes), or 1 when the expected-failures file is
 * malformed, lacks a reason, or a "vacuous" entry did not pass.
 *
 * Flags: `--keep DIR` keeps the suite's per-scenario results in DIR.
 *
 * @module
 */

/** The suite, pinned: a new release may add scenarios. */
export const SUITE = "npm:@modelcontextprotocol/conformance@0.1.16";

import { childEnv as testEnv } from "../tests/support/helpers.ts";

const ROOT = new URL("../", import.meta.url);
const EXPECTED = new URL("conformance/expected-failures.yml", ROOT).pathname;
const MOD = new URL("src/mod.ts", ROOT).pathname;

const out = new TextEncoder();
function say(text: string): void {
  Deno.stdout.writeSync(out.encode(text + "\n"));
}

/** One list entry of the expected-failures file. */
export interface Entry {
  /** Scenario name. */
  name: string;
  /** The reason after `#` (empty when missing). */
  reason: string;
}

/**
 * Reads the `server:` and `vacuous:` lists of the expected-failures file
 * (`  - name # reason` lines). Throws naming an entry without a reason.
 */
export function readExpected(
  text: string,
): { server: Entry[]; vacuous: Entry[] } {
  const lists: Record<string, Entry[]> = { server: [], vacuous: [] };
  let current: Entry[] | undefined;
  for (const line of text.split("\n")) {
    const key = /^([a-z]+):\s*(#.*)?$/.exec(line);
    if (key) {
      current = lists[key[1]!];
      if (!current) throw new Error(`unknown list '${key[1]}'`);
      continue;
    }
    const item = /^\s+-\s+([a-z0-9-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (item) {
      if (!current) throw new Error(`entry outside a list: ${line}`);
      const reason = (item[2] ?? "").trim();
      if (!reason) {
        throw new Error(
          `${item[1]} has no reason: say why after '#' on its line`,
        );
      }
      current.push({ name: item[1]!, reason });
    } else if (line.trim() && !line.trimStart().startsWith("#")) {
      throw new Error(`cannot read the line: ${line}`);
    }
  }
  return { server: lists.server!, vacuous: lists.vacuous! };
}

/** One scenario's line of the suite's summary. */
export interface Outcome {
  name: string;
  passed: number;
  failed: number;
}

/** The suite's summary lines (`✓ name: 1 passed, 0 failed`). */
export function readSummary(stdout: string): Outcome[] {
  return [
    ...stdout.matchAll(/^[✓✗] ([a-z0-9-]+): (\d+) passed, (\d+) failed/gm),
  ]
    .map((m) => ({
      name: m[1]!,
      passed: Number(m[2]),
      failed: Number(m[3]),
    }));
}

/**
 * The environment of a child: what Deno needs, nothing of ours (the tests'
 * list: the caller's certificates among it, so that where this Deno reaches
 * npm the suite's Deno does too), plus the npm registry the suite is
 * fetched from.
 */
export function suiteEnv(): Record<string, string> {
  const registry = Deno.env.get("NPM_CONFIG_REGISTRY");
  return testEnv(
    registry === undefined ? {} : { NPM_CONFIG_REGISTRY: registry },
  );
}

/** Starts the server in test mode; resolves with its URL and process. */
async function startServer(): Promise<
  { url: string; child: Deno.ChildProcess; stderr: () => string }
> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-net=127.0.0.1",
      "--allow-env",
      MOD,
      "serve",
      "--http",
      "127.0.0.1:0",
      "--demo",
      "--test-no-auth",
    ],
    env: suiteEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const found = Promise.withResolvers<string>();
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      text += decoder.decode(chunk, { stream: true });
      const m = /over HTTP at (http:\/\/\S+)/.exec(text);
      if (m) found.resolve(m[1]!);
    }
    found.reject(new Error(`the server stopped: ${text.slice(0, 500)}`));
  })();
  const timer = setTimeout(
    () => found.reject(new Error(`the server did not start in 30 s: ${text}`)),
    30_000,
  );
  try {
    return { url: await found.promise, child, stderr: () => text };
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<number> {
  const keep = (() => {
    const at = Deno.args.indexOf("--keep");
    return at >= 0 ? Deno.args[at + 1] : undefined;
  })();
  const expected = readExpected(await Deno.readTextFile(EXPECTED));
  const reasons = new Map(
    [...expected.server, ...expected.vacuous].map((e) => [e.name, e.reason]),
  );
  const results = keep ?? await Deno.makeTempDir({ prefix: "conformance-" });
  const { url, child, stderr } = await startServer();
  let code: number;
  let stdout: string;
  try {
    say(`conformance: ${SUITE} against ${url} (demo library, test mode)`);
    const suite = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        "--no-config",
        "--no-lock",
        SUITE,
        "server",
        "--url",
        url,
        "--expected-failures",
        EXPECTED,
        "-o",
        results,
      ],
      env: suiteEnv(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(600_000),
    }).output();
    code = suite.code;
    stdout = new TextDecoder().decode(suite.stdout);
    const err = new TextDecoder().decode(suite.stderr);
    if (code !== 0 && readSummary(stdout).length === 0) {
      say(`the suite did not run (exit ${code}):\n${stdout}\n${err}`);
      return code || 1;
    }
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    if (!keep) await Deno.remove(results, { recursive: true }).catch(() => {});
  }
  if (/Bearer\s+\S{16}/.test(stderr())) {
    say("the server's stderr holds a token: refusing to report success");
    return 1;
  }

  const outcomes = readSummary(stdout);
  const ok = (o: Outcome) => o.failed === 0 && o.passed > 0;
  const vacuous = new Set(expected.vacuous.map((e) => e.name));
  const failedNames = new Set(expected.server.map((e) => e.name));
  const real = outcomes.filter((o) => ok(o) && !vacuous.has(o.name));
  const hollow = outcomes.filter((o) => ok(o) && vacuous.has(o.name));
  const fails = outcomes.filter((o) => !ok(o));
  say(`\n${real.length} scenarios pass:`);
  for (const o of real) say(`  PASS ${o.name} (${o.passed} checks)`);
  say(`\n${hollow.length} pass without proving anything about plexmcp:`);
  for (const o of hollow) say(`  PASS* ${o.name}: ${reasons.get(o.name)}`);
  say(`\n${fails.length} fail:`);
  for (const o of fails) {
    say(
      `  ${
        failedNames.has(o.name) ? "FAIL (expected)" : "FAIL (UNEXPECTED)"
      } ${o.name}${failedNames.has(o.name) ? `: ${reasons.get(o.name)}` : ""}`,
    );
  }
  const stale = expected.server.filter((e) =>
    outcomes.some((o) => o.name === e.name && ok(o))
  );
  for (const e of stale) {
    say(`  STALE ${e.name} passes now: take it out of expected-failures.yml`);
  }
  const missing = [...expected.server, ...expected.vacuous].filter((e) =>
    !outcomes.some((o) => o.name === e.name)
  );
  for (const e of missing) {
    say(
      `  MISSING ${e.name} was not run by the suite: take it out of the file`,
    );
  }
  const hollowFailed = expected.vacuous.filter((e) =>
    outcomes.some((o) => o.name === e.name && !ok(o))
  );
  say(
    `\n${real.length} passed, ${hollow.length} passed vacuously, ${fails.length} failed (${
      fails.filter((o) => failedNames.has(o.name)).length
    } expected); suite exit code ${code}`,
  );
  if (code === 0 && (hollowFailed.length || missing.length)) return 1;
  return code;
}

if (import.meta.main) {
  Deno.exit(await main());
}
