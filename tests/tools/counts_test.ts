/**
 * Counts read as English: "(1 item)", "1 library", never "(1 items)"; in
 * what the tools answer on the demo library, and, so that a new tool does
 * not bring the old form back, in the tools' source.
 */
import assert from "node:assert/strict";
import { plural } from "../../src/tools/shared/format.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";

Deno.test("plural(): one is singular, the rest plural, irregular forms given", () => {
  assert.equal(plural(1, "item"), "1 item");
  assert.equal(plural(0, "item"), "0 items");
  assert.equal(plural(2, "item"), "2 items");
  assert.equal(plural(1, "library", "libraries"), "1 library");
  assert.equal(plural(3, "library", "libraries"), "3 libraries");
});

Deno.test("tool answers say (1 item), 1 player…, never a plural after 1", async () => {
  const { client, close } = await connectInMemory({ toolsets: undefined });
  try {
    const call = async (name: string, args: Record<string, unknown>) =>
      textOf(await client.callTool({ name, arguments: args }));
    // The demo's Cartoons library holds one comedy.
    const search = await call("search_media", { query: "comedy" });
    assert.match(search, /genre "Comedy" in \[4\] Cartoons \(1 item\)/);
    const created = await call("create_playlist", {
      title: "One",
      ratingKeys: ["1003"],
    });
    assert.match(created, /1 item\b/, created);
    const lists = await call("list_playlists", {});
    assert.match(lists, /"?One"? .*1 item\b/, lists);
    const texts = [search, created, lists];
    for (const text of texts) {
      assert.doesNotMatch(text, /\b1 (items|libraries|players|accounts)\b/);
    }
  } finally {
    await close();
  }
});

Deno.test("no tool writes a number straight before a plural noun: plural() does it", async () => {
  const root = new URL("../../src/tools/", import.meta.url);
  const offenders: string[] = [];
  const files: string[] = [];
  for await (const folder of Deno.readDir(root)) {
    if (!folder.isDirectory) continue;
    for await (const entry of Deno.readDir(new URL(folder.name, root))) {
      files.push(`${folder.name}/${entry.name}`);
    }
  }
  for (const name of files.sort()) {
    if (!name.endsWith(".ts") || name.endsWith("_test.ts")) {
      continue;
    }
    const entry = { name };
    const source = await Deno.readTextFile(new URL(name, root));
    source.split("\n").forEach((line, i) => {
      // `${n} items`, `${list.length} players`; constants (MAX_ITEMS) and
      // byte sizes are never 1 and may stay.
      for (
        const m of line.matchAll(
          /\$\{([^}]+)\}\)? (items|libraries|players|accounts|candidates|samples|activities|servers|plays|episodes|tracks|seasons)\b/g,
        )
      ) {
        if (/^[A-Z_]+$/.test(m[1]!.trim())) continue;
        // Not counts: a type name ("movie items"), and a cap that is
        // thousands ("Capped at 10000 plays").
        if (["resultType", "s.entries"].includes(m[1]!.trim())) continue;
        offenders.push(`${entry.name}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(offenders, []);
});
