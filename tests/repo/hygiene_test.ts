/**
 * What the repository holds: no tool caches or installed packages among the
 * tracked files (a folder literally named `~`, `node_modules/`, `.npm/`,
 * `.cache/`), and the reason such a folder once appeared (npm run with an
 * empty HOME takes `~/.npm` relative to the working directory) cannot recur
 * through the test helpers.
 */
import assert from "node:assert/strict";
import { childEnv, npmCacheEnv, runCommand } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Why a tracked path does not belong in the repository, if it does not. */
export function strayPath(path: string): string | undefined {
  if (path.startsWith("~")) {
    return "starts with ~ (a tool took ~ literally, relative to the working directory)";
  }
  const parts = path.split("/");
  for (const dir of ["node_modules", ".npm", ".cache"]) {
    if (parts.slice(0, -1).includes(dir)) return `lies inside ${dir}/`;
  }
  return undefined;
}

Deno.test("strayPath() names caches and installed packages, and nothing else", () => {
  assert.match(strayPath("~/.npm/_logs/x.log")!, /starts with ~/);
  assert.match(strayPath("~")!, /starts with ~/);
  assert.match(strayPath("a/node_modules/b/index.js")!, /node_modules/);
  assert.match(strayPath(".npm/_cacache/index")!, /\.npm/);
  assert.match(strayPath("bench/.cache/x")!, /\.cache/);
  for (
    const ok of ["src/mod.ts", "docs/a~b.md", "tests/node_modules_test.ts"]
  ) {
    assert.equal(strayPath(ok), undefined, ok);
  }
});

Deno.test("no tracked file is a cache, an installed package or under a folder named ~", async () => {
  const listed = await runCommand("git", ["ls-files", "-z"], {
    cwd: root,
    timeoutMs: 30_000,
  }).catch((error) => ({ code: -1, text: String(error), timedOut: false }));
  if (listed.code !== 0) {
    // A copy without git (e.g. unpacked from the published package).
    // deno-lint-ignore no-console
    console.log(
      `skipped: git ls-files cannot list this checkout: ${
        listed.text.trim().split("\n")[0]
      }`,
    );
    return;
  }
  const stray = listed.text.split("\0").filter(Boolean)
    .map((path) => [path, strayPath(path)] as const)
    .filter(([, why]) => why);
  assert.deepEqual(
    stray.slice(0, 20).map(([path, why]) => `${path}: ${why}`),
    [],
    `${stray.length} tracked paths do not belong in the repository`,
  );
});

Deno.test("npm run by the helpers with an empty HOME keeps its cache out of the working directory", async () => {
  assert.deepEqual(npmCacheEnv({ HOME: "/home/me" }), {});
  assert.deepEqual(
    npmCacheEnv({ HOME: "", npm_config_cache: "/tmp/c" }),
    {},
    "a cache the caller set is kept",
  );
  const fromEmpty = npmCacheEnv({ HOME: "" }).npm_config_cache;
  assert.ok(fromEmpty?.startsWith("/"), "an absolute cache folder");
  assert.ok(npmCacheEnv({}).npm_config_cache, "HOME unset");
  assert.ok(npmCacheEnv({ HOME: "~" }).npm_config_cache, "HOME relative");

  // What npm itself makes of it (no network: `npm config get cache`).
  const dir = await Deno.makeTempDir({ prefix: "plexmcp-home-" });
  try {
    const env = childEnv({ HOME: "" });
    assert.equal(env.HOME, "");
    const r = await runCommand("npm", ["config", "get", "cache"], {
      cwd: dir,
      env,
      timeoutMs: 60_000,
    }).catch((error) => ({ code: -1, text: String(error), timedOut: false }));
    if (r.code === -1 && /NotFound|No such file/.test(r.text)) {
      // deno-lint-ignore no-console
      console.log(`skipped the npm part: npm is not installed (${r.text})`);
      return;
    }
    assert.equal(r.code, 0, r.text);
    const cache = r.text.trim().split("\n").at(-1)!;
    assert.ok(cache.startsWith("/"), `npm's cache is absolute: ${cache}`);
    assert.ok(
      !cache.startsWith(dir),
      `npm's cache is not in the cwd: ${cache}`,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing written in cwd");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
