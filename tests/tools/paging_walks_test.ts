/**
 * Paging that a regression would break: for every tool that pages, a walk
 * over all pages sees each page once, ends with next_offset null, and makes
 * exactly the expected number of Plex requests for every page (no page
 * refetches the whole list, none is fetched twice, nothing extra is asked).
 */
import assert from "node:assert/strict";
import { ALL_TOOLS } from "../../src/tools/mod.ts";
import { DEFAULT_TOOLSETS } from "../../src/tools/shared/define_tool.ts";
import { connectStdio, textOf } from "../support/helpers.ts";
import { validArgs } from "../support/tool_args.ts";

/**
 * Plex requests one page costs, per paged tool (with the arguments of
 * tests/support/tool_args.ts): the page itself, plus what the tool must look up
 * first. A new paged tool must be added here.
 */
const REQUESTS_PER_PAGE: Record<string, number> = {
  search_media: 1, // /hubs/search
  browse_library: 4, // /library/sections (the library), its filter fields (includeMeta), its genre list, the page
  get_children: 1, // /library/metadata/{key}/children
  get_recently_added: 1, // /library/recentlyAdded
  get_on_deck: 1, // /library/onDeck
  list_collections: 2, // /library/sections, the page
  get_collection: 2, // the collection, its children page
  get_watch_history: 2, // /accounts (names), the history page
  list_playlists: 1, // /playlists
  get_playlist: 2, // /playlists (the name), the items page
};

Deno.test("every paged tool: last page has next_offset null, each page costs exactly the expected requests", async () => {
  // The tools a default server offers; opt-in tools page in their own
  // tests (get_watchlist: tests/tools/insights/watchlist_and_home_users_test.ts).
  const paged = ALL_TOOLS.filter((t) =>
    "offset" in t.input && DEFAULT_TOOLSETS.includes(t.toolset)
  );
  assert.deepEqual(
    paged.map((t) => t.name).sort(),
    Object.keys(REQUESTS_PER_PAGE).sort(),
    "every paged tool has its expected request count",
  );
  for (const tool of paged) {
    const { client, fake, close } = await connectStdio();
    try {
      const base = { ...validArgs(fake.library)[tool.name] };
      delete base.offset;
      delete base.limit;
      const limit = 2;
      let offset: number | null = 0;
      let pages = 0;
      let total = -1;
      let seen = 0;
      const perPage: number[] = [];
      while (offset !== null) {
        const before = fake.requests.length;
        const r = await client.callTool({
          name: tool.name,
          arguments: { ...base, offset, limit },
        });
        assert.notEqual(r.isError, true, `${tool.name}: ${textOf(r)}`);
        perPage.push(fake.requests.length - before);
        const s = r.structuredContent as {
          items?: unknown[];
          total: number;
          next_offset: number | null;
        };
        const items = s.items ?? [];
        if (total < 0) total = s.total;
        assert.equal(s.total, total, `${tool.name}: total stays the same`);
        seen += items.length;
        pages++;
        if (s.next_offset === null) {
          assert.equal(
            offset + items.length,
            total,
            `${tool.name}: the page with next_offset null is the last`,
          );
        } else {
          assert.equal(s.next_offset, offset + items.length);
          assert.equal(items.length, limit, `${tool.name}: full middle page`);
        }
        offset = s.next_offset;
        assert.ok(pages <= 100, `${tool.name}: too many pages`);
      }
      assert.equal(seen, total, `${tool.name}: every item once`);
      assert.equal(pages, Math.max(1, Math.ceil(total / limit)), tool.name);
      const expected = REQUESTS_PER_PAGE[tool.name]!;
      assert.ok(
        perPage.every((n) => n === expected),
        `${tool.name}: requests per page ${
          perPage.join(", ")
        }, expected ${expected} each`,
      );
    } finally {
      await close();
    }
  }
});
