import assert from "node:assert/strict";
import { sampleEvenly } from "./sample.ts";

const cues = Array.from({ length: 100 }, (_, i) => ({
  startMs: i * 1000,
  endMs: i * 1000 + 500,
  text: `line number ${String(i).padStart(3, "0")}`,
}));

Deno.test("sampleEvenly keeps everything that fits", () => {
  assert.equal(sampleEvenly(cues.slice(0, 5), 10_000).cues.length, 5);
});

Deno.test("sampleEvenly spreads its picks from first to last within budget", () => {
  const { cues: picked, of } = sampleEvenly(cues, 400);
  assert.equal(of, 100);
  const used = picked.reduce((n, c) => n + c.text.length + 1, 0);
  assert.ok(used <= 400, String(used));
  assert.ok(picked.length >= 15, String(picked.length));
  assert.equal(picked[0], cues[0]);
  assert.ok(picked.at(-1)!.startMs >= 80_000, "reaches the end");
  for (let i = 1; i < picked.length; i++) {
    assert.ok(picked[i]!.startMs > picked[i - 1]!.startMs);
  }
});

Deno.test("sampleEvenly gives nothing when one cue is over the budget", () => {
  assert.deepEqual(
    sampleEvenly([{ startMs: 0, endMs: 1, text: "x".repeat(50) }], 10).cues,
    [],
  );
});
