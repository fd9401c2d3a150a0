/**
 * get_recommendations end to end over stdio on crafted watch states: the
 * ranking follows directors, actors, genres and ratings with the reasons
 * said, Plex's related hubs count, filters hold, the answer is the same
 * every time, a cold start falls back to highly rated and recent and says
 * so; and the what_should_i_watch prompt points at it when it is offered.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { recommend } from "../../../src/tools/insights/recommend.ts";
import { connectStdio, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const PER_USER = [
  "viewCount",
  "viewOffset",
  "lastViewedAt",
  "userRating",
  "lastRatedAt",
];

/** Forgets every watch and rating of the owner. */
function blank(fake: FakePlex): void {
  for (const item of fake.library.items.values()) {
    for (const f of PER_USER) delete item.raw[f];
    if (typeof item.raw.leafCount === "number") item.raw.viewedLeafCount = 0;
  }
}

function item(fake: FakePlex, title: string) {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title) return i;
  }
  throw new Error(title);
}

Deno.test("get_recommendations ranks from a crafted history and says why", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "insights",
  });
  try {
    blank(fake);
    const now = Math.floor(Date.now() / 1000);
    // Buster Keaton: The General watched and rated 9/10, recently.
    const general = item(fake, "The General");
    general.raw.viewCount = 1;
    general.raw.lastViewedAt = now - 86_400 * 2;
    general.raw.userRating = 9;
    // Cary Grant twice: His Girl Friday watched, Charade rated 8.
    const friday = item(fake, "His Girl Friday");
    friday.raw.viewCount = 1;
    friday.raw.lastViewedAt = now - 86_400 * 40;
    // A horror film rated 2/10: its genre counts against.
    const plan9 = item(fake, "Plan 9 from Outer Space");
    plan9.raw.viewCount = 1;
    plan9.raw.userRating = 2;
    const r = await client.callTool({
      name: "get_recommendations",
      arguments: { type: "movie", count: 5 },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const s = r.structuredContent as Any;
    assert.equal(s.basis, "history");
    assert.equal(s.learnedFrom, 3);
    const titles = s.items.map((i: Any) => i.title);
    // Sherlock Jr. is Keaton's too, and Plex lists it as related.
    assert.equal(titles[0], "Sherlock Jr.");
    assert.ok(
      s.items[0].reasons.includes(
        "1 film by Buster Keaton watched, rated 9/10",
      ),
      s.items[0].reasons,
    );
    assert.ok(
      s.items[0].reasons.some((x: string) =>
        x === "Plex lists it as related to The General"
      ) || s.items[0].reasons.length === 3,
      s.items[0].reasons,
    );
    // Charade: Cary Grant and comedy/romance like His Girl Friday.
    const charade = s.items.find((i: Any) => i.title === "Charade");
    assert.ok(charade, titles.join());
    assert.ok(
      charade.reasons.some((x: string) => /Cary Grant/.test(x)),
      charade.reasons,
    );
    // Nothing watched or rated is recommended again.
    for (
      const t of ["The General", "His Girl Friday", "Plan 9 from Outer Space"]
    ) {
      assert.ok(!titles.includes(t), t);
    }
    // Night of the Living Dead is horror, which was rated low.
    const night = s.items.findIndex((i: Any) =>
      i.title === "Night of the Living Dead"
    );
    assert.ok(night === -1 || night > titles.indexOf("Charade"), titles.join());
    assert.ok(s.items.every((i: Any) => i.watched === false));
    const text = textOf(r);
    assert.match(text, /^From 3 watched or rated items:\n/);
    assert.match(
      text,
      new RegExp(
        `\\[${
          item(fake, "Sherlock Jr.").ratingKey
        }\\] Sherlock Jr\\. \\(1924\\) · movie · 45m · 1 film by Buster Keaton watched, rated 9/10`,
      ),
    );

    // Deterministic: the same data, the same answer.
    const again = await client.callTool({
      name: "get_recommendations",
      arguments: { type: "movie", count: 5 },
    });
    assert.deepEqual(again.structuredContent, r.structuredContent);

    // Filters: runtime, type, library.
    const short = (await client.callTool({
      name: "get_recommendations",
      arguments: { max_minutes: 75 },
    })).structuredContent as Any;
    assert.ok(short.items.length > 0);
    for (const i of short.items) {
      assert.ok(
        i.durationMs === undefined || i.durationMs <= 75 * 60_000,
        i.title,
      );
    }
    const shows = (await client.callTool({
      name: "get_recommendations",
      arguments: { type: "show" },
    })).structuredContent as Any;
    assert.ok(shows.items.every((i: Any) => i.type === "show"));
    const silents = (await client.callTool({
      name: "get_recommendations",
      arguments: { library: "Silent Films" },
    })).structuredContent as Any;
    assert.ok(silents.items.length > 0);
    assert.ok(
      silents.items.every((i: Any) =>
        fake.library.items.get(i.ratingKey)!.sectionId === 2
      ),
    );
    const music = await client.callTool({
      name: "get_recommendations",
      arguments: { library: "Music" },
    });
    assert.match(
      textOf(music),
      /Music is a music library: recommendations are for films and shows/,
    );
  } finally {
    await close();
  }
});

Deno.test("get_recommendations with nothing to learn from: highly rated and recently added, and says so", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "insights",
  });
  try {
    blank(fake);
    const now = Math.floor(Date.now() / 1000);
    // A film added yesterday.
    item(fake, "D.O.A.").raw.addedAt = now - 86_400;
    const r = await client.callTool({
      name: "get_recommendations",
      arguments: { type: "movie", count: 4 },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.basis, "cold_start");
    assert.equal(s.learnedFrom, 0);
    assert.match(
      textOf(r),
      /^No watch history or ratings to learn from yet: these are highly rated and recently added\./,
    );
    // Highest audience rating first (8.5, 8.5, 8.4…); the new one earns
    // its place with "added yesterday".
    const doa = s.items.find((i: Any) => i.title === "D.O.A.");
    assert.ok(doa, s.items.map((i: Any) => i.title).join());
    assert.ok(doa.reasons.includes("added yesterday"), doa.reasons);
    // The rest by rating, best first.
    const rest = s.items.filter((i: Any) => i.title !== "D.O.A.");
    assert.deepEqual(rest[0].reasons, ["rated 8.5/10"]);
    const ratings = rest.map((i: Any) =>
      Number(/rated ([\d.]+)/.exec(i.reasons[0])![1])
    );
    assert.deepEqual(ratings, [...ratings].sort((a, b) => b - a));
  } finally {
    await close();
  }
});

Deno.test("recommend() is a pure function of its input", () => {
  const base = {
    ratingKey: "1",
    type: "movie",
    title: "A",
    viewCount: 0,
    genres: ["Drama"],
    directors: ["D"],
    roles: [],
    collections: [],
  } as Any;
  const items = [
    { ...base, ratingKey: "1", title: "Seen", viewCount: 1, userRating: 10 },
    { ...base, ratingKey: "2", title: "Same director", genres: [] },
    { ...base, ratingKey: "3", title: "Same genre", directors: [] },
    {
      ...base,
      ratingKey: "4",
      title: "Nothing shared",
      genres: [],
      directors: [],
    },
  ];
  const input = {
    items,
    related: new Map(),
    accept: () => true,
    count: 10,
    now: 1_800_000_000,
  };
  const a = recommend(input);
  assert.deepEqual(a.picks.map((p) => p.item.title), [
    "Same director",
    "Same genre",
  ]);
  assert.deepEqual(a.picks[0]!.reasons, ["1 film by D watched, rated 10/10"]);
  assert.deepEqual(
    recommend({ ...input, items: [...items].reverse() }).picks.map(
      (p) => p.item.ratingKey,
    ),
    ["2", "3"],
  );
});

Deno.test("what_should_i_watch uses get_recommendations when it is offered, browse_library otherwise", async () => {
  for (
    const [toolsets, uses] of [["insights,library,activity", true], [
      "library,activity",
      false,
    ]] as const
  ) {
    const { client, close } = await connectStdio({ PLEX_TOOLSETS: toolsets });
    try {
      const p = await client.getPrompt({
        name: "what_should_i_watch",
        arguments: { time_available: "90 minutes" },
      });
      const text = (p.messages[0]!.content as { text: string }).text;
      assert.equal(/get_recommendations \(max_minutes/.test(text), uses, text);
      assert.match(text, /browse_library/);
    } finally {
      await close();
    }
  }
});
