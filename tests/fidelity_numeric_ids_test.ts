/**
 * Clients that parse JSON (the MCP Inspector CLI, other models) send ids as
 * numbers: `ratingKey: 1003`. Every tool that takes an id accepts both
 * forms, handlers see the same string, and the listed schemas say so.
 */
import assert from "node:assert/strict";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { connectStdio, textOf } from "./helpers.ts";
import { validArgs } from "./tool_args.ts";

/** Ids in `args` turned into numbers (titles turned into numeric ids first). */
function numeric(
  args: Record<string, unknown>,
  playlistKey: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const [k, v] of Object.entries(args)) {
    if (k === "ratingKey" || k === "playlistItemId") out[k] = Number(v);
    if (k === "ratingKeys") out[k] = (v as string[]).map(Number);
    if (k === "library") out[k] = 1;
    if (k === "playlist") out[k] = Number(playlistKey);
  }
  return out;
}

Deno.test("every tool that takes an id accepts it as a number", async () => {
  const takesIds = ALL_TOOLS.filter((t) =>
    ["ratingKey", "ratingKeys", "library", "playlist", "playlistItemId"].some(
      (k) => k in t.input,
    )
  );
  assert.ok(takesIds.length >= 15, `${takesIds.length} tools take ids`);
  const numericCalls: string[] = [];
  for (const tool of takesIds) {
    const { client, fake, close } = await connectStdio();
    try {
      const playlistKey = [...fake.library.playlists.keys()][0]!;
      const base = validArgs(fake.library)[tool.name]!;
      const args = numeric(base, playlistKey);
      if (
        !Object.values(args).some((v) =>
          typeof v === "number" ||
          (Array.isArray(v) && typeof v[0] === "number")
        )
      ) continue;
      numericCalls.push(tool.name);
      const r = await client.callTool({ name: tool.name, arguments: args });
      assert.notEqual(r.isError, true, `${tool.name}: ${textOf(r)}`);
    } finally {
      await close();
    }
  }
  assert.ok(numericCalls.includes("get_media_details"));
  assert.ok(numericCalls.includes("create_playlist"));
  assert.ok(numericCalls.includes("rate_media"));
});

Deno.test("numeric ids: the schema shows both forms, bad values still name the field", async () => {
  const { client, close } = await connectStdio();
  try {
    const { tools } = await client.listTools();
    const details = tools.find((t) => t.name === "get_media_details")!;
    assert.deepEqual(
      (details.inputSchema.properties as Record<string, { type: unknown }>)
        .ratingKey!.type,
      ["string", "integer"],
    );
    const rate = tools.find((t) => t.name === "rate_media")!;
    assert.equal(
      (rate.inputSchema.properties as Record<string, { type: unknown }>)
        .rating!.type,
      "number",
      "a plain number type for clients that convert arguments by it",
    );
    // -1 clears (Plex's own convention); null is still taken.
    for (const rating of [-1, null]) {
      const r = await client.callTool({
        name: "rate_media",
        arguments: { ratingKey: 1003, rating, confirm: true },
      });
      assert.equal(r.isError, undefined, textOf(r));
    }
    const half = await client.callTool({
      name: "rate_media",
      arguments: { ratingKey: 1003, rating: -0.5 },
    });
    assert.match(textOf(half), /must be 0-10, or -1 to clear/);
    for (const bad of [-1, 1.5, "12a", ""]) {
      const r = await client.callTool({
        name: "get_media_details",
        arguments: { ratingKey: bad },
      });
      assert.equal(r.isError, true);
      assert.match(
        textOf(r),
        /must be a numeric ratingKey such as 1003.* at ratingKey/s,
      );
    }
  } finally {
    await close();
  }
});
