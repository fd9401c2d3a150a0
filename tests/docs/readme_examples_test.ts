/**
 * The README's TypeScript examples: each type-checks against the local
 * module, and the checkout example runs with the command line the README
 * gives for it, against the loopback fake.
 */
import assert from "node:assert/strict";
import { childEnv, startFake, TEST_TOKEN, within } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url);
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
        code!.replaceAll('"jsr:@plexmcp/server"', JSON.stringify(modUrl))
          .replaceAll('"./plexmcp/src/mod.ts"', JSON.stringify(modUrl)),
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

Deno.test("README checkout example runs as the README says: a file beside the checkout, deno run --config plexmcp/deno.json", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const m =
    /<!-- example: checkout -->\s*```ts\n([\s\S]*?)```\s*```sh\n([^\n]+)\n```/
      .exec(readme);
  assert.ok(m, "README has the checkout example and its command line");
  const [, code, line] = m;
  const file = /^\/\/ (\S+\.ts)\n/.exec(code!)?.[1];
  assert.ok(file, "the example names its file in its first line");
  const words = line!.trim().split(/\s+/);
  assert.equal(words[0], "deno");
  assert.ok(words.includes("--config"), "the checkout's deno.json is given");
  assert.equal(words.at(-1), file, "the command runs the example's file");

  const dir = await Deno.makeTempDir({ prefix: "plexmcp-lib-" });
  const { served } = startFake();
  try {
    // ./plexmcp is the checkout, as after `git clone … plexmcp`.
    await Deno.symlink(new URL(".", root).pathname, `${dir}/plexmcp`);
    await Deno.writeTextFile(`${dir}/${file}`, code!);
    const args = words.slice(1).map((w) =>
      w.startsWith("--allow-net=") ? `--allow-net=${served.host}` : w
    );
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: dir,
      env: childEnv({ PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN }),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = await within(child.output(), 120_000, `deno ${args.join(" ")}`);
    const dec = new TextDecoder();
    const stdout = dec.decode(out.stdout);
    assert.equal(out.code, 0, dec.decode(out.stderr));
    assert.match(stdout, /^1: Classic Movies \(movie\)$/m, stdout);
  } finally {
    await served.close();
    await Deno.remove(dir, { recursive: true });
  }
});
