/** The token never leaves: log notifications, Plex error echoes, URLs. */
import assert from "node:assert/strict";
import { redact } from "../../src/redact.ts";
import {
  scanForSecrets,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";
import { LoggingMessageNotificationSchema } from "../support/sdk_client.ts";

Deno.test("the secret scanner catches a planted token", () => {
  assert.throws(
    () => scanForSecrets(`x ${TEST_TOKEN} y`, "test"),
    /secret leaked into test/,
  );
  scanForSecrets("nothing secret here", "test");
});

Deno.test("MCP log notifications, errors and stderr carry no token, even when Plex echoes it", async () => {
  const { fake, served } = startFake();
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      DEV_LOG_LEVEL: "debug",
    },
    allowNet: served.host,
  });
  const logs: string[] = [];
  s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logs.push(JSON.stringify(n.params));
  });
  try {
    await s.client.setLoggingLevel("debug");
    for (const fault of ["echo", "401", "500"] as const) {
      fake.fault = fault;
      const r = await s.client.callTool({
        name: "get_libraries",
        arguments: {},
      });
      assert.equal(r.isError, true);
      assert.ok(!textOf(r).includes(TEST_TOKEN));
    }
    fake.fault = undefined;
    await s.client.callTool({ name: "get_plex_status", arguments: {} });
    const deadline = Date.now() + 2000;
    while (logs.length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await s.close();
    await served.close();
  }
  assert.ok(logs.length >= 3, `log notifications arrived (${logs.length})`);
  assert.ok(logs.some((l) => /Plex rejected the token/.test(l)));
  for (const l of logs) assert.ok(!l.includes(TEST_TOKEN), l);
  assert.ok(!s.stderr().includes(TEST_TOKEN));
});

Deno.test("redaction covers tokens inside URLs and Plex error echoes", () => {
  const echoed =
    `<html><p>token ${TEST_TOKEN} for http://h:32400/x?X-Plex-Token=${TEST_TOKEN}</p></html>`;
  const clean = redact(echoed, [TEST_TOKEN]);
  assert.ok(!clean.includes(TEST_TOKEN));
  assert.equal(
    redact("GET http://h/?X-Plex-Token=abcdef123&x=1"),
    "GET http://h/?X-Plex-Token=[REDACTED]&x=1",
  );
  assert.equal(
    redact(`token=${encodeURIComponent("a/b+c=d")}`, ["a/b+c=d"]),
    "token=[REDACTED]",
  );
});
