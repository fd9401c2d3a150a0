import assert from "node:assert/strict";
import { clock, parsePosition } from "./time.ts";

Deno.test("parsePosition() reads clocks and unit forms, refuses the rest", () => {
  assert.equal(parsePosition("1:02:03"), 3_723_000);
  assert.equal(parsePosition("12:30"), 750_000);
  assert.equal(parsePosition("0:05.5"), 5_500);
  assert.equal(parsePosition("90s"), 90_000);
  assert.equal(parsePosition("45m"), 2_700_000);
  assert.equal(parsePosition("1h2m30s"), 3_750_000);
  assert.equal(parsePosition(" 2 min "), 120_000);
  for (
    const bad of ["", "abc", "1:60", "1:75:00", "-5s", "25h", "1:2:3:4", "h"]
  ) {
    assert.equal(parsePosition(bad), undefined, bad);
  }
});

Deno.test("clock() writes h:mm:ss or m:ss", () => {
  assert.equal(clock(3_723_000), "1:02:03");
  assert.equal(clock(750_000), "12:30");
  assert.equal(clock(0), "0:00");
});
