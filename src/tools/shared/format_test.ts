import assert from "node:assert/strict";
import fc from "fast-check";
import { isoDate, isoTime } from "./format.ts";

/** What `isoTime` wrote before it did the arithmetic itself. */
const byDate = (s: number) =>
  new Date(s * 1000).toISOString().replace(".000Z", "Z");

Deno.test("isoTime writes what Date writes, by calendar arithmetic", () => {
  for (
    const s of [
      1,
      59,
      86_399,
      86_400,
      951_782_400, // 2000-02-29
      951_868_800, // 2000-03-01
      1_700_000_000,
      4_107_542_400, // 2100-03-01
      253_402_300_799, // 9999-12-31T23:59:59Z
    ]
  ) {
    assert.equal(isoTime(s), byDate(s), String(s));
  }
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 253_402_300_799 }), (s) => {
      assert.equal(isoTime(s), byDate(s));
    }),
    { numRuns: 20_000 },
  );
  // Outside whole seconds of four-digit years: as Date writes it.
  assert.equal(isoTime(1.5), byDate(1.5));
  assert.equal(isoTime(253_402_300_800), byDate(253_402_300_800));
  assert.equal(isoTime(0), undefined);
  assert.equal(isoTime(-5), undefined);
  assert.equal(isoTime(undefined), undefined);
  assert.equal(isoDate(1_700_000_000), "2023-11-14");
});
