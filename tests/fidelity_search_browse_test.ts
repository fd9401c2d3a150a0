/**
 * Search and browse the way real servers answer: sectionId is only a hint
 * for the order of search results, collections come back only when asked
 * for, and fields below a library's own level are addressed by level.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../src/demo/fake_plex.ts";
import { connectStdio, TEST_TOKEN, textOf } from "./helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

async function raw(fake: FakePlex, path: string): Promise<Response> {
  return await fake.fetch(`http://fake:32400${path}`, {
    headers: { "X-Plex-Token": TEST_TOKEN, Accept: "application/json" },
  });
}

Deno.test("search_media keeps only the named library's results (Plex's sectionId is a hint)", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // Plex itself answers with other libraries' hits too.
    const hubs = (await (await raw(
      fake,
      "/hubs/search?query=night&sectionId=3&includeCollections=1",
    )).json()).MediaContainer.Hub as Any[];
    const sections = hubs.flatMap((h) =>
      (h.Metadata ?? []).map((m: Any) => m.librarySectionID)
    );
    assert.ok(sections.includes(1) && sections.includes(3), String(sections));
    const r = await client.callTool({
      name: "search_media",
      arguments: { query: "night", library: "TV Shows" },
    });
    const items = (r.structuredContent as Any).items as Any[];
    assert.deepEqual(items.map((i) => i.title), ["Night of April 14th"]);
  } finally {
    await close();
  }
});

Deno.test("search_media asks for collections, which Plex sends only when asked", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const plain = (await (await raw(fake, "/hubs/search?query=horror"))
      .json()).MediaContainer.Hub as Any[];
    assert.ok(
      !plain.some((h) => h.type === "collection" && h.Metadata),
      "no collections unless asked",
    );
    const r = await client.callTool({
      name: "search_media",
      arguments: { query: "horror", type: "collection" },
    });
    assert.ok((r.structuredContent as Any).items.length > 0, textOf(r));
    assert.ok(
      fake.requests.some((q) =>
        q.path.startsWith("/hubs/search") &&
        q.path.includes("includeCollections=1")
      ),
    );
  } finally {
    await close();
  }
});

Deno.test("browse_library addresses fields below the library's level by level", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // A bare field for a non-primary type is refused, as real servers
    // would misread it.
    assert.equal(
      (await raw(fake, "/library/sections/3/all?type=4&year=1959")).status,
      400,
    );
    const byYear = await client.callTool({
      name: "browse_library",
      arguments: { library: "TV Shows", type: "episode", year: 1959 },
    });
    const eps = (byYear.structuredContent as Any).items as Any[];
    assert.ok(eps.length > 0, textOf(byYear));
    assert.ok(eps.every((e) => e.type === "episode" && e.year === 1959));
    assert.ok(
      fake.requests.some((q) => q.path.includes("episode.year=1959")),
    );
    // Genres live on shows: episodes of mystery shows.
    const mystery = await client.callTool({
      name: "browse_library",
      arguments: { library: "TV Shows", type: "episode", genre: "Mystery" },
    });
    const shows = new Set(
      ((mystery.structuredContent as Any).items as Any[]).map((e) =>
        e.grandparentTitle
      ),
    );
    assert.deepEqual([...shows].sort(), ["One Step Beyond", "Sherlock Holmes"]);
    // The library's own level keeps bare fields.
    const movies = await client.callTool({
      name: "browse_library",
      arguments: { library: "Classic Movies", year: 1968 },
    });
    assert.equal(movies.isError, undefined, textOf(movies));
  } finally {
    await close();
  }
});
