/** Type-checks the README's TypeScript examples against the local module. */
import assert from "node:assert/strict";
import { within } from "./helpers.ts";

const root = new URL("../", import.meta.url);
const modUrl = new URL("src/mod.ts", root).href;

Deno.test("README library examples type-check against src/mod.ts", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const blocks = [
    ...readme.matchAll(/<!-- example: (\S+) -->\s*```ts\n([\s\S]*?)```/g),
  ];
  assert.ok(blocks.length >= 2, "README has marked examples");
  const dir = await Deno.makeTempDir({ prefix: "plexmcp-readme-" });
  try {
    for (const [, name, code] of blocks) {
      const file = `${dir}/${name}.ts`;
      await Deno.writeTextFile(
        file,
        code!.replaceAll('"jsr:@plexmcp/server"', JSON.stringify(modUrl)),
      );
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "check",
          "--quiet",
          "--config",
          new URL("deno.json", root).pathname,
          file,
        ],
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let out: Deno.CommandOutput;
      try {
        out = await within(
          child.output(),
          120_000,
          `deno check of the README example "${name}" to finish`,
        );
      } catch (error) {
        child.kill("SIGKILL");
        await child.status;
        throw error;
      }
      assert.equal(
        out.code,
        0,
        `README example "${name}" does not type-check:\n${
          new TextDecoder().decode(out.stderr)
        }`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
