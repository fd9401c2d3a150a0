import assert from "node:assert/strict";
import { redact, REDACTED } from "./redact.ts";

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
