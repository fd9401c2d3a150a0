import assert from "node:assert/strict";
import { checkChallenge, s256, verifyPkce } from "./pkce.ts";

Deno.test("s256(): RFC 7636 appendix B's example", async () => {
  assert.equal(
    await s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  );
});

Deno.test("verifyPkce(): the right verifier only; malformed verifiers never", async () => {
  const v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const c = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  assert.equal(await verifyPkce(v, c), true);
  assert.equal(await verifyPkce(v.slice(0, -1) + "l", c), false);
  assert.equal(await verifyPkce("short", await s256("short")), false);
  assert.equal(await verifyPkce(c, c), false, "plain: the challenge itself");
});

Deno.test("checkChallenge(): S256 with a 43-character challenge only", () => {
  const c = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  assert.equal(checkChallenge(c, "S256"), undefined);
  assert.match(checkChallenge(c, "plain")!, /S256/);
  assert.match(checkChallenge(c, null)!, /S256/);
  assert.match(checkChallenge(null, "S256")!, /required/);
  assert.match(checkChallenge("abc", "S256")!, /43/);
});
