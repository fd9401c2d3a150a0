/**
 * The wire schemas of every tool, prompt and resource template, as a client
 * sees them in tools/list: a change shows up as a snapshot diff to review.
 * Refresh with
 * `deno test --allow-all tests/tools/schema_snapshot_test.ts --update-snapshots`.
 */
import { connectInMemory } from "../support/helpers.ts";

Deno.test("tools/list, prompts/list and resource templates match the snapshot", async (t) => {
  const { client, close } = await connectInMemory();
  try {
    await t.assertSnapshot((await client.listTools()).tools);
    await t.assertSnapshot((await client.listPrompts()).prompts);
    await t.assertSnapshot(
      (await client.listResourceTemplates()).resourceTemplates,
    );
  } finally {
    await close();
  }
});
