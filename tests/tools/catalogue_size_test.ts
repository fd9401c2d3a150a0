/**
 * What the model pays for the catalogue, guarded: on average at most 600
 * bytes per tool of what clients show the model (name, title, description,
 * input schema, annotations) and 900 bytes of output schema for the
 * default tools/list; and nothing the model needs to pick a tool and page
 * was trimmed away, in any tool.
 */
import assert from "node:assert/strict";
import {
  MODEL_FACING_BUDGET,
  OUTPUT_SCHEMA_BUDGET,
  toolBytes,
} from "../../bench/catalogue.ts";
import { DEFAULT_TOOLSETS } from "../../src/tools/mod.ts";
import { connectInMemory } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("tools/list stays within its byte budgets per tool", async () => {
  // What a server offers when PLEX_TOOLSETS is unset: the default toolsets.
  // The opt-in ones (curation) are what a user turns
  // on knowingly, and are left out of the budget.
  const { client, close } = await connectInMemory({
    toolsets: [...DEFAULT_TOOLSETS],
  });
  try {
    const { tools } = await client.listTools();
    const bytes = tools.map((t) => toolBytes(t));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const model = avg(bytes.map((b) => b.modelFacing));
    const output = avg(bytes.map((b) => b.output));
    assert.ok(
      model <= MODEL_FACING_BUDGET,
      `model-facing ${model.toFixed(0)} bytes per tool`,
    );
    assert.ok(output <= OUTPUT_SCHEMA_BUDGET, `output ${output.toFixed(0)}`);
  } finally {
    await close();
  }
});

Deno.test("every tool still says how to page and where its ids come from", async () => {
  const { client, close } = await connectInMemory();
  try {
    const info = client.getInstructions() ?? "";
    assert.match(info, /ratingKey/, "instructions explain ratingKey once");
    assert.match(info, /offset\/limit/, "and paging once");
    const { tools } = await client.listTools();
    for (const t of tools) {
      const input = (t.inputSchema.properties ?? {}) as Record<string, Any>;
      const output = (t.outputSchema?.properties ?? {}) as Record<string, Any>;
      if ("offset" in input) {
        assert.match(t.description!, /paged/, `${t.name} says it pages`);
        assert.match(input.offset.description, /next_offset/, t.name);
        assert.ok("next_offset" in output, `${t.name} returns next_offset`);
      }
      const sources: [string, RegExp][] = [
        ["client", /list_clients/],
        ["account", /list_users/],
        ["playlistItemId", /playlistItemId/],
      ];
      for (const [arg, source] of sources) {
        if (arg in input) assert.match(t.description!, source, t.name);
      }
      if (t.name === "run_butler_task") {
        assert.match(t.description!, /list_butler_tasks/);
      }
      if ("library" in input) {
        assert.match(
          input.library.description,
          /[Kk]ey or title.*get_libraries/,
          t.name,
        );
      }
      // An item's ratingKey: where to get one, in the argument itself.
      if ("ratingKey" in input) {
        assert.match(
          input.ratingKey.description ?? "",
          /search|list|get_playlist/,
          `${t.name}: where its ratingKey comes from`,
        );
      }
      if ("ratingKeys" in input) {
        assert.match(
          input.ratingKeys.description ?? "",
          /search|list/,
          `${t.name}: where its ratingKeys come from`,
        );
      }
      // Lists hand back ratingKeys for the follow-up calls.
      const items = output.items?.items?.properties;
      if (items && t.name !== "list_toolsets") {
        assert.ok(
          "ratingKey" in items || t.name === "get_active_sessions" ||
            t.name === "get_watch_history",
          `${t.name} items carry ratingKey`,
        );
      }
    }
  } finally {
    await close();
  }
});
