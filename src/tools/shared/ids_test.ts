import assert from "node:assert/strict";
import { safeId, shown } from "./ids.ts";

Deno.test("safeId accepts Plex's ids and refuses path tricks", () => {
  for (
    const ok of [
      "1000",
      "d3m0c0ffee0000000000000000000000000000a1",
      "demo-living-room-tv",
      "b3a0e2c4-5d5e-4f00-9f2e-5f3b2a1c0d9e",
      "BackupDatabase",
      "com.plexapp.android",
    ]
  ) assert.equal(safeId(ok, "x"), ok);
  for (
    const bad of [
      "1/../../library/sections",
      "..",
      "1?X=1",
      "1#x",
      "a\r\nX-Evil: 1",
      "",
      " 1",
      "%2e%2e",
      "a".repeat(201),
    ]
  ) {
    assert.throws(
      () => safeId(bad, "playlist"),
      /playlist id that is not safe/,
    );
  }
});

Deno.test("shown() quotes a short prefix only", () => {
  assert.equal(shown("abc"), '"abc"');
  assert.equal(shown("x".repeat(1_000_000)).length, 63);
});
