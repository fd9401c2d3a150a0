import assert from "node:assert/strict";
import { NAME, VERSION } from "../../src/version.ts";
import {
  connectInMemory,
  npmUnreachable,
  runCommand,
} from "../support/helpers.ts";

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

const root = new URL("../../", import.meta.url);
const readJson = async (name: string) =>
  JSON.parse(await Deno.readTextFile(new URL(name, root)));

Deno.test("manifest.json passes the official MCPB validator (npx @anthropic-ai/mcpb@2 validate)", async () => {
  const out = await npx(["@anthropic-ai/mcpb@2", "validate", "manifest.json"]);
  if (!out) return;
  assert.equal(out.code, 0, out.text);
  assert.match(out.text, /validation passes/i);
});

Deno.test("dxt_manifest.json passes the official DXT validator (npx @anthropic-ai/dxt validate)", async () => {
  const out = await npx(["@anthropic-ai/dxt", "validate", "dxt_manifest.json"]);
  if (!out) return;
  assert.equal(out.code, 0, out.text);
  assert.match(out.text, /valid/i);
  assert.doesNotMatch(out.text, /failed/i);
});

/**
 * What both bundle formats require, checked without npm: the keys each
 * format allows at the top (unknown keys are refused), the required ones,
 * and the shapes of server, tools, prompts and user_config (MCPB 0.3 and
 * DXT 0.1 as their validators state them).
 */
function checkBundleManifest(
  m: Record<string, unknown>,
  versionKey: "manifest_version" | "dxt_version",
): string[] {
  const problems: string[] = [];
  const allowed = new Set([
    versionKey,
    "$schema",
    "name",
    "display_name",
    "version",
    "description",
    "long_description",
    "author",
    "repository",
    "homepage",
    "documentation",
    "support",
    "icon",
    "screenshots",
    "server",
    "tools",
    "tools_generated",
    "prompts",
    "prompts_generated",
    "keywords",
    "license",
    "compatibility",
    "user_config",
  ]);
  for (const key of Object.keys(m)) {
    if (!allowed.has(key)) problems.push(`unknown key ${key}`);
  }
  for (
    const key of [
      versionKey,
      "name",
      "version",
      "description",
      "author",
      "server",
    ]
  ) {
    if (!(key in m)) problems.push(`missing ${key}`);
  }
  const author = m.author as { name?: unknown } | undefined;
  if (typeof author?.name !== "string") problems.push("author.name");
  const server = m.server as Record<string, unknown> | undefined;
  if (!["node", "python", "binary"].includes(String(server?.type))) {
    problems.push("server.type");
  }
  if (typeof server?.entry_point !== "string") {
    problems.push("server.entry_point");
  }
  const config = server?.mcp_config as { command?: unknown; env?: unknown };
  if (typeof config?.command !== "string") problems.push("mcp_config.command");
  for (const [k, v] of Object.entries(config?.env ?? {})) {
    if (typeof v !== "string") problems.push(`mcp_config.env.${k}`);
  }
  for (const list of ["tools", "prompts"] as const) {
    for (
      const t of (m[list] as
        | { name?: unknown; description?: unknown }[]
        | undefined) ?? []
    ) {
      if (typeof t.name !== "string" || typeof t.description !== "string") {
        problems.push(`${list} entry ${JSON.stringify(t).slice(0, 60)}`);
      }
    }
  }
  for (const [k, v] of Object.entries(m.user_config ?? {})) {
    const type = (v as { type?: string }).type;
    if (
      !["string", "number", "boolean", "directory", "file"].includes(
        String(type),
      )
    ) {
      problems.push(`user_config.${k}.type`);
    }
  }
  return problems;
}

Deno.test("both bundle manifests have the shape their formats require (offline check)", async () => {
  assert.deepEqual(
    checkBundleManifest(await readJson("manifest.json"), "manifest_version"),
    [],
  );
  assert.deepEqual(
    checkBundleManifest(await readJson("dxt_manifest.json"), "dxt_version"),
    [],
  );
  // The check itself refuses what the old dxt_manifest.json had wrong.
  assert.deepEqual(
    checkBundleManifest(
      {
        name: "x",
        version: "1",
        description: "d",
        author: "a",
        entry_point: "src/mod.ts",
      },
      "dxt_version",
    ),
    [
      "unknown key entry_point",
      "missing dxt_version",
      "missing server",
      "author.name",
      "server.type",
      "server.entry_point",
      "mcp_config.command",
    ],
  );
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
  const { CONFIG_VARIABLES } = await import("../../src/config/config.ts");
  for (const name of Object.keys(env)) {
    assert.ok(CONFIG_VARIABLES.includes(name));
  }
});

Deno.test("one version: deno.json, server info and both manifests agree (--version is checked in config_errors_test)", async () => {
  const denoJson = await readJson("deno.json");
  assert.equal(VERSION, denoJson.version);
  assert.equal(NAME, denoJson.name);
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
      "--platform",
      "linux",
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
    // Only the platform of the binary it holds.
    assert.deepEqual(packed.compatibility.platforms, ["linux"]);
    assert.equal(packed.server.entry_point, "server/plexmcp");
    assert.equal(packed.server.mcp_config.platform_overrides, undefined);
    assert.equal(packed.user_config.toolsets.default, "default");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the bundle declares only its binary's platform, read from the binary", async () => {
  const { binaryPlatform, packedManifest } = await import(
    "../../docs/bundle_manifest.ts"
  );
  const bytes = (hex: string) =>
    new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  assert.equal(binaryPlatform(bytes("7f454c46")), "linux");
  assert.equal(binaryPlatform(bytes("cffaedfe")), "darwin");
  assert.equal(binaryPlatform(bytes("cafebabe")), "darwin");
  assert.equal(binaryPlatform(bytes("4d5a9000")), "win32");
  assert.equal(
    binaryPlatform(new TextEncoder().encode("#!/bin/sh")),
    undefined,
  );

  const template = await readJson("manifest.json");
  assert.equal(
    template.compatibility?.platforms,
    undefined,
    "the template claims no platform: the bundle names the one it packs",
  );
  const win = packedManifest(template, "win32") as typeof template;
  assert.deepEqual(win.compatibility.platforms, ["win32"]);
  assert.equal(win.server.entry_point, "server/plexmcp.exe");
  assert.equal(
    win.server.mcp_config.command,
    "${__dirname}/server/plexmcp.exe",
  );
  assert.equal(win.server.mcp_config.platform_overrides, undefined);
  assert.deepEqual(win.server.mcp_config.env, template.server.mcp_config.env);
  const mac = packedManifest(template, "darwin") as typeof template;
  assert.deepEqual(mac.compatibility.platforms, ["darwin"]);
  assert.equal(mac.server.mcp_config.command, "${__dirname}/server/plexmcp");
  assert.deepEqual(
    checkBundleManifest(mac, "manifest_version"),
    [],
    "still a valid bundle manifest",
  );
});

Deno.test("both manifests default toolsets to default and name every toolset", async () => {
  const { TOOLSETS, DEFAULT_TOOLSETS } = await import(
    "../../src/tools/shared/define_tool.ts"
  );
  for (const file of ["manifest.json", "dxt_manifest.json"]) {
    const toolsets = (await readJson(file)).user_config.toolsets;
    assert.equal(toolsets.default, "default", file);
    for (const name of Object.keys(TOOLSETS)) {
      assert.match(toolsets.description, new RegExp(`\\b${name}\\b`), name);
    }
    assert.ok(DEFAULT_TOOLSETS.length < Object.keys(TOOLSETS).length);
  }
});
