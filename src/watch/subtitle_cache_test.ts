import assert from "node:assert/strict";
import { SubtitleCache } from "./subtitle_cache.ts";
import { indexCues } from "./dialogue_search.ts";

const entry = (bytes: number) => ({
  indexed: indexCues([]),
  droppedCues: 0,
  bytes,
});

Deno.test("the subtitle cache forgets after its time", () => {
  let now = 0;
  const cache = new SubtitleCache(5_000, 1_000, () => now);
  cache.set("a", entry(10));
  assert.ok(cache.get("a"));
  now = 5_000;
  assert.equal(cache.get("a"), undefined);
  assert.equal(cache.bytes, 0);
});

Deno.test("the subtitle cache stays within its bytes, oldest out first", () => {
  const cache = new SubtitleCache(60_000, 100, () => 0);
  cache.set("a", entry(40));
  cache.set("b", entry(40));
  cache.set("c", entry(40));
  assert.equal(cache.get("a"), undefined);
  assert.ok(cache.get("b") && cache.get("c"));
  assert.equal(cache.bytes, 80);
  cache.set("huge", entry(101));
  assert.equal(cache.get("huge"), undefined);
});

Deno.test("a cache time of 0 keeps nothing", () => {
  const cache = new SubtitleCache(0);
  cache.set("a", entry(1));
  assert.equal(cache.size, 0);
});
