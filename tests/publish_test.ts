import assert from "node:assert/strict";

const root = new URL("../", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    text: dec.decode(out.stdout) + dec.decode(out.stderr),
  };
}

Deno.test("deno publish --dry-run passes (no slow types, expected files only)", async () => {
  const r = await run(["publish", "--dry-run", "--allow-dirty"]);
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
  const r = await run(["doc", "--lint", "src/mod.ts"]);
  assert.equal(r.code, 0, r.text);
});
