import assert from "node:assert/strict";
import {
  allowedEdits,
  compileQuery,
  editDistance,
  matchScore,
  normalize,
  words,
} from "./dialogue_match.ts";

Deno.test("normalize folds accents, case and punctuation", () => {
  assert.equal(normalize("¿Dónde ESTÁ la lámpara?"), "donde esta la lampara");
  assert.equal(
    normalize("Café au lait, s'il vous plaît"),
    "cafe au lait sil vous plait",
  );
  assert.deepEqual(words("  ...  "), []);
});

Deno.test("editDistance stops early past its limit", () => {
  assert.equal(editDistance("lamp", "lamp", 1), 0);
  assert.equal(editDistance("gulls", "gull", 1), 1);
  assert.equal(editDistance("lighthouse", "tower", 2), 3);
  assert.equal(allowedEdits(3), 0);
  assert.equal(allowedEdits(5), 1);
  assert.equal(allowedEdits(9), 2);
});

Deno.test("a phrase matches consecutive words, near ones scored lower", () => {
  const q = compileQuery("the lamp never lies", "phrase")!;
  assert.equal(matchScore(q, words("The lamp never lies. Ever.")), 1);
  const near = matchScore(q, words("the lamp nevr lies"))!;
  assert.ok(near < 1 && near > 0.9, String(near));
  assert.equal(matchScore(q, words("the lamp always lies")), undefined);
  assert.equal(matchScore(q, words("lies never the lamp")), undefined);
  // short words must match exactly
  assert.equal(
    matchScore(compileQuery("cat", "phrase")!, words("cut")),
    undefined,
  );
});

Deno.test("words mode takes all words in any order", () => {
  const q = compileQuery("gulls cove", "words")!;
  assert.equal(matchScore(q, words("To the cove, follow the gulls")), 1);
  assert.equal(matchScore(q, words("follow the gulls")), undefined);
});

Deno.test("a phrase may run into the next cue but must start in this one", () => {
  const q = compileQuery("keep the lamp lit", "phrase")!;
  const target = [...words("You must keep the"), ...words("lamp lit tonight")];
  assert.equal(matchScore(q, target, 4), 1);
  assert.equal(
    matchScore(q, [...words("x"), ...words("keep the lamp lit")], 1),
    undefined,
  );
});
