/**
 * The watch toolset end to end against the fake Plex and fake plex.tv, in
 * process: markers in get_media_details (credits with and without a scene
 * after them), play_media's start after the intro / at a time / resume,
 * Plex's subtitle search, selection and download read back, where to
 * watch, and the playback diagnosis of the demo's transcoding session;
 * bad input gets specific errors, read-only mode hides set_subtitles, and
 * no token or control character reaches an answer.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function key(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(title);
}

function firstEpisode(fake: FakePlex): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.type === "episode") return i.ratingKey;
  }
  throw new Error("no episode");
}

async function withWatch(
  run: (
    call: (name: string, args?: Record<string, unknown>) => Promise<Any>,
    fake: FakePlex,
  ) => Promise<void>,
  readOnly = false,
) {
  const { client, fake, close } = await connectInMemory({
    toolsets: ["library", "playback", "watch"],
    readOnly,
  });
  try {
    await run(
      async (name, args = {}) =>
        await client.callTool({ name, arguments: args }),
      fake,
    );
  } finally {
    await close();
  }
}

const ok = (r: Any) => {
  assert.equal(r.isError, undefined, textOf(r));
  return r.structuredContent;
};

Deno.test("get_media_details shows markers and whether something follows the credits", async () => {
  await withWatch(async (call, fake) => {
    const charade = ok(
      await call("get_media_details", { ratingKey: key(fake, "Charade") }),
    );
    assert.equal(charade.creditsToEnd, false);
    assert.equal(charade.markers.length, 1);
    assert.equal(charade.markers[0].type, "credits");
    assert.match(
      textOf(
        await call("get_media_details", { ratingKey: key(fake, "Charade") }),
      ),
      /Markers: credits 1:4\d:\d\d–1:5\d:\d\d \(something follows the final credits\)/,
    );
    const detour = ok(
      await call("get_media_details", { ratingKey: key(fake, "Detour") }),
    );
    assert.equal(detour.creditsToEnd, true);
    const episode = ok(
      await call("get_media_details", { ratingKey: firstEpisode(fake) }),
    );
    assert.deepEqual(episode.markers.map((m: Any) => m.type), [
      "intro",
      "credits",
    ]);
    assert.equal(episode.markers[0].startMs, 45_000);
    // An item Plex has no markers for has none, and no verdict.
    const plain = ok(
      await call("get_media_details", { ratingKey: key(fake, "Nosferatu") }),
    );
    assert.equal(plain.markers, undefined);
    assert.equal(plain.creditsToEnd, undefined);
    // Markers were asked for as Plex documents it.
    assert.ok(
      fake.requests.some((r) => /includeMarkers=1/.test(r.path)),
      "includeMarkers=1 sent",
    );
  });
});

Deno.test("play_media starts after the intro, at a time, from the beginning or where it was left", async () => {
  await withWatch(async (call, fake) => {
    const episode = firstEpisode(fake);
    const tv = "Living Room TV";
    const after = ok(
      await call("play_media", {
        client: tv,
        ratingKey: episode,
        start: "after_intro",
      }),
    );
    assert.equal(after.offsetMs, 105_000);
    const at = ok(
      await call("play_media", { client: tv, ratingKey: episode, at: "2:30" }),
    );
    assert.equal(at.offsetMs, 150_000);
    const begin = ok(
      await call("play_media", {
        client: tv,
        ratingKey: key(fake, "Detour"),
        start: "beginning",
      }),
    );
    assert.equal(begin.offsetMs, 0);
    // The old argument still works.
    const old = ok(
      await call("play_media", {
        client: tv,
        ratingKey: episode,
        offset_seconds: 12,
      }),
    );
    assert.equal(old.offsetMs, 12_000);
    // The player got the offset.
    const offsets = fake.requests.filter((r) =>
      r.path.includes("playback/playMedia")
    ).map((r) => new URL(r.path, "http://x").searchParams.get("offset"));
    assert.deepEqual(offsets, ["105000", "150000", "0", "12000"]);

    const errors: [Record<string, unknown>, RegExp][] = [
      [
        { ratingKey: key(fake, "Nosferatu"), start: "after_intro" },
        /no intro marker for \[\d+\] Nosferatu/,
      ],
      [
        { ratingKey: key(fake, "Detour"), start: "resume" },
        /no saved position/,
      ],
      [{ ratingKey: episode, at: "soon" }, /at must be a time such as/],
      [{ ratingKey: episode, at: "9:00:00" }, /past its end/],
      [
        { ratingKey: episode, at: "1:00", start: "beginning" },
        /one of offset_seconds, at or start/,
      ],
    ];
    const sent = fake.requests.length;
    for (const [args, message] of errors) {
      const r = await call("play_media", { client: tv, ...args });
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(textOf(r), message);
    }
    assert.ok(
      !fake.requests.slice(sent).some((r) => r.method !== "GET"),
      "a refused start sends nothing to the player",
    );
  });
});

Deno.test("search_subtitles and set_subtitles: search, select, off, download, read back", async () => {
  await withWatch(async (call, fake) => {
    const charade = key(fake, "Charade");
    const found = ok(
      await call("search_subtitles", {
        ratingKey: charade,
        language: "en",
        hearing_impaired: "only",
      }),
    );
    assert.equal(found.results.length, 1);
    assert.equal(found.results[0].hearingImpaired, true);
    assert.deepEqual(found.existing.map((s: Any) => s.language), [
      "English",
      "French",
    ]);
    assert.ok(
      fake.requests.some((r) =>
        /\/subtitles\?language=en&hearingImpaired=2&forced=0$/.test(r.path)
      ),
    );

    // Select the English sidecar by language, then turn subtitles off.
    const en = ok(
      await call("set_subtitles", { ratingKey: charade, subtitle: "eng" }),
    );
    assert.equal(en.applied, true);
    assert.equal(en.selected.language, "English");
    // A two-letter code, as people type it, finds Plex's three-letter one.
    const fr = ok(
      await call("set_subtitles", { ratingKey: charade, subtitle: "fr" }),
    );
    assert.equal(fr.selected.language, "French");
    const off = ok(
      await call("set_subtitles", { ratingKey: charade, subtitle: "off" }),
    );
    assert.equal(off.applied, true);
    assert.equal(off.selected, undefined);
    assert.ok(
      fake.requests.some((r) =>
        r.method === "PUT" &&
        /^\/library\/parts\/\d+\?subtitleStreamID=0&allParts=1$/.test(r.path)
      ),
    );

    // Download a found one: a new stream, selected and read back.
    const detour = key(fake, "Detour");
    const search = ok(
      await call("search_subtitles", { ratingKey: detour, language: "fr" }),
    );
    assert.deepEqual(search.existing, []);
    const got = ok(
      await call("set_subtitles", {
        ratingKey: detour,
        download: search.results[0].key,
      }),
    );
    assert.equal(got.downloaded, true);
    assert.equal(got.applied, true);
    assert.equal(got.selected.language, "French");
    const details = ok(await call("get_media_details", { ratingKey: detour }));
    assert.ok(
      details.media[0].streams.some((s: Any) =>
        s.kind === "subtitle" && s.language === "French"
      ),
    );

    const errors: [string, Record<string, unknown>, RegExp][] = [
      ["set_subtitles", { ratingKey: charade }, /Give subtitle .* or download/],
      [
        "set_subtitles",
        { ratingKey: charade, subtitle: "klingon" },
        /No subtitle stream of this item matches "klingon"; it has/,
      ],
      [
        "set_subtitles",
        { ratingKey: detour, download: "/services/subtitles/demo/1-en-9" },
        /Plex refused to download that subtitle .*search_subtitles for this very item/,
      ],
      [
        "search_subtitles",
        { ratingKey: key(fake, "Flash Gordon", "show") },
        /is a show: subtitles belong to a movie or an episode/,
      ],
      ["search_subtitles", { ratingKey: charade, language: "english!" }, /ISO/],
      [
        "search_subtitles",
        { ratingKey: "999999" },
        /ratingKey 999999|404|no item/i,
      ],
    ];
    for (const [tool, args, message] of errors) {
      const r = await call(tool, args);
      assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)}`);
      assert.match(textOf(r), message);
    }
  });
});

Deno.test("set_subtitles says when Plex kept nothing", async () => {
  await withWatch(async (call, fake) => {
    fake.fault = "forget-writes";
    fake.faultFilter = (method, path) =>
      method === "PUT" && path.startsWith("/library/parts/");
    const r = await call("set_subtitles", {
      ratingKey: key(fake, "Charade"),
      subtitle: "eng",
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /the change did not take: it reads back .*French/);
    assert.equal(r.structuredContent.applied, false);
  });
});

Deno.test("read-only mode hides set_subtitles and keeps the watch readers", async () => {
  await withWatch(async (call) => {
    const r = await call("set_subtitles", { ratingKey: "1", subtitle: "off" });
    assert.equal(r.isError, true);
  }, true);
  const { client, close } = await connectInMemory({
    toolsets: ["watch"],
    readOnly: true,
  });
  try {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, [
      "diagnose_playback",
      "find_dialogue",
      "get_story_so_far",
      "search_subtitles",
      "where_to_watch",
    ]);
  } finally {
    await close();
  }
});

Deno.test("where_to_watch lists Discover's offers and the copies on the server", async () => {
  await withWatch(async (call, fake) => {
    const byKey = ok(
      await call("where_to_watch", { ratingKey: key(fake, "Charade") }),
    );
    assert.equal(byKey.servers.length, 1);
    assert.equal(byKey.servers[0].library, "Classic Movies");
    assert.match(byKey.servers[0].quality, /1080p h264 4200 kbps/);
    assert.ok(byKey.offers.length >= 1);
    for (const o of byKey.offers) assert.match(o.url, /^https:\/\//);
    const byTitle = ok(
      await call("where_to_watch", { title: "Metropolis" }),
    );
    assert.deepEqual(byTitle.servers, []);
    assert.match(
      textOf(await call("where_to_watch", { title: "Metropolis" })),
      /Not on your servers/,
    );
    assert.ok(
      fake.plexTv.requests.some((r) =>
        /^\/library\/metadata\/[0-9a-f]{24}\/availabilities/.test(r.path)
      ),
    );
    const both = await call("where_to_watch", {
      title: "Charade",
      ratingKey: key(fake, "Charade"),
    });
    assert.equal(both.isError, true);
    assert.match(textOf(both), /either ratingKey .* or title/);
  });
});

Deno.test("diagnose_playback explains the demo's transcoding session in plain words", async () => {
  await withWatch(async (call) => {
    const all = ok(await call("diagnose_playback"));
    assert.equal(all.total, 2);
    const charade = all.sessions.find((s: Any) => /Charade/.test(s.title));
    assert.equal(charade.playback, "transcode");
    const words = charade.reasons.join(" ");
    assert.match(words, /Subtitles are burned into the picture \(pgs/);
    assert.match(words, /scaled from 1080p to 720p/);
    assert.match(words, /remote \(wan\)/);
    assert.match(words, /0\.8× real time, slower than playback/);
    assert.match(words, /Hardware transcoding was asked for but is not used/);
    assert.ok(charade.fixes.some((f: string) => /set_subtitles/.test(f)));
    // The server's load, from /statistics/resources.
    assert.equal(typeof all.serverCpu, "number");
    const track = all.sessions.find((s: Any) => s !== charade);
    assert.equal(track.playback, "direct play");
    const one = ok(
      await call("diagnose_playback", { session: "bedroom roku" }),
    );
    assert.equal(one.total, 1);
    const none = await call("diagnose_playback", { session: "kitchen" });
    assert.equal(none.isError, true);
    assert.match(textOf(none), /No session matches "kitchen"; playing now: 41/);
  });
});

Deno.test("hostile answers: tokens in subtitle keys and titles are redacted, control characters shown, lists bounded", async () => {
  await withWatch(async (call, fake) => {
    fake.echoToken = true;
    const charade = fake.library.items.get(key(fake, "Charade"))!;
    charade.raw.title = "Charade\x1b]52;c;aGk=\x07";
    fake.library.sessions[0]!.title = charade.raw.title;
    // Every message is scanned for the token by connectInMemory.
    const found = await call("search_subtitles", {
      ratingKey: charade.ratingKey,
    });
    assert.equal(found.isError, undefined, textOf(found));
    assert.ok(found.structuredContent.results.length > 0);
    for (const tool of ["diagnose_playback", "get_media_details"]) {
      const r = await call(
        tool,
        tool === "diagnose_playback" ? {} : { ratingKey: charade.ratingKey },
      );
      assert.equal(r.isError, undefined, textOf(r));
      assert.ok(!textOf(r).includes("\x1b"), `${tool}: no raw ESC`);
      assert.match(textOf(r), /Charade␛\]52/);
    }
    fake.echoToken = false;
    // Bounded: 30 sessions, 10 diagnosed, the total told.
    const one = fake.library.sessions[0]!;
    fake.library.sessions = Array.from(
      { length: 30 },
      (_, i) => ({ ...one, sessionKey: String(100 + i) }),
    );
    const many = ok(await call("diagnose_playback"));
    assert.equal(many.total, 30);
    assert.equal(many.sessions.length, 10);
  });
});
