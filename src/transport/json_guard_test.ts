import assert from "node:assert/strict";
import { DEFAULT_JSON_LIMITS, jsonOverLimit } from "./json_guard.ts";

Deno.test("jsonOverLimit passes real answers and counts only outside strings", () => {
  const page = JSON.stringify({
    MediaContainer: {
      size: 2,
      Metadata: [{ title: 'a "quoted", [odd] {title}', Genre: [{ tag: "x" }] }],
    },
  });
  assert.equal(jsonOverLimit(page), undefined);
  assert.equal(
    jsonOverLimit('"[[[[[[[[[[[[[[[[[[[["', {
      ...DEFAULT_JSON_LIMITS,
      maxDepth: 2,
    }),
    undefined,
  );
});

Deno.test("jsonOverLimit refuses deep nesting, too many values and huge strings", () => {
  assert.match(
    jsonOverLimit("[".repeat(65) + "]".repeat(65))!,
    /deeper than 64/,
  );
  assert.match(
    jsonOverLimit("[" + "{},".repeat(1_000_001) + "{}]")!,
    /more than 1,000,000 values/,
  );
  assert.match(
    jsonOverLimit(JSON.stringify({ title: "x".repeat(1_048_577) }))!,
    /a string of more than 1,048,576 characters/,
  );
  assert.equal(
    jsonOverLimit(JSON.stringify({ title: "x".repeat(1_048_576) })),
    undefined,
  );
});

Deno.test("jsonOverLimit skips escaped quotes inside strings", () => {
  const text = JSON.stringify({ a: 'say \\"[[[[\\" ok' });
  assert.equal(
    jsonOverLimit(text, { ...DEFAULT_JSON_LIMITS, maxDepth: 1 }),
    undefined,
  );
});

Deno.test("jsonOverLimit() skips strings with escaped quotes and backslashes exactly", () => {
  const limits = { maxDepth: 2, maxValues: 100, maxStringLength: 6 };
  // Brackets inside strings do not count, whatever the escapes before the
  // closing quote.
  assert.equal(
    jsonOverLimit(String.raw`["[[\"", "\\", "a\\\"["]`, limits),
    undefined,
  );
  assert.match(
    jsonOverLimit(String.raw`["ab\"cdef"]`, limits) ?? "",
    /a string of more than 6/,
  );
  // An escaped backslash ends the string: the bracket after it counts.
  assert.match(
    jsonOverLimit(String.raw`["\\", [[1]]]`, limits) ?? "",
    /nesting deeper than 2/,
  );
  // An unterminated string is left to JSON.parse.
  assert.equal(jsonOverLimit(`["abc`, limits), undefined);
});

Deno.test("jsonOverLimit counts every element and member, not only containers: a flat array or object of millions of scalars is refused", () => {
  assert.match(
    jsonOverLimit("[" + "0,".repeat(1_000_000) + "0]")!,
    /more than 1,000,000 values/,
  );
  assert.match(
    jsonOverLimit(
      "{" + Array.from({ length: 1_000_001 }, (_, i) => `"k${i}":1`).join(",") +
        "}",
    )!,
    /more than 1,000,000 values/,
  );
  // Exactly: the array, then each element after the first.
  const limits = { maxDepth: 4, maxValues: 3, maxStringLength: 10 };
  assert.equal(jsonOverLimit("[1,2,3]", limits), undefined);
  assert.match(jsonOverLimit("[1,2,3,4]", limits)!, /more than 3 values/);
  assert.equal(jsonOverLimit('{"a":1,"b":2,"c":3}', limits), undefined);
  assert.match(
    jsonOverLimit('{"a":1,"b":2,"c":3,"d":4}', limits)!,
    /more than 3/,
  );
  // Commas inside strings are text, not separators.
  assert.equal(jsonOverLimit('["a,b,c,d,e"]', limits), undefined);
});
