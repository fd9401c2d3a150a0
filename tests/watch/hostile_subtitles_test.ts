/**
 * Subtitle files as a hostile or broken server sends them: too big, with
 * thousands of cues, never ending, full of control characters, carrying
 * the token. The dialogue tools stay bounded, readable and secret-free.
 */
import assert from "node:assert/strict";
import { watchRig } from "./watch_rig.ts";
import { MAX_FILE_BYTES } from "../../src/watch/dialogue_source.ts";
import { MAX_CUE_CHARS } from "../../src/watch/subtitle_parse.ts";

/** Control characters, raw or as JSON escapes. */
const CONTROL =
  "[\\x00-\\x08\\x0b-\\x1f\\x7f\\u202a-\\u202e]|\\\\u001b|\\\\u0007";

function srt(count: number, text: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = i % 3600;
    const t = `${String(Math.floor(s / 60)).padStart(2, "0")}:${
      String(s % 60).padStart(2, "0")
    }`;
    out.push(`${i + 1}\n00:${t},000 --> 00:${t},900\n${text(i)}\n`);
  }
  return out.join("\n");
}

/** The subtitle entry of an episode's first sidecar. */
function sidecarOf(
  fake: {
    library: {
      subtitles?: Map<
        string,
        {
          partId: number;
          stream: Record<string, unknown>;
          body: string | undefined;
        }
      >;
    };
  },
  partOf: (partId: number) => boolean,
) {
  return [...fake.library.subtitles!.values()].find((s) =>
    s.stream.key && partOf(s.partId)
  )!;
}

function partIdOf(raw: Record<string, unknown>): number {
  const media = (raw.Media as Record<string, unknown>[])[0]!;
  return Number((media.Part as Record<string, unknown>[])[0]!.id);
}

Deno.test("a subtitle file over the per-file limit is named, not read", async () => {
  const rig = await watchRig();
  try {
    const ep = rig.fake.library.items.get(rig.episodes[1]!)!;
    const sub = sidecarOf(rig.fake, (p) => p === partIdOf(ep.raw));
    sub.body = srt(1, () => "x") + "\n" + "y".repeat(MAX_FILE_BYTES + 10);
    const r = await rig.call("find_dialogue", {
      ratingKey: rig.season,
      query: "strongbox",
    });
    assert.equal(r.isError, false, r.text);
    const why = r.data.no_text.find((n: { ratingKey: string }) =>
      n.ratingKey === ep.ratingKey
    );
    assert.match(why.reason, new RegExp(`larger than ${MAX_FILE_BYTES} bytes`));
    assert.ok(r.data.bytes_fetched < 9 * 1024 * 1024);
  } finally {
    await rig.close();
  }
});

Deno.test("a subtitle stream that never ends is cut off at the limit", async () => {
  let served = 0;
  const rig = await watchRig({}, (inner) => (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.startsWith("/library/streams/")) {
      return inner(input, init);
    }
    return Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            served += 65_536;
            controller.enqueue(
              new TextEncoder().encode(
                "1\n00:00:01,000 --> 00:00:02,000\nagain\n\n".repeat(1600),
              ),
            );
          },
        }),
        { status: 200, headers: { "content-type": "text/plain" } },
      ),
    );
  });
  try {
    const started = performance.now();
    const r = await rig.call("find_dialogue", {
      ratingKey: rig.episodes[0]!,
      query: "again",
    });
    assert.equal(r.isError, false, r.text);
    assert.match(r.data.no_text[0].reason, /larger than/);
    assert.ok(
      served < MAX_FILE_BYTES + 2 * 65_536 * 2,
      `${served} bytes pulled`,
    );
    assert.ok(performance.now() - started < 10_000);
  } finally {
    await rig.close();
  }
});

Deno.test("thousands of cues and control characters: bounded, printable answers", async () => {
  const rig = await watchRig();
  try {
    const ep = rig.fake.library.items.get(rig.episodes[2]!)!;
    const sub = sidecarOf(rig.fake, (p) => p === partIdOf(ep.raw));
    sub.body = srt(
      30_000,
      (i) =>
        i === 7
          ? "Evil \x1b]52;c;ZXZpbA==\x07line\x1b[2J with \u202eright-to-left\u202c and \x00 nul"
          : i === 9
          ? "long ".repeat(2000)
          : `ordinary line ${i}`,
    );
    const r = await rig.call("find_dialogue", {
      ratingKey: ep.ratingKey,
      query: "ordinary line",
      limit: 50,
    });
    assert.equal(r.isError, false, r.text);
    assert.equal(r.data.matches.length, 50);
    // At most DEFAULT_MAX_CUES (20,000) of the 30,000 cues are read.
    assert.ok(r.data.total_matches >= 19_000, String(r.data.total_matches));
    assert.ok(r.data.total_matches <= 20_000, String(r.data.total_matches));
    assert.ok(r.text.length < 20_000, `${r.text.length} characters`);
    const evil = await rig.call("find_dialogue", {
      ratingKey: ep.ratingKey,
      query: "evil line",
      match: "words",
    });
    const line = evil.data.matches[0].line as string;
    assert.doesNotMatch(
      JSON.stringify(evil.data) + evil.text,
      new RegExp(CONTROL),
    );
    assert.match(
      line,
      /^Evil ]52;c;ZXZpbA== line \[2J with right-to-left and nul$/,
    );
    const long = await rig.call("find_dialogue", {
      ratingKey: ep.ratingKey,
      query: "long long long",
    });
    assert.ok(long.data.matches[0].line.length <= MAX_CUE_CHARS);
  } finally {
    await rig.close();
  }
});

Deno.test("a token in subtitle text or metadata never reaches an answer", async () => {
  const rig = await watchRig();
  try {
    rig.fake.echoToken = true;
    const found = await rig.call("find_dialogue", {
      ratingKey: rig.episodes[0]!,
      query: "you came back",
    });
    const story = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[4]!,
    });
    assert.equal(found.isError, false, found.text);
    assert.equal(story.isError, false, story.text);
    // The fake put the token in the file's first cue and in summaries.
    assert.ok(rig.streamRequests().length >= 2);
    const all = JSON.stringify([found, story]);
    assert.ok(!all.includes("demo-token"), "the token leaked");
    assert.match(
      story.text,
      /0:01 /,
      "the planted cue was read (and redacted)",
    );
  } finally {
    await rig.close();
  }
});
