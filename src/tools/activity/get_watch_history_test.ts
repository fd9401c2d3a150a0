import assert from "node:assert/strict";
import { parseSince } from "./get_watch_history.ts";

const NOW = Date.parse("2026-11-24T12:00:00Z");

Deno.test("parseSince takes ISO dates and times and spans up to 50 years", () => {
  assert.equal(parseSince("2026-11-01", NOW), Date.parse("2026-11-01") / 1000);
  assert.equal(
    parseSince("2026-11-24T10:00:00Z", NOW),
    Date.parse("2026-11-24T10:00:00Z") / 1000,
  );
  assert.equal(parseSince("30d", NOW), NOW / 1000 - 30 * 86_400);
  assert.equal(parseSince("12h", NOW), NOW / 1000 - 12 * 3600);
  assert.equal(parseSince(" 2W ", NOW), NOW / 1000 - 14 * 86_400);
  assert.equal(parseSince("2608w", NOW), NOW / 1000 - 2608 * 604_800);
});

Deno.test("parseSince refuses anything else, naming the accepted forms", () => {
  for (
    const bad of [
      "March 7",
      "0",
      "yesterday",
      "7 days",
      "2030-01-01",
      "1900-01-01",
      "99999999d",
      "2610w",
      "2026-13-45",
      "x".repeat(100_000),
    ]
  ) {
    assert.throws(
      () => parseSince(bad, NOW),
      (e: Error) => {
        assert.match(e.message, /use a date \(2025-01-31\), an ISO time/);
        assert.ok(e.message.length < 400, "quotes only a short prefix");
        return true;
      },
      bad.slice(0, 20),
    );
  }
});
