/**
 * get_recommendations picks only what this viewer has not started: a film
 * in progress (a resume point, no play yet) and a show with some episodes
 * watched are started, not unwatched. (Counting either as unwatched passed
 * every other test.)
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectInMemory, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Forgets every watch and rating of the owner. */
function blank(fake: FakePlex): void {
  for (const item of fake.library.items.values()) {
    for (
      const f of [
        "viewCount",
        "viewOffset",
        "lastViewedAt",
        "userRating",
        "lastRatedAt",
      ]
    ) delete item.raw[f];
    if (typeof item.raw.leafCount === "number") item.raw.viewedLeafCount = 0;
  }
}

function item(fake: FakePlex, title: string) {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title) return i;
  }
  throw new Error(title);
}

Deno.test("get_recommendations leaves out a film in progress and a partly watched show", async () => {
  const { client, fake, close } = await connectInMemory({
    toolsets: ["insights"],
  });
  const picks = async () => {
    const r = await client.callTool({
      name: "get_recommendations",
      arguments: { count: 25 },
    });
    assert.equal(r.isError, undefined, textOf(r));
    return (r.structuredContent as Any).items.map((i: Any) => i.title);
  };
  try {
    blank(fake);
    const now = Math.floor(Date.now() / 1000);
    const general = item(fake, "The General");
    general.raw.viewCount = 1;
    general.raw.lastViewedAt = now - 86_400 * 2;
    general.raw.userRating = 9;
    // Unstarted, both are picked (Sherlock Jr. is Keaton's too).
    const before = await picks();
    assert.ok(before.includes("Sherlock Jr."), before.join(", "));
    assert.ok(before.includes("Flash Gordon"), before.join(", "));

    // Sherlock Jr. stopped 20 minutes in, never finished.
    const sherlock = item(fake, "Sherlock Jr.");
    sherlock.raw.viewOffset = 20 * 60_000;
    sherlock.raw.lastViewedAt = now - 3_600;
    // One episode of Flash Gordon watched, six to go.
    const flash = item(fake, "Flash Gordon");
    const episode = [...fake.library.items.values()].find((i) =>
      i.raw.type === "episode" && i.raw.grandparentRatingKey === flash.ratingKey
    )!;
    episode.raw.viewCount = 1;
    episode.raw.lastViewedAt = now - 7_200;
    flash.raw.viewedLeafCount = 1;
    const season = fake.library.items.get(String(episode.raw.parentRatingKey))!;
    season.raw.viewedLeafCount = 1;
    assert.ok((flash.raw.leafCount as number) > 1, "partly watched");

    const after = await picks();
    assert.ok(!after.includes("Sherlock Jr."), after.join(", "));
    assert.ok(!after.includes("Flash Gordon"), after.join(", "));
    assert.ok(after.length > 0, "other picks remain");
  } finally {
    await close();
  }
});
