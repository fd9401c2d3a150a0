/**
 * get_story_so_far end to end: the earlier episodes' summaries in order and
 * the dialogue up to the position, never anything after it. Lines and a
 * summary planted after the position must not appear anywhere in the
 * answer, text or structured.
 */
import assert from "node:assert/strict";
import { watchRig } from "./watch_rig.ts";
import { connectInMemory } from "../support/helpers.ts";
import { LANTERN_COAST_PROGRESS_MS } from "../../src/demo/lantern_coast.ts";

const LATER_LINE = "PLANTED-AFTER-POSITION the lighthouse was never real";
const LATER_SUMMARY = "PLANTED-LATER-SUMMARY the keeper was the smuggler";
const OWN_SUMMARY = "PLANTED-OWN-SUMMARY what happens in this very episode";

/** Plants a cue just after `atMs` in episode `rk`'s SRT, and summaries. */
function plant(
  rig: Awaited<ReturnType<typeof watchRig>>,
  rk: string,
  atMs: number,
): void {
  const ep = rig.fake.library.items.get(rk)!;
  const media = (ep.raw.Media as Record<string, unknown>[])[0]!;
  const partId = Number((media.Part as Record<string, unknown>[])[0]!.id);
  const sub = [...rig.fake.library.subtitles!.values()].find((s) =>
    s.partId === partId && s.stream.key
  )!;
  const t = (ms: number) => {
    const s = Math.floor(ms / 1000);
    return `00:${String(Math.floor(s / 60)).padStart(2, "0")}:${
      String(s % 60).padStart(2, "0")
    },${String(ms % 1000).padStart(3, "0")}`;
  };
  sub.body += `\n901\n${t(atMs)} --> ${t(atMs + 2000)}\n${LATER_LINE}\n`;
  sub.body += `\n902\n${t(atMs + 60_000)} --> ${
    t(atMs + 62_000)
  }\n${LATER_LINE} again\n`;
  ep.raw.summary = OWN_SUMMARY;
  for (const later of rig.episodes.slice(rig.episodes.indexOf(rk) + 1)) {
    rig.fake.library.items.get(later)!.raw.summary = LATER_SUMMARY;
  }
}

function assertNoSpoilers(answer: { text: string; data: unknown }): void {
  const all = answer.text + JSON.stringify(answer.data);
  for (const planted of [LATER_LINE, LATER_SUMMARY, OWN_SUMMARY]) {
    assert.ok(!all.includes(planted.split(" ")[0]!), `${planted} leaked`);
  }
  // The demo's own later lines and episodes.
  assert.ok(!all.includes("my father is alive"), "a later line leaked");
  assert.ok(!all.includes("father is alive"), "a later summary leaked");
  assert.ok(!all.includes("What the Lamp Saw"), "a later episode leaked");
}

Deno.test("get_story_so_far at the user's progress: earlier summaries in order, dialogue before it only", async () => {
  const rig = await watchRig();
  try {
    plant(rig, rig.episodes[4]!, LANTERN_COAST_PROGRESS_MS + 1);
    const r = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[4]!,
    });
    assert.equal(r.isError, false, r.text);
    assert.equal(r.data.position, "11:00");
    assert.equal(r.data.position_from, "your progress");
    assert.deepEqual(
      r.data.earlier.map((e: { ratingKey: string }) => e.ratingKey),
      rig.episodes.slice(0, 4),
    );
    assert.match(r.data.earlier[0].summary, /^Maren Holt returns/);
    assert.ok(r.data.dialogue.length >= 5);
    assert.equal(r.data.dialogue[0].line, "Miss Holt. A word, if you please.");
    for (const d of r.data.dialogue) {
      const [m, s] = d.time.split(":").map(Number);
      assert.ok(m * 60 + s < 11 * 60, d.time);
      assert.doesNotMatch(d.line, /^\[/, "sounds are left out");
    }
    assert.equal(
      r.data.dialogue.at(-1).line,
      "Tobias, the crates. Half of them are gone.",
    );
    assertNoSpoilers(r);
    assert.ok(r.progress.length >= 2);
  } finally {
    await rig.close();
  }
});

Deno.test("get_story_so_far at a given position, sampled within its budget", async () => {
  const rig = await watchRig();
  try {
    plant(rig, rig.episodes[2]!, 300_000);
    const r = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[2]!,
      position_seconds: 300,
    });
    assert.equal(r.data.position_from, "given");
    assert.equal(r.data.earlier.length, 2);
    assertNoSpoilers(r);
    const all = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[9]!,
      position_seconds: 24 * 60,
      budget_chars: 200,
    });
    assert.equal(all.data.earlier.length, 9);
    const used = all.data.dialogue.reduce(
      (n: number, d: { line: string }) => n + d.line.length + 1,
      0,
    );
    assert.ok(used <= 200, String(used));
    assert.ok(all.data.dialogue.length < all.data.dialogue_lines_seen);
    assert.match(all.data.dialogue_note, /spread evenly/);
  } finally {
    await rig.close();
  }
});

Deno.test("get_story_so_far: not started, image-only subtitles, a film, bad input", async () => {
  const rig = await watchRig();
  try {
    const fresh = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[6]!,
    });
    assert.equal(fresh.data.position_from, "not started");
    assert.equal(fresh.data.dialogue.length, 0);
    assert.equal(fresh.data.earlier.length, 6);
    assert.equal(rig.streamRequests().length, 0, "nothing to read before 0:00");
    const image = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[5]!,
      position_seconds: 600,
    });
    assert.match(image.data.dialogue_note, /image subtitles \(pgs\)/);
    assert.equal(image.data.earlier.length, 5);
    const film = [...rig.fake.library.items.values()].find((i) =>
      i.raw.title === "His Girl Friday"
    )!;
    const movie = await rig.call("get_story_so_far", {
      ratingKey: film.ratingKey,
    });
    assert.equal(movie.data.position_from, "your progress");
    assert.equal(movie.data.earlier.length, 0);
    assert.match(movie.data.dialogue_note, /No subtitles/);
    const season = await rig.call("get_story_so_far", {
      ratingKey: rig.season,
    });
    assert.ok(season.isError);
    assert.match(season.text, /is a season .*takes a film or an episode/);
    const unknown = await rig.call("get_story_so_far", { ratingKey: "424242" });
    assert.ok(unknown.isError);
    assert.match(unknown.text, /424242/);
    const negative = await rig.call("get_story_so_far", {
      ratingKey: rig.episodes[0]!,
      position_seconds: -5,
    });
    assert.ok(negative.isError);
    assert.match(negative.text, /position_seconds/);
  } finally {
    await rig.close();
  }
});

Deno.test("what_did_i_miss points at get_story_so_far when it is offered", async () => {
  const on = await connectInMemory({ toolsets: ["library", "watch"] });
  try {
    const prompt = await on.client.getPrompt({
      name: "what_did_i_miss",
      arguments: { title: "The Lantern Coast", position: "23:10" },
    });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    assert.match(text, /"The Lantern Coast"/);
    assert.match(
      text,
      /get_story_so_far with its ratingKey and position_seconds/,
    );
    assert.match(text, /Nothing from after my position/);
  } finally {
    await on.close();
  }
  const off = await connectInMemory({ toolsets: ["library"] });
  try {
    const prompt = await off.client.getPrompt({ name: "what_did_i_miss" });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    assert.match(text, /watch toolset, which is off/);
    assert.match(text, /get_on_deck/);
  } finally {
    await off.close();
  }
});
