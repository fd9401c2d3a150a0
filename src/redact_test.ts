import assert from "node:assert/strict";
import { redact, redactDeep, REDACTED } from "./redact.ts";

Deno.test("redact() removes known secrets, URL-encoded copies and token parameters", () => {
  const secret = "abc/def+ghi";
  assert.equal(redact(`x ${secret} y`, [secret]), `x ${REDACTED} y`);
  assert.equal(
    redact(`u?t=${encodeURIComponent(secret)}`, [secret]),
    `u?t=${REDACTED}`,
  );
  assert.equal(
    redact("http://h:32400/x?X-Plex-Token=zzzzzzzz&a=1"),
    `http://h:32400/x?X-Plex-Token=${REDACTED}&a=1`,
  );
  assert.equal(
    redact('{"authToken":"qwertyuiop"}'),
    `{"authToken":"${REDACTED}"}`,
  );
  assert.equal(redact("nothing here"), "nothing here");
});

Deno.test("redactDeep() redacts every string at any depth, keys included, and leaves clean values untouched", () => {
  const secret = "tok-SECRET-12345";
  const clean = { a: ["x", { b: "y" }], n: 1, t: true, z: null };
  assert.equal(redactDeep(clean, [secret]), clean, "same object back");
  const dirty = {
    title: `Film ${secret}`,
    nested: [{ url: `http://h/x?X-Plex-Token=${secret}` }, "ok"],
    [secret]: "key",
  };
  const out = redactDeep(dirty, [secret]);
  assert.ok(!JSON.stringify(out).includes(secret));
  assert.equal(out.title, `Film ${REDACTED}`);
  assert.equal(out.nested[1] as string, "ok");
  assert.ok(JSON.stringify(dirty).includes(secret), "input not mutated");
});
