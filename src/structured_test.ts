import assert from "node:assert/strict";
import { MAX_STRUCTURED_STRING } from "./log.ts";
import {
  boundStructured,
  cutNote,
  MAX_ARRAY_CHARS,
  MAX_STRUCTURED_ITEMS,
} from "./structured.ts";

Deno.test("boundStructured() keeps at most MAX_STRUCTURED_ITEMS entries of every array, at any depth, and counts the rest", () => {
  const value = {
    files: Array.from({ length: 5_000 }, (_, i) => ({ name: `f${i}` })),
    nested: { lists: [{ tags: Array.from({ length: 1_500 }, String) }] },
    short: [1, 2, 3],
  };
  const { value: out, cuts } = boundStructured(value);
  assert.equal(out.files.length, MAX_STRUCTURED_ITEMS);
  assert.equal(out.nested.lists[0]!.tags.length, MAX_STRUCTURED_ITEMS);
  assert.equal(out.short, value.short, "untouched arrays are not copied");
  assert.deepEqual(cuts, [
    { at: "files", kept: MAX_STRUCTURED_ITEMS, total: 5_000 },
    { at: "nested.lists[0].tags", kept: MAX_STRUCTURED_ITEMS, total: 1_500 },
  ]);
  assert.match(
    cutNote(cuts, false),
    /files lists 1,000 of 5,000 \(4,000 left out\), nested\.lists\[0\]\.tags lists 1,000 of 1,500 \(500 left out\)\. To see the rest, narrow the request/,
  );
});

Deno.test("boundStructured() bounds an array by size too, keeps the first entry, and cuts strings", () => {
  const long = "z".repeat(10_000);
  const rows = Array.from({ length: 200 }, () => ({ a: long, b: long }));
  const { value: out, cuts } = boundStructured({ rows });
  assert.ok(out.rows.length < 200);
  assert.ok(JSON.stringify(out).length <= MAX_ARRAY_CHARS + 10_000);
  assert.equal(out.rows[0]!.a.length, MAX_STRUCTURED_STRING + 1);
  assert.deepEqual(cuts, [{ at: "rows", kept: out.rows.length, total: 200 }]);
  // One entry over the budget on its own is still kept (its strings cut).
  const one = boundStructured({ rows: [{ x: Array(100).fill(long) }] });
  assert.equal(one.value.rows.length, 1);
  // An entry left out does not report the cuts inside it.
  const big = Array.from({ length: 50 }, () => "w".repeat(4_000));
  const inner = boundStructured({
    outer: [{ tags: big }, { tags: [...big, ...Array(2_000).fill("v")] }],
  });
  assert.deepEqual(inner.cuts, [{ at: "outer", kept: 1, total: 2 }]);
});

Deno.test("boundStructured() returns a value with nothing to change as it is", () => {
  const value = { items: [{ title: "Detour" }], total: 1, next: null };
  const { value: out, cuts } = boundStructured(value);
  assert.equal(out, value);
  assert.deepEqual(cuts, []);
});
