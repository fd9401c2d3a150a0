/**
 * A secret where an answer is cut: text lines are cut at MAX_TEXT_LINE and
 * structured strings at MAX_STRUCTURED_STRING, and the boundary redacts
 * whole strings only. A cut through the token would leave its first
 * characters, which no later redaction recognises, so whatever is cut is
 * redacted first. Driven through the real stdio server.
 */
import assert from "node:assert/strict";
import { startFake, TEST_TOKEN } from "../support/helpers.ts";
import { RawServer } from "../support/raw_server.ts";
import { MAX_STRUCTURED_STRING, MAX_TEXT_LINE } from "../../src/log.ts";

Deno.test("a token that straddles the cut of a text line or a structured string leaves none of its characters", async () => {
  const { fake, served } = startFake();
  const movies = [...fake.library.items.values()].filter((i) =>
    i.raw.type === "movie"
  );
  const [inText, inStructured] = movies;
  assert.ok(inText && inStructured);
  // "Summary: " leads the summary's line in the text.
  const lead = "Summary: ".length;
  inText.raw.summary = "x".repeat(MAX_TEXT_LINE - lead - 6) + TEST_TOKEN;
  inStructured.raw.summary = "y".repeat(MAX_STRUCTURED_STRING - 6) +
    TEST_TOKEN;
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
  }, served.host);
  try {
    await s.initialize();
    let id = 10;
    for (const item of [inText, inStructured]) {
      const n = id++;
      await s.send({
        jsonrpc: "2.0",
        id: n,
        method: "tools/call",
        params: {
          name: "get_media_details",
          arguments: { ratingKey: item.ratingKey },
        },
      });
      const answer = JSON.stringify(await s.answer(n, 10_000));
      assert.ok(answer.includes("xxxxx") || answer.includes("yyyyy"), answer);
      // Even the token's first six characters are gone.
      assert.ok(
        !answer.includes(TEST_TOKEN.slice(0, 6)),
        `a piece of the token survived the cut: ${
          answer.slice(answer.indexOf(TEST_TOKEN.slice(0, 6)) - 20).slice(0, 80)
        }`,
      );
      // What was cut still says it was.
      assert.match(answer, /\[REDACTED\]|…/);
    }
  } finally {
    await s.dispose();
    await served.close();
  }
});
