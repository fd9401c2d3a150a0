import assert from "node:assert/strict";
import fc from "fast-check";
import { readable } from "./log.ts";
import { printable, printableLine } from "./printable.ts";

Deno.test("printable() shows escape sequences instead of letting a terminal run them", () => {
  // OSC 52 (clipboard write) ended by BEL, a screen clear, a bare CR.
  const osc52 = "Cabin\x1b]52;c;ZXZpbA==\x07";
  assert.equal(printable(osc52), "Cabin␛]52;c;ZXZpbA==␇");
  assert.equal(printable("\x1b[2J\x1b[Hhi"), "␛[2J␛[Hhi");
  assert.equal(printable("ok\rEVIL"), "ok␍EVIL");
  // C1 (CSI as one byte), DEL, bidi override, line separator.
  assert.equal(printable("a\x9b2Jb\x7f"), "a\\u{9b}2Jb␡");
  assert.equal(printable("x\u202Ey\u2028z"), "x\\u{202e}y\\u{2028}z");
  for (const s of [osc52, "\x1b[2J", "\x9b", "\u202e"]) {
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(printable(s), /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
  }
});

Deno.test("printable() keeps newline, tab and ordinary text, accents and emoji included", () => {
  const text = "Amélie (2001)\n\tLa Cité 🎬 — 東京";
  assert.equal(printable(text), text);
  assert.equal(printableLine("a\nb\tc"), "a␊b␉c");
});

Deno.test("readable() is printable() after CR LF becomes a newline, with one scan when there is nothing to show", () => {
  const pieces = ["a", "\r\n", "\r", "\n", "\t", "\x1b", "\u2028", "é", " "];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pieces), { maxLength: 8 }),
      (parts) => {
        const s = parts.join("");
        assert.equal(readable(s), printable(s.replaceAll("\r\n", "\n")));
      },
    ),
  );
  const plain = "nothing to show\n\there";
  assert.equal(readable(plain), plain);
});
