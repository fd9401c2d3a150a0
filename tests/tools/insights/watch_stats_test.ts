/**
 * get_watch_stats end to end over stdio, on a crafted history: plays,
 * watch time, rankings, weekdays and hours in the asked time zone, per
 * account and library, completion; it reads only the pages the range
 * needs, says when its cap cut the range, and a non-admin token (a Plex
 * Home member's) gets the libraries' last plays, saying so.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import type { DemoHistory } from "../../../src/demo/library.ts";
import { MAX_PLAYS } from "../../../src/tools/shared/plays.ts";
import { DEMO_HOME_TOKENS } from "../../../src/demo/demo_home.ts";
import {
  connectInMemory,
  connectStdio,
  spawnServer,
  textOf,
} from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function key(fake: FakePlex, title: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title) return i.ratingKey;
  }
  throw new Error(title);
}

/** A Monday, 20:00 UTC, a week ago or so. */
function lastMonday(): number {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 7 - ((d.getUTCDay() + 6) % 7));
  d.setUTCHours(20, 0, 0, 0);
  return Math.floor(d.getTime() / 1000);
}

Deno.test("get_watch_stats tallies a crafted month of plays", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "insights",
  });
  try {
    const monday = lastMonday();
    const detour = key(fake, "Detour"); // 68 min
    const charade = key(fake, "Charade"); // 113 min, Cary Grant
    const friday = key(fake, "His Girl Friday"); // 92 min, Cary Grant
    const history: DemoHistory[] = [
      // Detour three times on Monday evening (owner), Charade once on
      // Tuesday (Alex), His Girl Friday on Monday at 21:00 (owner).
      { id: 1, ratingKey: detour, viewedAt: monday, accountID: 1, deviceID: 1 },
      {
        id: 2,
        ratingKey: detour,
        viewedAt: monday + 60,
        accountID: 1,
        deviceID: 1,
      },
      {
        id: 3,
        ratingKey: detour,
        viewedAt: monday + 120,
        accountID: 1,
        deviceID: 1,
      },
      {
        id: 4,
        ratingKey: friday,
        viewedAt: monday + 3600,
        accountID: 1,
        deviceID: 1,
      },
      {
        id: 5,
        ratingKey: charade,
        viewedAt: monday + 86_400,
        accountID: 2,
        deviceID: 2,
      },
      // Long ago: outside the 30 days.
      {
        id: 6,
        ratingKey: charade,
        viewedAt: monday - 86_400 * 90,
        accountID: 2,
        deviceID: 2,
      },
    ];
    fake.library.history = history.sort((a, b) => a.viewedAt - b.viewedAt);
    // The owner finished Detour; His Girl Friday is in progress (seed).
    fake.library.items.get(detour)!.raw.viewCount = 3;
    const r = await client.callTool({
      name: "get_watch_stats",
      arguments: { timezone: "UTC" },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const s = r.structuredContent as Any;
    assert.equal(s.source, "history");
    assert.equal(s.entries, 5);
    assert.equal(s.plays, 5);
    assert.equal(s.capped, false);
    assert.equal(s.watchMs, (3 * 68 + 113 + 92) * 60_000);
    assert.deepEqual(s.titles[0], {
      name: "Detour (1945)",
      plays: 3,
      watchMs: 3 * 68 * 60_000,
      ratingKey: detour,
    });
    assert.deepEqual(
      s.accounts.map((a: Any) => [a.name, a.plays]),
      [["demo-owner", 4], ["Alex", 1]],
    );
    assert.deepEqual(s.libraries.map((l: Any) => [l.name, l.plays]), [[
      "Classic Movies",
      5,
    ]]);
    // Detour is Crime/Film-Noir ×3; Cary Grant is in two of the films.
    assert.deepEqual(s.genres.slice(0, 2).map((g: Any) => [g.name, g.plays]), [
      ["Crime", 3],
      ["Film-Noir", 3],
    ]);
    const grant = s.people.find((p: Any) => p.name === "Cary Grant");
    assert.deepEqual([grant.plays, grant.role], [2, "actor"]);
    const ulmer = s.people.find((p: Any) => p.name === "Edgar G. Ulmer");
    assert.deepEqual([ulmer.plays, ulmer.role], [3, "director"]);
    assert.equal(s.weekdays[0].day, "Mon");
    assert.equal(s.weekdays[0].plays, 4);
    assert.equal(s.weekdays[1].plays, 1);
    assert.equal(s.hours[20].plays, 4);
    assert.equal(s.hours[21].plays, 1);
    // The owner's own films: Detour finished, His Girl Friday not.
    assert.deepEqual(s.completion, { started: 2, finished: 1, rate: 0.5 });
    const text = textOf(r);
    assert.match(
      text,
      /^5 plays from .* · 6h 49m watched · 50% of 2 started finished/,
    );
    assert.match(
      text,
      new RegExp(`Top titles: \\[${detour}\\] Detour \\(1945\\) 3`),
    );
    assert.match(text, /Busiest: Mon, 20:00 \(UTC\)/);

    // The same plays in another time zone fall on other hours.
    const tokyo = (await client.callTool({
      name: "get_watch_stats",
      arguments: { timezone: "Asia/Tokyo" },
    })).structuredContent as Any;
    assert.equal(tokyo.hours[5].plays, 4, "20:00 UTC is 05:00 in Tokyo");
    assert.equal(tokyo.weekdays[1].plays, 4, "on Tuesday");

    // One account, one library, a range given as dates.
    const alex = (await client.callTool({
      name: "get_watch_stats",
      arguments: { account: "Alex", since: "2000-01-01" },
    })).structuredContent as Any;
    assert.equal(alex.plays, 2);
    assert.equal(
      alex.completion,
      undefined,
      "another account's completion is not known",
    );
    const bad = await client.callTool({
      name: "get_watch_stats",
      arguments: { timezone: "Mars/Olympus" },
    });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /timezone "Mars\/Olympus" is not a time zone/);
    const swapped = await client.callTool({
      name: "get_watch_stats",
      arguments: { since: "2025-02-01", until: "2025-01-01" },
    });
    assert.match(textOf(swapped), /until is before since/);
  } finally {
    await close();
  }
});

Deno.test("get_watch_stats reads only the pages its range needs and says when the cap cut it", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "insights",
  });
  try {
    const now = Math.floor(Date.now() / 1000);
    const detour = key(fake, "Detour");
    const entry = (id: number, viewedAt: number): DemoHistory => ({
      id,
      ratingKey: detour,
      viewedAt,
      accountID: 1,
      deviceID: 1,
    });
    // 250 plays in the last 10 days, 2,000 before the range.
    const history: DemoHistory[] = [];
    for (let i = 0; i < 2_000; i++) {
      history.push(entry(i, now - 86_400 * 60 - i));
    }
    for (let i = 0; i < 250; i++) {
      history.push(entry(5_000 + i, now - i * 3000));
    }
    fake.library.history = history.sort((a, b) => a.viewedAt - b.viewedAt);
    const before = fake.requests.length;
    const r = await client.callTool({
      name: "get_watch_stats",
      arguments: { since: "30d" },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.plays, 250);
    assert.equal(s.capped, false);
    const pages = fake.requests.slice(before).filter((q) =>
      q.path.startsWith("/status/sessions/history/all")
    );
    assert.equal(pages.length, 3, "3 pages of 100 for 250 plays");
    assert.ok(
      pages.every((q) => /viewedAt%3E=\d+/.test(q.path)),
      pages[0]!.path,
    );

    // More plays in the range than the cap: the newest are counted, and
    // the answer says the range was cut.
    const many: DemoHistory[] = [];
    for (let i = 0; i < MAX_PLAYS + 30; i++) many.push(entry(i, now - i * 60));
    fake.library.history = many.sort((a, b) => a.viewedAt - b.viewedAt);
    const capped = await client.callTool({
      name: "get_watch_stats",
      arguments: { since: "30d" },
    });
    const c = capped.structuredContent as Any;
    assert.equal(c.capped, true);
    assert.equal(c.entries, MAX_PLAYS);
    assert.match(textOf(capped), new RegExp(`Capped at ${MAX_PLAYS} plays`));
  } finally {
    await close();
  }
});

Deno.test("get_watch_stats for a Home member, whose token may not read the history, counts last plays and says so", async () => {
  // Over stdio in demo mode (the demo's plex.tv answers in process): Alex
  // played five tracks and is halfway through Charade.
  const demo = await spawnServer({
    env: { DEV_MOCK_MODE: "true", PLEX_TOOLSETS: "insights" },
  });
  try {
    const r = await demo.client.callTool({
      name: "get_watch_stats",
      arguments: { since: "2020-01-01", user: "alex" },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const s = r.structuredContent as Any;
    assert.equal(s.source, "last_viewed");
    assert.equal(s.plays, 6);
    assert.deepEqual(s.accounts.map((a: Any) => [a.name, a.plays]), [[
      "Alex",
      6,
    ]]);
    assert.match(textOf(r), /^Viewer: Alex\n/);
    assert.match(
      textOf(r),
      /may not read the play history \(Plex answered 401\)/,
    );
  } finally {
    await demo.close();
  }

  // In process, to see the requests: the history was asked first, then
  // each library by its leaf type and level.
  const { client, fake, close } = await connectInMemory({
    toolsets: ["insights"],
  });
  try {
    const alex = fake.viewers.get(DEMO_HOME_TOKENS.alexServer)!;
    const now = Math.floor(Date.now() / 1000);
    const episode = [...fake.library.items.values()].find((i) =>
      i.raw.type === "episode"
    )!;
    alex.state.set(episode.ratingKey, { viewCount: 1, lastViewedAt: now - 60 });
    const seen = fake.requests.length;
    const r = await client.callTool({
      name: "get_watch_stats",
      arguments: { since: "7d", user: "Alex" },
    });
    const s = r.structuredContent as Any;
    assert.deepEqual(s.titles.map((t: Any) => t.ratingKey), [
      episode.ratingKey,
    ]);
    const paths = fake.requests.slice(seen).map((q) => q.path);
    assert.ok(
      paths.some((p) => p.startsWith("/status/sessions/history/all")),
      "the history was asked first",
    );
    assert.ok(
      paths.some((p) =>
        /\/library\/sections\/3\/all\?.*type=4.*episode\.lastViewedAt%3E%3E=\d+/
          .test(p)
      ),
      `a TV library asks for episodes by episode.lastViewedAt: ${
        paths.join(" ")
      }`,
    );
  } finally {
    await close();
  }
});
