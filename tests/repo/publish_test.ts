import assert from "node:assert/strict";
import { within } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Runs `deno <args>`, killed (and the test failed, naming it) after `ms`. */
async function run(
  args: string[],
  ms: number,
): Promise<{ code: number; text: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out: Deno.CommandOutput;
  try {
    out = await within(child.output(), ms, `deno ${args.join(" ")} to exit`);
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    throw error;
  }
  const dec = new TextDecoder();
  return {
    code: out.code,
    text: dec.decode(out.stdout) + dec.decode(out.stderr),
  };
}

Deno.test("deno publish --dry-run passes (no slow types, expected files only)", async () => {
  const r = await run(["publish", "--dry-run", "--allow-dirty"], 180_000);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /Dry run complete/);
  assert.match(r.text, /src\/mod\.ts/);
  assert.doesNotMatch(
    r.text,
    /_test\.ts|tests\/|docs\/|\.ci\//,
    "tests and tooling are not published",
  );
});

Deno.test("deno doc --lint src/mod.ts is clean (JSDoc on every export)", async () => {
  const r = await run(["doc", "--lint", "src/mod.ts"], 120_000);
  assert.equal(r.code, 0, r.text);
});
