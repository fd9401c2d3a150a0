/**
 * A newcomer's environment must not break the suite: an end-to-end test
 * file (real servers over stdio against the loopback fake) run as its own
 * `deno test` with the caller's cache in DENO_DIR, a certificate file that
 * does not exist, a proxy that answers nothing and no NO_PROXY, and an
 * empty HOME still passes, and prints no stack traces or "legacy behavior"
 * warnings (issue 11, test hygiene).
 */
import assert from "node:assert/strict";
import { within } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The test file run under the hostile environment: a quick stdio one. */
const TARGET = "tests/tools/library/search_and_browse_test.ts";

/** How long the whole run may take (it is a few seconds here). */
const RUN_MS = 240_000;

/** Where Deno keeps its cache for this process (`deno info --json`). */
async function denoDir(): Promise<string> {
  const out = await within(
    new Deno.Command(Deno.execPath(), {
      args: ["info", "--json"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output(),
    60_000,
    "deno info --json to report the cache directory",
  );
  const dir = JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
  assert.equal(typeof dir, "string", "deno info names its cache directory");
  return dir;
}

/** Whether the checkout has a folder named `~` (npm with an empty HOME). */
function tildeFolder(): boolean {
  try {
    Deno.statSync(`${root}~`);
    return true;
  } catch {
    return false;
  }
}

Deno.test("an e2e test file passes, quietly, under a hostile caller environment", async () => {
  const tildeBefore = tildeFolder();
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(Deno.env.toObject())) {
    if (!/^(no_proxy|https?_proxy|all_proxy)$/i.test(name)) env[name] = value;
  }
  Object.assign(env, {
    DENO_DIR: await denoDir(),
    SSL_CERT_FILE: "/nonexistent/plexmcp-hygiene/ca.pem",
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    http_proxy: "http://127.0.0.1:9",
    HOME: "",
    NO_COLOR: "1",
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net=127.0.0.1",
      "--allow-run",
      TARGET,
    ],
    cwd: root,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out: Deno.CommandOutput;
  try {
    out = await within(
      child.output(),
      RUN_MS,
      `deno test ${TARGET} under the hostile environment to finish`,
    );
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    throw error;
  }
  const dec = new TextDecoder();
  const text = dec.decode(out.stdout) + dec.decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.match(text, /ok \| \d+ passed \| 0 failed/, text);
  assert.doesNotMatch(text, /legacy behavio/i, "no legacy-behaviour warnings");
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, "no stack traces");
  assert.doesNotMatch(text, /^error:|Uncaught|panicked/m, "no errors");
  if (!tildeBefore) {
    assert.ok(
      !tildeFolder(),
      "the run left a folder named ~ in the checkout (a child took HOME='' and wrote ~/… relative to the cwd)",
    );
  }
});
