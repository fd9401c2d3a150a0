/**
 * One set of V8 flags (src/config/v8_flags.ts, chosen by the V8 flags section of
 * `deno task bench`) in every way the server is documented to run: each
 * printed client configuration, the deno.json tasks that start, install
 * or compile it, and the README's commands.
 */
import assert from "node:assert/strict";
import {
  clientConfig,
  CLIENTS,
  type LaunchMode,
} from "../../src/commands/client_config.ts";
import { V8_FLAGS, V8_FLAGS_ARG } from "../../src/config/v8_flags.ts";

const root = new URL("../../", import.meta.url);

Deno.test("every printed deno configuration passes the shipped V8 flags", () => {
  assert.equal(V8_FLAGS_ARG, `--v8-flags=${V8_FLAGS}`);
  const modes: LaunchMode[] = [
    { kind: "jsr" },
    { kind: "checkout", path: "/home/me/plexmcp" },
  ];
  for (const client of CLIENTS) {
    for (const mode of modes) {
      const text = clientConfig(client, {
        mode,
        hosts: ["192.168.1.10:32400"],
        envFile: "/home/me/.config/plexmcp/plexmcp.env",
        deno: "/usr/bin/deno",
      });
      // JSON configurations list it as one argument; the command line as
      // one word.
      assert.ok(
        text.includes(`"${V8_FLAGS_ARG}"`) ||
          text.split(" ").includes(V8_FLAGS_ARG),
        `${client} (${mode.kind}) lacks ${V8_FLAGS_ARG}:\n${text}`,
      );
    }
  }
});

Deno.test("deno task start, install and compile pass the shipped V8 flags", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ) as { tasks: Record<string, string> };
  for (const task of ["start", "install", "compile"]) {
    const words = config.tasks[task]!.split(" ");
    assert.ok(
      words.includes(V8_FLAGS_ARG),
      `task ${task} lacks ${V8_FLAGS_ARG}: ${config.tasks[task]}`,
    );
    assert.equal(
      words.filter((w) => w.startsWith("--v8-flags")).length,
      1,
      `task ${task}: one --v8-flags`,
    );
  }
});

Deno.test("the README's commands pass the shipped V8 flags and no others", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const given = [...readme.matchAll(/--v8-flags=[^\s"`,]+(?:,--[^\s"`,]+)*/g)]
    .map((m) => m[0]);
  assert.ok(given.length > 0, "the README shows the flags");
  for (const flag of given) assert.equal(flag, V8_FLAGS_ARG);
});
