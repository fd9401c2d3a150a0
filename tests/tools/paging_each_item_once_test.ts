/**
 * Paging through the list tools end to end over stdio against the
 * loopback fake Plex: every item appears once across all pages.
 */
import assert from "node:assert/strict";
import { type Any, ok, withServer } from "../support/tool_calls.ts";

Deno.test("paging: every item appears exactly once across all pages", async () => {
  await withServer(async (call) => {
    for (
      const [tool, args, limit] of [
        ["browse_library", { library: "TV Shows", type: "episode" }, 4],
        ["browse_library", { library: "Classic Movies" }, 3],
        ["get_recently_added", {}, 7],
        ["get_watch_history", {}, 2],
        ["search_media", { query: "e" }, 6],
      ] as const
    ) {
      const seen: string[] = [];
      let offset: number | null = 0;
      let total = -1;
      let pages = 0;
      while (offset !== null) {
        const r: Any = ok(await call(tool, { ...args, offset, limit }));
        total = r.total;
        seen.push(
          ...r.items.map((i: Any) =>
            JSON.stringify(
              i.item?.ratingKey ? [i.item.ratingKey, i.viewedAt] : i.ratingKey,
            )
          ),
        );
        assert.ok(r.items.length <= limit);
        offset = r.next_offset;
        assert.ok(++pages < 100);
      }
      assert.equal(seen.length, total, `${tool}: ${seen.length} of ${total}`);
      assert.equal(new Set(seen).size, seen.length, `${tool}: duplicates`);
      assert.ok(pages > 1, `${tool} needed several pages`);
    }
  });
});
