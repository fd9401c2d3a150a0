/**
 * The benchmark harness runs (tiny sizes, no timing assertions): keeps
 * `deno task bench` from rotting. Figures and targets live in the bench.
 */
import assert from "node:assert/strict";
import { noProxy } from "./helpers.ts";

async function bench(
  ...flags: string[]
): Promise<{ code: number; text: string; stderr: string }> {
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
    cwd: new URL("../", import.meta.url).pathname,
    // The benchmark fetches from the loopback fake itself: keep any proxy
    // of the caller's away from it.
    env: { NO_COLOR: "1", NO_PROXY: noProxy() },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("bench/run.ts --quick runs every section and reports targets", async () => {
  const { code, text, stderr } = await bench("--quick", "--no-write");
  assert.equal(code, 0, text + stderr);
  assert.match(text, /## Soak/);
  assert.match(text, /targets met \(quick run\)/);
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
