/** The run-time catalogue loads each tool with its toolset, and only that. */
import assert from "node:assert/strict";
import {
  definitionLoader,
  loadDefinition,
  TOOL_INDEX,
  type ToolsetModules,
} from "./runtime.ts";
import { ALL_TOOLS, TOOLSETS } from "./mod.ts";

Deno.test("loadDefinition() finds every tool of the index in its own toolset's module, as the registry defines it", async () => {
  const registry = new Map(ALL_TOOLS.map((t) => [t.name, t]));
  assert.equal(TOOL_INDEX.length, registry.size);
  for (const entry of TOOL_INDEX) {
    const definition = await loadDefinition(entry.name);
    assert.ok(definition, `${entry.name} loads`);
    assert.equal(definition, registry.get(entry.name));
    assert.equal(definition.toolset, entry.toolset, entry.name);
  }
  assert.equal(await loadDefinition("no_such_tool"), undefined);
  assert.equal(await loadDefinition("constructor"), undefined);
});

Deno.test("a tool's first call loads its own toolset once, and no other", async () => {
  const calls: string[] = [];
  const modules = Object.fromEntries(
    Object.keys(TOOLSETS).map((toolset) => [toolset, () => {
      calls.push(toolset);
      return Promise.resolve(
        ALL_TOOLS.filter((t) => t.toolset === toolset),
      );
    }]),
  ) as unknown as ToolsetModules;
  const load = definitionLoader(modules);
  assert.equal((await load("get_children"))?.name, "get_children");
  assert.equal((await load("browse_library"))?.name, "browse_library");
  await Promise.all([load("search_media"), load("get_media_details")]);
  assert.deepEqual(calls, ["library"]);
  assert.equal((await load("get_libraries"))?.name, "get_libraries");
  assert.deepEqual(calls, ["library", "server"]);
  assert.equal(await load("no_such_tool"), undefined);
  assert.deepEqual(calls, ["library", "server"]);
});
