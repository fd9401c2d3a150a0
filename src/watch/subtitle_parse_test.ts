import assert from "node:assert/strict";
import {
  cleanText,
  MAX_CUE_CHARS,
  parseSubtitles,
  parseTime,
  textFormat,
} from "./subtitle_parse.ts";

Deno.test("parseTime reads SRT, WebVTT and ASS times", () => {
  assert.equal(parseTime("00:01:02,345"), 62_345);
  assert.equal(parseTime("01:02.5"), 62_500);
  assert.equal(parseTime("1:00:00.25"), 3_600_250);
  assert.equal(parseTime("soon"), undefined);
});

Deno.test("an SRT file becomes plain cues, styling stripped", () => {
  const srt =
    "\ufeff1\r\n00:00:01,000 --> 00:00:03,000\r\n{\\an8}<i>Hello</i>\r\n" +
    '<font color="red">there</font>\r\n\r\n2\r\n00:00:04,000 --> 00:00:05,500\r\nSecond &amp; last\r\n';
  const { cues, droppedCues } = parseSubtitles(srt, "srt");
  assert.deepEqual(cues, [
    { startMs: 1000, endMs: 3000, text: "Hello there" },
    { startMs: 4000, endMs: 5500, text: "Second & last" },
  ]);
  assert.equal(droppedCues, 0);
});

Deno.test("a WebVTT file: header, NOTE and STYLE blocks, voices and timestamps", () => {
  const vtt = [
    "WEBVTT",
    "",
    "NOTE a note --> with an arrow",
    "",
    "STYLE",
    "::cue { color: yellow }",
    "",
    "intro",
    "00:01.000 --> 00:02.000 align:start",
    "<v Maren>Keep <00:01.500>the <c.loud>lamp</c> lit",
    "",
  ].join("\n");
  assert.deepEqual(parseSubtitles(vtt, "vtt").cues, [
    { startMs: 1000, endMs: 2000, text: "Keep the lamp lit" },
  ]);
});

Deno.test("an ASS file: Format order, commas in text, overrides, drawings, \\N", () => {
  const ass = [
    "[Script Info]",
    "Title: x",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,not shown",
    "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\i1}Later,{\\i0} then\\Nmore",
    "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,First{\\p1}m 0 0 l 100 0 100 100{\\p0}",
  ].join("\n");
  assert.deepEqual(parseSubtitles(ass, "ass").cues, [
    { startMs: 1000, endMs: 2500, text: "First" },
    { startMs: 5000, endMs: 6000, text: "Later, then more" },
  ]);
});

Deno.test("content wins over the declared format", () => {
  const srt = "1\n00:00:01,000 --> 00:00:02,000\nHi\n";
  assert.equal(parseSubtitles(srt, "ass").cues[0]?.text, "Hi");
});

Deno.test("control characters are removed and long cues cut", () => {
  assert.equal(
    cleanText("a\x1b]52;c;ZXZpbA==\x07b\u202ec"),
    "a ]52;c;ZXZpbA== b c",
  );
  assert.equal(cleanText("x".repeat(5000)).length, MAX_CUE_CHARS);
});

Deno.test("thousands of cues: at most maxCues kept, the rest counted", () => {
  const srt = Array.from(
    { length: 5000 },
    (_, i) =>
      `${i + 1}\n00:00:${
        String(i % 60).padStart(2, "0")
      },000 --> 00:00:59,000\nline ${i}\n`,
  ).join("\n");
  const { cues, droppedCues } = parseSubtitles(srt, "srt", 1000);
  assert.equal(cues.length, 1000);
  assert.equal(droppedCues, 4000);
});

Deno.test("garbage yields no cues and no error", () => {
  assert.deepEqual(parseSubtitles("\u0000\u0001 -->\n-->", "srt").cues, []);
  assert.deepEqual(parseSubtitles("[Events]\nDialogue: nope", "ass").cues, []);
});

Deno.test("textFormat knows text codecs and refuses image ones", () => {
  assert.equal(textFormat("subrip"), "srt");
  assert.equal(textFormat("WebVTT"), "vtt");
  assert.equal(textFormat("ssa"), "ass");
  assert.equal(textFormat("pgs"), undefined);
});
