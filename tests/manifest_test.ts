import assert from "node:assert/strict";
import { VERSION } from "../src/version.ts";
import { connectInMemory, npmUnreachable, runCommand } from "./helpers.ts";

/** Runs `npx -y <args>` with a time limit, or says why npm cannot be used. */
async function npx(
  args: string[],
): Promise<{ code: number; text: string } | undefined> {
  const why = await npmUnreachable();
  if (why) {
    // deno-lint-ignore no-console
    console.log(`skipped (npm registry unreachable: ${why})`);
    return undefined;
  }
  const r = await runCommand("npx", ["-y", ...args], {
    cwd: root.pathname,
    timeoutMs: 180_000,
  });
  assert.ok(!r.timedOut, `npx ${args.join(" ")} took over 180 s: ${r.text}`);
  return r;
}

const root = new URL("../", import.meta.url);
const readJson = async (name: string) =>
  JSON.parse(await Deno.readTextFile(new URL(name, root)));

Deno.test("manifest.json passes the official MCPB validator (npx @anthropic-ai/mcpb@2 validate)", async () => {
  const out = await npx(["@anthropic-ai/mcpb@2", "validate", "manifest.json"]);
  if (!out) return;
  assert.equal(out.code, 0, out.text);
  assert.match(out.text, /validation passes/i);
});

Deno.test("manifest.json wires the binary and user_config the way the server reads it", async () => {
  const m = await readJson("manifest.json");
  assert.equal(m.manifest_version, "0.3");
  assert.equal(m.server.type, "binary");
  assert.equal(m.server.mcp_config.command, "${__dirname}/server/plexmcp");
  const env = m.server.mcp_config.env as Record<string, string>;
  for (const [name, value] of Object.entries(env)) {
    const key = /^\$\{user_config\.([a-z_]+)\}$/.exec(value)?.[1];
    assert.ok(key && m.user_config[key], `${name} maps to a user_config entry`);
  }
  assert.equal(m.user_config.plex_token.sensitive, true);
  const { CONFIG_VARIABLES } = await import("../src/config.ts");
  for (const name of Object.keys(env)) {
    assert.ok(CONFIG_VARIABLES.includes(name));
  }
});

Deno.test("one version: deno.json, server info and both manifests agree (--version is checked in config_cli_test)", async () => {
  const denoJson = await readJson("deno.json");
  assert.equal(VERSION, denoJson.version);
  assert.equal((await readJson("manifest.json")).version, VERSION);
  assert.equal((await readJson("dxt_manifest.json")).version, VERSION);
  const { client, close } = await connectInMemory();
  assert.equal(client.getServerVersion()?.version, VERSION);
  // The manifest lists exactly the registered prompts.
  const { prompts } = await client.listPrompts();
  assert.deepEqual(
    (await readJson("manifest.json")).prompts.map((p: { name: string }) =>
      p.name
    ).sort(),
    prompts.map((p) => p.name).sort(),
  );
  await close();
});

Deno.test("deno task bundle packs manifest, README and binary into an .mcpb (with a stand-in binary)", async () => {
  // The real binary cannot be built here (deno compile downloads its runtime);
  // a stand-in file checks the packing itself. Packing runs the official
  // CLI through npx.
  const why = await npmUnreachable();
  if (why) {
    // deno-lint-ignore no-console
    console.log(`skipped (npm registry unreachable: ${why})`);
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "plexmcp-bundle-" });
  try {
    const fake = `${dir}/plexmcp`;
    await Deno.writeTextFile(fake, "#!/bin/sh\nexit 0\n");
    const out = await runCommand(Deno.execPath(), [
      "run",
      "--allow-read",
      `--allow-write=${dir}`,
      "--allow-run=npx",
      "docs/bundle.ts",
      "--binary",
      fake,
      "--out",
      `${dir}/dist`,
    ], { cwd: root.pathname, timeoutMs: 180_000 });
    assert.ok(!out.timedOut, `deno task bundle took over 180 s: ${out.text}`);
    assert.equal(out.code, 0, out.text);
    const info = await npx([
      "@anthropic-ai/mcpb@2",
      "unpack",
      `${dir}/dist/plexmcp.mcpb`,
      `${dir}/unpacked`,
    ]);
    if (!info) return;
    assert.equal(info.code, 0, info.text);
    const packed = JSON.parse(
      await Deno.readTextFile(`${dir}/unpacked/manifest.json`),
    );
    assert.equal(packed.version, VERSION);
    assert.ok((await Deno.stat(`${dir}/unpacked/server/plexmcp`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
