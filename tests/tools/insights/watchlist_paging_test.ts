/**
 * Watchlist paging as python-plexapi sends it to Discover: container start
 * and size as headers (base.py:278-279). The fake Discover reads only
 * those and answers a short default page without them, so a long
 * watchlist shows whether get_watchlist pages and whether the "already on
 * it" checks of add_to_watchlist and remove_from_watchlist see every page.
 */
import assert from "node:assert/strict";
import { DISCOVER_DEFAULT_PAGE } from "../../../src/demo/fake_plextv/mod.ts";
import { connectInMemory, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a long watchlist: every page read, and the on-it checks see its last entries", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const tv = fake.plexTv;
    const list = tv.watchlists.get("demo-token")!;
    // 150 more titles, added before the demo's (the newest come first).
    for (let i = 0; i < 150; i++) {
      const id = (0xa000 + i).toString(16).padStart(24, "0");
      tv.catalog.push({
        id,
        type: "movie",
        title: `Filler Film No${i}x`,
        year: 1950 + (i % 40),
      });
      list.set(id, 1_000_000 + i);
    }
    const size = list.size;
    assert.ok(size > 100 + DISCOVER_DEFAULT_PAGE);

    // The last page of get_watchlist holds the oldest entries.
    const first = await call("get_watchlist", { limit: 100 });
    assert.equal(first.r.isError, undefined, first.text);
    assert.equal(first.s.total, size);
    const last = await call("get_watchlist", {
      offset: first.s.next_offset,
      limit: 100,
    });
    assert.equal(last.r.isError, undefined, last.text);
    const ids = [...first.s.items, ...last.s.items].map((i: Any) => i.id);
    assert.equal(new Set(ids).size, size, "every entry once");

    // The oldest filler is on page two of a 100-entry walk: still on it.
    const at = tv.requests.length;
    const again = await call("add_to_watchlist", { title: "Filler Film No0x" });
    assert.equal(again.r.isError, undefined, again.text);
    assert.match(again.text, /already on the watchlist; nothing changed/);
    assert.ok(
      !tv.requests.slice(at).some((q) => q.method === "PUT"),
      "nothing was sent",
    );
    const off = await call("remove_from_watchlist", {
      id: (0xa000).toString(16).padStart(24, "0"),
    });
    assert.equal(off.r.isError, undefined, off.text);
    assert.match(off.text, /^Took Filler Film No0x/);
    assert.equal(list.has((0xa000).toString(16).padStart(24, "0")), false);
  } finally {
    await close();
  }
});
