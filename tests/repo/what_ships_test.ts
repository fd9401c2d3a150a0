/**
 * Help and docs that match what ships: `--help` lists every toolset and
 * every variable, the demo counts the tools a client gets by default and
 * ends by saying how to get the `plexmcp` command, and the README says
 * plainly what `deno task compile` downloads, with no notes about where the
 * project happens to be built.
 */
import assert from "node:assert/strict";
import { CONFIG_VARIABLES, loadConfig } from "../../src/config/config.ts";
import { TOOLSETS } from "../../src/tools/shared/define_tool.ts";
import { createServer } from "../../src/server.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { Client, InMemoryTransport } from "../support/sdk_client.ts";
import { runOnce, within } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url);

Deno.test("--help lists every toolset, every variable (PLEX_HTTP_* included) and --env-file", async () => {
  const r = await runOnce(["--help"], {});
  assert.equal(r.code, 0);
  const help = r.stdout;
  for (const toolset of Object.keys(TOOLSETS)) {
    assert.match(help, new RegExp(`^\\s+${toolset}\\s+\\S`, "m"), toolset);
  }
  for (const name of CONFIG_VARIABLES) {
    assert.match(help, new RegExp(`^\\s+${name}\\s`, "m"), name);
  }
  assert.match(help, /--env-file PATH/);
  assert.match(help, /^ {2}plexmcp <command>/m);
  assert.match(help, /wins over/);
});

/** How many tools a client gets with PLEX_TOOLSETS unset. */
async function defaultToolCount(): Promise<number> {
  const config = loadConfig({}, { demo: true });
  const fake = new FakePlex();
  const server = createServer({
    plex: new PlexClient({
      baseUrl: "http://fake:32400",
      token: "demo-token",
      fetch: fake.fetch,
    }),
    logger: new Logger({ write: () => {} }),
  }, { toolsets: config.toolsets, readOnly: config.readOnly });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "count", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  const { tools } = await client.listTools();
  await client.close();
  return tools.length;
}

Deno.test("the demo counts the tools a client gets by default, and ends with how to get plexmcp", async () => {
  const out = await within(
    new Deno.Command(Deno.execPath(), {
      args: ["task", "demo"],
      cwd: root.pathname,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output(),
    120_000,
    "deno task demo",
  );
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const shown = Number(
    /The server offers (\d+) tools by default/.exec(text)?.[1],
  );
  assert.equal(shown, await defaultToolCount());
  const listed = text.split("\n").filter((l) => /^ {2}- [a-z_]+/.test(l));
  assert.equal(listed.length, shown, "every tool counted is listed");
  const last = text.trim().split("\n").at(-1)!;
  assert.match(last, /deno task install/);
  assert.match(last, /`plexmcp login`/);
  assert.doesNotMatch(last, /deno run|jsr:/);
});

Deno.test("README: a clone command, what deno task compile downloads, no notes about build machines", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const quick = readme.slice(
    readme.indexOf("## Quick start"),
    readme.indexOf("\n## ", readme.indexOf("## Quick start") + 5),
  );
  assert.match(quick, /^git clone \S+ plexmcp && cd plexmcp$/m);
  assert.match(
    readme,
    /`deno task compile` downloads Deno's runtime[^.]*from dl\.deno\.land/,
  );
  assert.doesNotMatch(readme, /build machine/i);
  assert.doesNotMatch(readme, /\bhere\b[^.]*\bcannot be (fetched|reached)/i);
});
