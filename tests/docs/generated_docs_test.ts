import assert from "node:assert/strict";
import {
  dxtFromManifest,
  formatJson,
  manifestTools,
  normalizeMarkdown,
  updateManifest,
  withToolTable,
} from "../../docs/catalog.ts";
import { VERSION } from "../../src/version.ts";
import { connectInMemory } from "../support/helpers.ts";

const root = new URL("../../", import.meta.url);
const read = (name: string) => Deno.readTextFile(new URL(name, root));
const HINT = "run `deno task docs` and commit the result";

/** Every tool of the registry (some are offered with several servers only). */
async function registeredToolNames(): Promise<string[]> {
  const { ALL_TOOLS } = await import("../../src/tools/mod.ts");
  return ALL_TOOLS.map((t) => t.name).sort();
}

Deno.test("README tool table matches the registry", async () => {
  const readme = await read("README.md");
  assert.equal(
    normalizeMarkdown(readme),
    normalizeMarkdown(withToolTable(readme)),
    HINT,
  );
});

Deno.test("manifest.json and dxt_manifest.json match the registry and deno.json", async () => {
  const manifest = JSON.parse(await read("manifest.json"));
  assert.equal(
    await read("manifest.json"),
    formatJson(updateManifest(manifest)),
    HINT,
  );
  const dxt = JSON.parse(await read("dxt_manifest.json"));
  assert.equal(
    await read("dxt_manifest.json"),
    formatJson(dxtFromManifest(manifest)),
    HINT,
  );
  assert.equal(manifest.version, VERSION);
  assert.equal(dxt.version, VERSION);
});

Deno.test("every listed tool is registered and every registered tool is listed", async () => {
  const registered = await registeredToolNames();
  const manifest = JSON.parse(await read("manifest.json"));
  const dxt = JSON.parse(await read("dxt_manifest.json"));
  const readme = await read("README.md");
  const inReadme = [...readme.matchAll(/^\| `([a-z_]+)`\s+\|/gm)].map((m) =>
    m[1]!
  ).sort();
  const names = (list: { name: string }[]) => list.map((t) => t.name).sort();
  assert.deepEqual(names(manifest.tools), registered);
  assert.deepEqual(names(dxt.tools), registered);
  assert.deepEqual(inReadme, registered);
  assert.deepEqual(names(manifestTools()), registered);
});

Deno.test("README documents every configuration variable the server reads", async () => {
  const { CONFIG_VARIABLES } = await import("../../src/config/config.ts");
  const readme = await read("README.md");
  for (const name of CONFIG_VARIABLES) {
    assert.match(
      readme,
      new RegExp(`^\\| \`${name}\`\\s+\\|`, "m"),
      `${name} missing from the README table`,
    );
  }
});

Deno.test("src/tools/catalog/tools_index.json and tools_list.json (what tools/list sends) match the registry", async () => {
  const { toolsIndexJson, toolsListJson } = await import(
    "../../docs/tools_list.ts"
  );
  assert.equal(
    await read("src/tools/catalog/tools_index.json"),
    toolsIndexJson(),
    HINT,
  );
  assert.equal(
    await read("src/tools/catalog/tools_list.json"),
    toolsListJson(),
    HINT,
  );
});

Deno.test("tools/list sends exactly the registry's tools, converted from their schemas", async () => {
  const { ALL_TOOLS } = await import("../../src/tools/mod.ts");
  const { wireTool } = await import("../../src/tools/shared/wire.ts");
  const { client, close } = await connectInMemory();
  const { tools } = await client.listTools();
  await close();
  // One server: the tools for several servers are not offered.
  assert.deepEqual(
    tools,
    ALL_TOOLS.filter((t) => !t.severalServersOnly).map((t) =>
      JSON.parse(JSON.stringify(wireTool(t)))
    ),
  );
});
