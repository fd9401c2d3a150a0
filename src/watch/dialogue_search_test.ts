import assert from "node:assert/strict";
import { indexCues, searchCues } from "./dialogue_search.ts";
import { compileQuery } from "./dialogue_match.ts";

const cues = [
  "We should keep the",
  "lamp lit all night.",
  "[waves]",
  "Keep the lamp lit!",
]
  .map((text, i) => ({ startMs: i * 1000, endMs: i * 1000 + 900, text }));

Deno.test("searchCues finds a phrase broken over two cues at the first", () => {
  const hits = searchCues(
    indexCues(cues),
    compileQuery("keep the lamp lit", "phrase")!,
  );
  assert.deepEqual(hits, [{ index: 0, score: 1 }, { index: 3, score: 1 }]);
});

Deno.test("searchCues in words mode looks in one cue only", () => {
  const hits = searchCues(
    indexCues(cues),
    compileQuery("night lamp", "words")!,
  );
  assert.deepEqual(hits.map((h) => h.index), [1]);
});

Deno.test("searchCues drops matches under minScore", () => {
  const q = compileQuery("keep the lamb lit", "phrase")!;
  const near = searchCues(indexCues(cues), q, 0.9);
  assert.deepEqual(near.map((h) => h.score), [0.93, 0.93]);
  assert.equal(searchCues(indexCues(cues), q, 0.95).length, 0);
});
