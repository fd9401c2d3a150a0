/**
 * The benchmark harness runs (tiny sizes, no timing assertions): keeps
 * `deno task bench` from rotting. Figures and targets live in the bench.
 */
import assert from "node:assert/strict";

Deno.test("bench/run.ts --quick runs every section and reports targets", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--allow-net=127.0.0.1",
      "--allow-run",
      "bench/run.ts",
      "--quick",
      "--no-write",
    ],
    cwd: new URL("../", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
  assert.match(text, /## Soak/);
  assert.match(text, /targets met \(quick run\)/);
});
