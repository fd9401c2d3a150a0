import assert from "node:assert/strict";
import { runOnce, TEST_TOKEN } from "./helpers.ts";

Deno.test("missing PLEX_SERVER_URL and PLEX_TOKEN: exit 2, both named, nothing on stdout", async () => {
  const r = await runOnce([], {});
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /PLEX_SERVER_URL is not set/);
  assert.match(r.stderr, /PLEX_TOKEN is not set/);
  assert.match(r.stderr, /--demo/);
});

Deno.test("invalid values: each variable named with how to fix it, token never echoed", async () => {
  const r = await runOnce([], {
    PLEX_SERVER_URL: "ftp://nowhere",
    PLEX_TOKEN: `${TEST_TOKEN} with spaces`,
    PLEX_TIMEOUT: "soon",
    PLEX_VERIFY_SSL: "maybe",
    DEV_LOG_LEVEL: "loud",
  });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  for (
    const name of [
      "PLEX_SERVER_URL",
      "PLEX_TOKEN",
      "PLEX_TIMEOUT",
      "PLEX_VERIFY_SSL",
      "DEV_LOG_LEVEL",
    ]
  ) {
    assert.match(r.stderr, new RegExp(`- ${name} `));
  }
  assert.ok(!r.stderr.includes(TEST_TOKEN));
});

Deno.test("a token in the URL is refused without echoing it", async () => {
  const r = await runOnce([], {
    PLEX_SERVER_URL: `http://10.0.0.2:32400/?X-Plex-Token=${TEST_TOKEN}`,
    PLEX_TOKEN: TEST_TOKEN,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /PLEX_SERVER_URL must be the bare server address/);
  assert.ok(!r.stderr.includes(TEST_TOKEN));
});

Deno.test("unknown flag: exit 2 with usage hint", async () => {
  const r = await runOnce(["--bogus"], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--help/);
});

Deno.test("--version prints the deno.json version", async () => {
  const denoJson = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  );
  const r = await runOnce(["--version"], {});
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), `@plexmcp/server ${denoJson.version}`);
});
