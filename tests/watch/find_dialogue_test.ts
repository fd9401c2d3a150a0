/**
 * find_dialogue end to end over the demo's Lantern Coast: subtitle text
 * fetched through Plex's /library/streams, searched by meaning, bounded,
 * cached for the cache time, and honest about what it cannot read.
 */
import assert from "node:assert/strict";
import { watchRig } from "./watch_rig.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("find_dialogue finds a phrase across a season, with context, where to play and progress", async () => {
  const rig = await watchRig();
  try {
    const r = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "The lamp never lies",
    });
    assert.equal(r.isError, false, r.text);
    assert.equal(r.data.total_matches, 2);
    const [first, last] = r.data.matches;
    assert.equal(first.ratingKey, rig.episodes[0]);
    assert.equal(
      first.line,
      "The lamp never lies. That's what he used to say.",
    );
    assert.equal(first.score, 1);
    assert.equal(first.before.length, 1);
    assert.equal(first.after.length, 1);
    // The time the line starts, and play_media's offset a moment before.
    const [m, s] = first.time.split(":").map(Number);
    assert.ok(first.offset_seconds <= m * 60 + s);
    assert.ok(first.offset_seconds >= m * 60 + s - 3);
    assert.equal(last.ratingKey, rig.episodes[9]);
    assert.match(r.text, /play_media ratingKey \d+ offset_seconds \d+/);
    assert.equal(r.data.items_total, 10);
    assert.equal(r.data.items_searched, 10);
    assert.equal(r.data.next_item_offset, undefined);
    // The season, its episodes, then all ten in full in one request.
    const metadata = rig.fake.requests.filter((q) =>
      q.path.startsWith("/library/metadata/")
    ).map((q) => q.path.split("?")[0]);
    assert.deepEqual(metadata, [
      `/library/metadata/${rig.season}`,
      `/library/metadata/${rig.season}/children`,
      `/library/metadata/${rig.episodes.join(",")}`,
    ]);
    // Progress over the season: one per episode, then done.
    assert.ok(r.progress.length >= 10, `progress ${r.progress}`);
    assert.equal(r.progress.at(-1), 10);
  } finally {
    await rig.close();
  }
});

Deno.test("find_dialogue says which subtitles it cannot read, and why", async () => {
  const rig = await watchRig();
  try {
    const r = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "lamp",
      match: "words",
    });
    const why = Object.fromEntries(
      r.data.no_text.map((n: Any) => [n.ratingKey, n.reason]),
    );
    assert.match(why[rig.episodes[5]!], /image subtitles \(pgs\)/);
    assert.match(why[rig.episodes[7]!], /embedded in the video file/);
    assert.equal(Object.keys(why).length, 2);
    // Neither was asked of Plex as a file: there is none to ask for.
    const asked = rig.streamRequests().join(" ");
    const embedded = [...rig.fake.library.subtitles!.entries()]
      .filter(([, s]) => !s.stream.key).map(([id]) => id);
    assert.equal(embedded.length, 2);
    for (const id of embedded) {
      assert.ok(!asked.includes(`/library/streams/${id}.`), asked);
    }
    assert.equal(rig.streamRequests().length, 8, asked);
  } finally {
    await rig.close();
  }
});

Deno.test("find_dialogue ignores accents and case and takes near words, in SRT, WebVTT and ASS", async () => {
  const rig = await watchRig();
  try {
    const find = async (query: string, extra: Record<string, unknown> = {}) =>
      (await rig.call("find_dialogue", {
        ratingKey: rig.season,
        query,
        ...extra,
      })).data;
    const calderon = await find("CALDERON WANTS THE KEYS");
    assert.equal(
      calderon.matches[0].line,
      "Harbour master Calderón wants the keys by Friday.",
    );
    const gulls = await find("folow the gull");
    assert.equal(gulls.total_matches, 2);
    assert.ok(gulls.matches.every((m: Any) => m.score < 1 && m.score > 0.8));
    // WebVTT (episode 7): the voice tag is gone from the line.
    const fires = await find("fires on the headland");
    assert.equal(fires.matches[0].ratingKey, rig.episodes[6]);
    assert.equal(
      fires.matches[0].line,
      "There are fires on the headland. Three of them, in a row.",
    );
    // ASS (episode 9): override blocks and \N line breaks are gone.
    const scuttled = await find("scuttled her myself");
    assert.equal(scuttled.matches[0].ratingKey, rig.episodes[8]);
    assert.equal(
      scuttled.matches[0].line,
      "I scuttled her myself. The sea keeps secrets better than people.",
    );
    // A phrase split over two subtitles is found where it starts.
    const split = await find("used to say put the kettle", { match: "phrase" });
    assert.equal(split.total_matches, 0, "a sound sits between those lines");
    const spanish = (await rig.call("find_dialogue", {
      ratingKey: rig.episodes[0],
      query: "la lampara nunca miente",
      language: "es",
    })).data;
    assert.equal(
      spanish.matches[0].line,
      "La lámpara nunca miente. Eso decía siempre.",
    );
    const none = await find("submarine periscope");
    assert.equal(none.total_matches, 0);
  } finally {
    await rig.close();
  }
});

Deno.test("find_dialogue is bounded: matches over limit are counted, episodes past ten are paged", async () => {
  const rig = await watchRig();
  try {
    const many = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "the",
      match: "words",
      limit: 3,
    });
    assert.equal(many.data.matches.length, 3);
    assert.ok(many.data.total_matches > 20);
    assert.equal(many.data.left_out, many.data.total_matches - 3);
    assert.match(many.text, /more matches left out: raise limit/);
    // Twelve episodes in the season: ten read, the rest on the next call.
    const season = rig.fake.library.items.get(rig.season)!;
    season.children.push(rig.episodes[0]!, rig.episodes[1]!);
    const first = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "kettle",
    });
    assert.equal(first.data.items_total, 12);
    assert.equal(first.data.items_searched, 10);
    assert.equal(first.data.next_item_offset, 10);
    assert.match(first.text, /call again with item_offset 10/);
    const next = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "kettle",
      item_offset: 10,
    });
    assert.equal(next.data.items_searched, 2);
    assert.equal(next.data.total_matches, 1);
    assert.equal(next.data.next_item_offset, undefined);
  } finally {
    await rig.close();
  }
});

Deno.test("find_dialogue reads each file once within the cache time, and again without a cache", async () => {
  const cached = await watchRig({ cacheTtlMs: 60_000 });
  try {
    await cached.call("find_dialogue", {
      ratingKey: cached.season,
      query: "lamp",
    });
    const fetched = cached.streamRequests().length;
    assert.equal(fetched, 8);
    const again = await cached.call("find_dialogue", {
      ratingKey: cached.season,
      query: "gulls",
    });
    assert.equal(again.data.bytes_fetched, 0);
    assert.equal(cached.streamRequests().length, fetched);
  } finally {
    await cached.close();
  }
  const uncached = await watchRig({ cacheTtlMs: 0 });
  try {
    await uncached.call("find_dialogue", {
      ratingKey: uncached.season,
      query: "lamp",
    });
    const second = await uncached.call("find_dialogue", {
      ratingKey: uncached.season,
      query: "lamp",
    });
    assert.ok(second.data.bytes_fetched > 0);
    assert.equal(uncached.streamRequests().length, 16);
  } finally {
    await uncached.close();
  }
});

Deno.test("find_dialogue refuses bad input clearly", async () => {
  const rig = await watchRig();
  try {
    const unknown = await rig.call("find_dialogue", {
      ratingKey: "999999",
      query: "lamp",
    });
    assert.ok(unknown.isError);
    assert.match(unknown.text, /999999/);
    const empty = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "   ",
    });
    assert.ok(empty.isError);
    assert.match(empty.text, /query/);
    const symbols = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "?!…",
    });
    assert.ok(symbols.isError);
    assert.match(symbols.text, /no words/);
    const track = [...rig.fake.library.items.values()].find((i) =>
      i.raw.type === "track"
    )!;
    const music = await rig.call("find_dialogue", {
      ratingKey: track.ratingKey,
      query: "rag",
    });
    assert.ok(music.isError);
    assert.match(
      music.text,
      /is a track .*takes a film, an episode, a season or a show/,
    );
    const movie = [...rig.fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!;
    const paged = await rig.call("find_dialogue", {
      ratingKey: movie.ratingKey,
      query: "road",
      item_offset: 1,
    });
    assert.ok(paged.isError);
    assert.match(
      paged.text,
      /item_offset pages the episodes of a season or show; ratingKey \d+ is a movie/,
    );
    const past = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "lamp",
      item_offset: 40,
    });
    assert.ok(past.isError);
    assert.match(past.text, /past the last of 10 episodes/);
    // A film without subtitles: searched, nothing to read, said so.
    const plain = await rig.call("find_dialogue", {
      ratingKey: movie.ratingKey,
      query: "road",
    });
    assert.equal(plain.isError, false);
    assert.match(plain.data.no_text[0].reason, /no subtitles/);
  } finally {
    await rig.close();
  }
});
