/**
 * The playlist writes take a playlist's id or its whole title only, never
 * a part of it: "Halloween" does not add to, remove from, reorder or edit
 * "Halloween Night", and nothing is sent. (Each of these tools taking a
 * partial name passed every other test.)
 */
import assert from "node:assert/strict";
import { connectInMemory, textOf } from "../support/helpers.ts";
import { validArgs } from "../support/tool_args.ts";

const TOOLS = [
  "add_to_playlist",
  "remove_from_playlist",
  "move_playlist_item",
  "edit_playlist",
];

Deno.test("add_to_playlist, remove_from_playlist, move_playlist_item and edit_playlist refuse a partial playlist name", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const args = validArgs(fake.library);
    const writes = () => fake.requests.filter((r) => r.method !== "GET");
    for (const name of TOOLS) {
      const r = await client.callTool({
        name,
        arguments: { ...args[name], playlist: "Halloween" },
      });
      assert.equal(r.isError, true, `${name}: ${textOf(r)}`);
      assert.match(
        textOf(r),
        /No playlist is named exactly "Halloween"; changes need the id or the full name\. Did you mean "Halloween Night" \(\d+\)\?/,
        name,
      );
    }
    assert.deepEqual(writes(), [], "nothing was sent");
    // The whole title, in any case, works for each (so the refusal above
    // was the name's doing).
    for (const name of TOOLS) {
      const r = await client.callTool({
        name,
        arguments: { ...args[name], playlist: " halloween NIGHT " },
      });
      assert.notEqual(r.isError, true, `${name}: ${textOf(r)}`);
    }
    assert.ok(writes().length >= TOOLS.length);
  } finally {
    await close();
  }
});
