/**
 * Search and browse the way real servers answer: sectionId is only a hint
 * for the order of search results, collections come back only when asked
 * for, and fields below a library's own level are addressed by level.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectStdio, TEST_TOKEN, textOf } from "../../support/helpers.ts";

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

/** Adds a plain movie at the end of the fake's items (after every other). */
function addMovie(fake: FakePlex, sectionId: number, title: string): string {
  const lib = fake.library;
  const section = lib.sections.get(sectionId)!;
  const ratingKey = String(lib.nextKey++);
  lib.items.set(ratingKey, {
    ratingKey,
    sectionId,
    parent: undefined,
    children: [],
    raw: {
      ratingKey,
      key: `/library/metadata/${ratingKey}`,
      type: "movie",
      title,
      year: 1950,
      addedAt: 1_700_000_000,
      librarySectionID: sectionId,
      librarySectionTitle: section.raw.title,
    },
  });
  section.items.push(ratingKey);
  return ratingKey;
}

Deno.test("search_media finds a named library's hits behind 100+ of other libraries'", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // 120 "Night" movies in Classic Movies, then one in Silent Films: in
    // Plex's movie hub the Silent Films hit comes after all of them.
    for (let n = 0; n < 120; n++) {
      addMovie(fake, 1, `Night Train ${String(n).padStart(3, "0")}`);
    }
    const owl = addMovie(fake, 2, "Night Owl");
    // Plex gives sectionId no favour within a hub: at 100 per hub it is cut.
    const hint = (await (await raw(
      fake,
      "/hubs/search?query=night&sectionId=2&limit=100",
    )).json()).MediaContainer.Hub as Any[];
    const movies = hint.find((h) => h.type === "movie");
    assert.equal(movies.Metadata.length, 100);
    assert.ok(!movies.Metadata.some((m: Any) => m.ratingKey === owl));
    assert.equal(hint[0].type, "movie", "the section's hubs come first");

    const r = await client.callTool({
      name: "search_media",
      arguments: { query: "night", library: "Silent Films" },
    });
    const s = r.structuredContent as Any;
    assert.equal(r.isError, undefined, textOf(r));
    assert.ok(
      s.items.some((i: Any) => i.ratingKey === owl),
      textOf(r),
    );
    assert.ok(
      s.items.every((i: Any) => fake.item(i.ratingKey)!.sectionId === 2),
    );
    assert.equal(s.total, s.items.length);
    assert.equal(s.more_available, false, "every hit was read");
    assert.doesNotMatch(textOf(r), /Plex has more matches/);
    // Without a library, 100 per hub is still what is asked, and the cut
    // is reported.
    const all = await client.callTool({
      name: "search_media",
      arguments: { query: "night", type: "movie" },
    });
    assert.equal((all.structuredContent as Any).more_available, true);
    assert.equal((all.structuredContent as Any).total, 100);
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
    assert.deepEqual([...shows].sort(), [
      "One Step Beyond",
      "Sherlock Holmes",
      "The Lantern Coast",
    ]);
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

Deno.test("browse_library sorts a non-primary type by its own field, level-prefixed", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // A bare sort for episodes is refused, as real servers would misread it.
    assert.equal(
      (await raw(fake, "/library/sections/3/all?type=4&sort=year:desc"))
        .status,
      400,
    );
    const r = await client.callTool({
      name: "browse_library",
      arguments: {
        library: "TV Shows",
        type: "episode",
        sort: "year_desc",
        limit: 100,
      },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const eps = (r.structuredContent as Any).items as Any[];
    assert.ok(eps.length > 3, textOf(r));
    assert.ok(eps.every((e) => e.type === "episode"));
    const years = eps.map((e) => e.year as number);
    assert.deepEqual(years, [...years].sort((a, b) => b - a));
    assert.ok(years[0]! > years.at(-1)!, "more than one year to sort");
    const sent = fake.requests.findLast((q) =>
      q.path.startsWith("/library/sections/3/all")
    )!;
    const q = new URL(sent.path, "http://x").searchParams;
    assert.equal(q.get("type"), "4");
    assert.equal(q.get("sort"), "episode.year:desc");
  } finally {
    await close();
  }
});

Deno.test("browse_library by numeric key asks Plex once; a wrong key still lists the valid libraries", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const before = fake.requests.length;
    const r = await client.callTool({
      name: "browse_library",
      arguments: { library: 1, limit: 3 },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const seen = fake.requests.slice(before).map((q) => q.path.split("?")[0]);
    assert.deepEqual(seen, ["/library/sections/1/all"]);
    const s = r.structuredContent as Any;
    assert.equal(s.library, "Classic Movies");
    assert.equal(s.items.length, 3);
    assert.match(textOf(r), /^Library \[1\] Classic Movies\n/);
    // The same page as through the lookup of the name.
    const byName = await client.callTool({
      name: "browse_library",
      arguments: { library: "Classic Movies", limit: 3 },
    });
    assert.deepEqual(byName.structuredContent, r.structuredContent);
    assert.equal(textOf(byName), textOf(r));

    // Plex's 404 for an unknown key: resolved by the list, which names the
    // valid choices.
    const wrong = await client.callTool({
      name: "browse_library",
      arguments: { library: "99" },
    });
    assert.equal(wrong.isError, true);
    assert.match(
      textOf(wrong),
      /No library matches "99". Valid choices: "Classic Movies" \(1\)/,
    );

    // A filter needs the library's kind: resolved through the list as before.
    const b2 = fake.requests.length;
    const filtered = await client.callTool({
      name: "browse_library",
      arguments: { library: "1", unwatched: true },
    });
    assert.equal(filtered.isError, undefined, textOf(filtered));
    assert.ok(
      fake.requests.slice(b2).some((q) =>
        q.path.split("?")[0] === "/library/sections"
      ),
    );
  } finally {
    await close();
  }
});
