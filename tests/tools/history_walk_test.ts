/**
 * The history walk stops at the first play before the range, also on a
 * server that ignores the `viewedAt>` filter and lists every play (the
 * fake applies the filter itself unless told not to, so a walk that read
 * on, or counted plays before the range, passed every other test).
 */
import assert from "node:assert/strict";
import type { DemoHistory } from "../../src/demo/library.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("with a server that ignores viewedAt>, stats stop at the first play before the range and history lists only the range", async () => {
  const { client, fake, close } = await connectInMemory({
    toolsets: ["activity", "insights"],
  });
  try {
    fake.historyIgnoresSince = true;
    const now = Math.floor(Date.now() / 1000);
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!.ratingKey;
    const entry = (id: number, viewedAt: number): DemoHistory => ({
      id,
      ratingKey: detour,
      viewedAt,
      accountID: 1,
      deviceID: 1,
    });
    // 250 plays in the last 10 days, 2,000 before the range.
    const history: DemoHistory[] = [];
    for (let i = 0; i < 2_000; i++) {
      history.push(entry(i, now - 86_400 * 60 - i));
    }
    for (let i = 0; i < 250; i++) {
      history.push(entry(5_000 + i, now - i * 3000));
    }
    fake.library.history = history.sort((a, b) => a.viewedAt - b.viewedAt);
    const historyReads = (from: number) =>
      fake.requests.slice(from).filter((q) =>
        q.path.startsWith("/status/sessions/history/all")
      ).length;

    let before = fake.requests.length;
    const stats = await client.callTool({
      name: "get_watch_stats",
      arguments: { since: "30d" },
    });
    assert.equal(stats.isError, undefined, textOf(stats));
    const s = stats.structuredContent as Any;
    assert.equal(s.plays, 250, "no play before the range is counted");
    assert.equal(s.capped, false);
    // Pages of 100: the third holds the first play before the range.
    assert.equal(historyReads(before), 3, "the walk stopped there");

    // The history page itself: the range's last page ends the list.
    before = fake.requests.length;
    const last = await client.callTool({
      name: "get_watch_history",
      arguments: { since: "30d", offset: 200, limit: 100 },
    });
    assert.equal(last.isError, undefined, textOf(last));
    const h = last.structuredContent as Any;
    assert.equal(h.items.length, 50);
    assert.equal(h.total, 250);
    assert.equal(h.next_offset, null);
    assert.ok(
      h.items.every((e: Any) =>
        Date.parse(e.viewedAt) / 1000 >= now - 86_400 * 30
      ),
    );
    assert.equal(historyReads(before), 1);
    const first = await client.callTool({
      name: "get_watch_history",
      arguments: { since: "30d", limit: 100 },
    });
    const f = first.structuredContent as Any;
    assert.equal(f.items.length, 100);
    assert.equal(f.next_offset, 100, "more of the range follows");
  } finally {
    await close();
  }
});
