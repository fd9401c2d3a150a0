/**
 * List views are trimmed as Plex trims them — two genres, directors,
 * writers and countries, three roles (the recorded `/all` answers) — so
 * get_recommendations reads the items it learns from, and its best
 * candidates, in full: a taste shared only through a tag the list view
 * leaves out still counts.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectInMemory, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const PER_USER = ["viewCount", "viewOffset", "lastViewedAt", "userRating"];

function item(fake: FakePlex, title: string) {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title) return i;
  }
  throw new Error(title);
}

Deno.test("the fake's list views trim tags as Plex's do; details keep them all", async () => {
  const { fake, close } = await connectInMemory();
  try {
    const r = await fake.handle(
      new Request("http://fake/library/sections/1/all", {
        headers: { "X-Plex-Token": "demo-token", Accept: "application/json" },
      }),
    );
    const listed = (await r.json()).MediaContainer.Metadata as Any[];
    for (const m of listed) {
      for (
        const [tag, keep] of [["Genre", 2], ["Director", 2], ["Writer", 2], [
          "Country",
          2,
        ], ["Role", 3]] as const
      ) {
        assert.ok((m[tag]?.length ?? 0) <= keep, `${m.title} ${tag}`);
      }
    }
    const rich = [...fake.library.items.values()].find((i) =>
      i.sectionId === 1 &&
      (i.raw.Genre as unknown[] | undefined ?? []).length > 2
    )!;
    assert.ok(rich, "a film with more than two genres");
    const shown = listed.find((m) => m.ratingKey === rich.ratingKey);
    assert.equal(shown.Genre.length, 2);
    assert.equal(
      fake.detailView(rich).Genre &&
        (fake.detailView(rich).Genre as unknown[]).length,
      (rich.raw.Genre as unknown[]).length,
    );
  } finally {
    await close();
  }
});

Deno.test("get_recommendations learns from tags a list view leaves out", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    for (const i of fake.library.items.values()) {
      for (const f of PER_USER) delete i.raw[f];
      if (typeof i.raw.leafCount === "number") i.raw.viewedLeafCount = 0;
    }
    const now = Math.floor(Date.now() / 1000);
    // Watched and loved: its third genre, which lists leave out, is rare.
    const loved = item(fake, "The General");
    loved.raw.Genre = [{ tag: "Loved One" }, { tag: "Loved Two" }, {
      tag: "Zeta Noir",
    }];
    loved.raw.Director = [{ tag: "Loved Director" }];
    loved.raw.Role = [{ tag: "Loved Actor" }];
    delete loved.raw.Collection;
    loved.raw.viewCount = 1;
    loved.raw.lastViewedAt = now - 86_400;
    loved.raw.userRating = 9;
    // A candidate that shares only that third genre.
    const match = item(fake, "Detour");
    match.raw.Genre = [{ tag: "Other One" }, { tag: "Other Two" }, {
      tag: "Zeta Noir",
    }];
    match.raw.Director = [{ tag: "Other Director" }];
    match.raw.Role = [{ tag: "Other Actor" }];
    delete match.raw.Collection;
    const r = await client.callTool({
      name: "get_recommendations",
      arguments: { type: "movie", count: 25 },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const picks = (r.structuredContent as Any).items as Any[];
    const detour = picks.find((p) => p.ratingKey === match.ratingKey);
    assert.ok(detour, picks.map((p) => p.title).join(", "));
    assert.ok(
      detour.reasons.includes("Zeta Noir: 1 film watched, rated 9/10"),
      detour.reasons,
    );
    // Read in full with one request per batch, not one per item.
    const reads = fake.requests.filter((q) =>
      /^\/library\/metadata\/[\d,]+$/.test(q.path)
    );
    assert.ok(reads.length >= 2 && reads.length <= 4, String(reads.length));
  } finally {
    await close();
  }
});
