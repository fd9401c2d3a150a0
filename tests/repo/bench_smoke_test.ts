/**
 * The benchmark harness runs (tiny sizes, no timing assertions): keeps
 * `deno task bench` from rotting. Figures and targets live in the bench.
 */
import assert from "node:assert/strict";
import { noProxy } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Longest a quick run of every section may take (about 25 s on an idle 2-core machine). */
const QUICK_RUN_LIMIT_MS = 240_000;

async function bench(
  ...flags: string[]
): Promise<{ code: number; text: string; stderr: string }> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--allow-net=127.0.0.1",
      "--allow-run",
      "bench/run.ts",
      ...flags,
    ],
    cwd: root,
    // The benchmark fetches from the loopback fake itself: keep any proxy
    // of the caller's away from it.
    env: { NO_COLOR: "1", NO_PROXY: noProxy() },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(QUICK_RUN_LIMIT_MS),
  }).output().catch((error: Error) => {
    throw new Error(
      `bench/run.ts ${flags.join(" ")} did not finish within ${
        QUICK_RUN_LIMIT_MS / 1000
      } s (${error.message})`,
    );
  });
  const ms = performance.now() - started;
  assert.ok(
    ms < QUICK_RUN_LIMIT_MS,
    `bench/run.ts ${flags.join(" ")} took ${ms.toFixed(0)} ms`,
  );
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("bench/run.ts --quick runs every section and reports targets", async () => {
  const { code, text, stderr } = await bench("--quick", "--no-write");
  assert.equal(code, 0, text + stderr);
  for (
    const heading of [
      "## Overhead",
      "## Cold start",
      "## Scale",
      "## Output size",
      "## Catalogue size",
      "## Concurrency",
      "## Caching",
      "## Connection reuse",
      "## Soak",
      "## Memory",
      "## HTTP sessions",
      "## V8 flags",
    ]
  ) {
    assert.ok(text.includes(heading), `no "${heading}" section:\n${text}`);
  }
  assert.match(text, /targets met \(quick run\)/);

  // Overhead: spread and samples, get_libraries with the cache on, the
  // first calls of every read tool with their request counts, the load
  // check.
  assert.match(text, /overhead median \(p25–p75\)/);
  // Each read tool against the per-call floor (the one-tool SDK server).
  assert.match(text, /### Each read tool against the per-call floor/);
  assert.match(
    text,
    /\| get_media_details \| [\d.]+ \([^)]*\) \| [\d.]+ \([^)]*\) \| [\d.]+× \|/,
  );
  assert.match(text, /### get_libraries on 14 libraries, cache off and on/);
  assert.match(text, /\| off \(`PLEX_CACHE_TTL=0`\) \| [\d.]+ \| \d+ \|/);
  assert.match(text, /\| default \(5 s\) \| [\d.]+ \| \d+ \|/);
  const first = text.split("### The first")[1]?.split("\n\n")[1] ?? "";
  assert.ok(
    first.split("\n").filter((l) => /^\| [a-z_]+ \| [\d.]+ \| \d+ \|/.test(l))
      .length >= 15,
    `a first-calls row with requests and samples for every read tool:\n${first}`,
  );
  assert.match(text, /Load check: other processes used [\d.]+ cores/);

  // Cold start: the flagged comparison, both bundles (or why not), the
  // compiled binary's row, each technique's variant and what it saved.
  assert.match(text, /--v8-flags=--optimize-for-size` \(as the Desktop/);
  assert.match(
    text,
    /one-tool SDK server with `--v8-flags=--optimize-for-size`/,
  );
  assert.match(text, /plexmcp bundled \(`deno bundle`, one file\)/);
  assert.match(text, /plexmcp bundled \(`deno bundle --code-splitting`\)/);
  assert.match(text, /plexmcp compiled .*not measured here, skipped/);
  assert.match(text, /### What each start-up technique saves/);
  for (const variant of ["(b)", "(c)", "(d)"]) {
    assert.ok(
      text.includes(`- ${variant} `),
      `no saving stated for ${variant}`,
    );
  }
  assert.doesNotMatch(text, /did not answer initialize and tools\/list/);
  assert.match(text, /loading everything the server loads at start/);

  // Catalogue: dynamic mode's start and growth per toolset.
  assert.match(text, /With `PLEX_TOOLSETS=dynamic`, the `tools\/list` answer/);
  assert.match(text, /\| library \| \d+ \| [\d,]+ \| [\d,]+ \| \+[\d,]+ \|/);

  // Memory targets in MB (10^6 bytes), MiB beside.
  assert.match(text, /≤ 100 MB: [\d.]+ MB \([\d.]+ MiB\)/);
  assert.match(text, /soak peak RSS < 150 MB/);
});

Deno.test("bench/run.ts --only runs the named sections and refuses unknown ones", async () => {
  const some = await bench("--quick", "--only", "output,caching");
  assert.equal(some.code, 0, some.text + some.stderr);
  assert.match(some.text, /running output…/);
  assert.match(some.text, /running caching…/);
  assert.doesNotMatch(some.text, /running overhead…|running soak…/);

  const bad = await bench("--quick", "--only", "output,speed");
  assert.equal(bad.code, 2);
  assert.match(bad.text, /unknown section "speed"; sections: overhead, /);
});

/** Local modules a file loads through static imports, and whether it reaches the SDK. */
async function staticGraph(file: string): Promise<Map<string, boolean>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: {
        isDynamic?: boolean;
        code?: { specifier?: string };
      }[];
    }[];
  };
  const deps = new Map(
    info.modules.map((m) => [
      m.specifier,
      (m.dependencies ?? []).filter((d) => !d.isDynamic && d.code?.specifier)
        .map((d) => d.code!.specifier!),
    ]),
  );
  // Whether a module's static imports reach the SDK, directly or not.
  const sdk = (from: string): boolean => {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length) {
      const s = todo.pop()!;
      if (s.includes("@modelcontextprotocol/sdk")) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      todo.push(...deps.get(s) ?? []);
    }
    return false;
  };
  const graph = new Map<string, boolean>();
  const visit = (s: string) => {
    if (graph.has(s) || !s.startsWith("file://")) return;
    graph.set(s, sdk(s));
    for (const d of deps.get(s) ?? []) visit(d);
  };
  visit(info.roots[0]!);
  return graph;
}

Deno.test("bench/load_own_start.ts loads exactly the start-up modules that need no SDK", async () => {
  const start = await staticGraph("src/mod.ts");
  const own = await staticGraph("bench/load_own_start.ts");
  const rel = (s: string) => s.replace(`file://${root}`, "");
  const expected = [...start].filter(([, sdk]) => !sdk).map(([s]) => rel(s))
    .sort();
  const loaded = [...own.keys()].map(rel).filter((s) => s.startsWith("src/"))
    .sort();
  assert.deepEqual(loaded, expected);
  assert.ok(
    [...own.values()].every((sdk) => !sdk),
    "bench/load_own_start.ts must not reach the SDK",
  );
});
