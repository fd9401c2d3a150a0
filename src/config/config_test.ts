import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

Deno.test("loadConfig() reads a valid environment with defaults", () => {
  const c = loadConfig({
    PLEX_SERVER_URL: "http://10.0.0.5:32400/",
    PLEX_TOKEN: "abc-123",
  });
  assert.equal(c.plexServerUrl, "http://10.0.0.5:32400");
  assert.equal(c.plexToken, "abc-123");
  assert.equal(c.timeoutMs, 30_000);
  assert.equal(c.verifySsl, true);
  assert.equal(c.demo, false);
  assert.equal(c.logLevel, "info");
});

Deno.test("loadConfig() parses every variable", () => {
  const c = loadConfig({
    PLEX_SERVER_URL: "https://1-2-3-4.abc.plex.direct:32400",
    PLEX_TOKEN: "t0k",
    PLEX_TIMEOUT: "2.5",
    PLEX_VERIFY_SSL: "false",
    DEV_LOG_LEVEL: "WARNING",
    DEV_DEBUG: "0",
  });
  assert.equal(c.timeoutMs, 2500);
  assert.equal(c.verifySsl, false);
  assert.equal(c.logLevel, "warning");
  assert.equal(
    loadConfig({
      PLEX_SERVER_URL: "http://h:1",
      PLEX_TOKEN: "t",
      DEV_DEBUG: "yes",
    }).logLevel,
    "debug",
  );
});

Deno.test("loadConfig() needs neither URL nor token in demo mode", () => {
  assert.equal(loadConfig({}, { demo: true }).demo, true);
  assert.equal(loadConfig({ DEV_MOCK_MODE: "true" }).demo, true);
});

Deno.test("loadConfig() lists every problem at once", () => {
  try {
    loadConfig({ PLEX_TIMEOUT: "0", DEV_MOCK_MODE: "perhaps" });
    assert.fail("expected ConfigError");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const text = e.problems.join("\n");
    assert.match(text, /PLEX_SERVER_URL is not set/);
    assert.match(text, /PLEX_TOKEN is not set/);
    assert.match(text, /PLEX_TIMEOUT must be a number of seconds/);
    assert.match(text, /DEV_MOCK_MODE must be true or false/);
  }
});

Deno.test("loadConfig() reads PLEX_READ_ONLY and PLEX_TOOLSETS", () => {
  const base = { PLEX_SERVER_URL: "http://h:1", PLEX_TOKEN: "t" };
  const c = loadConfig({
    ...base,
    PLEX_READ_ONLY: "true",
    PLEX_TOOLSETS: "server, library",
  });
  assert.equal(c.readOnly, true);
  assert.deepEqual(c.toolsets, ["server", "library"]);
  assert.equal(
    loadConfig({ ...base, PLEX_TOOLSETS: "all" }).toolsets,
    undefined,
  );
  assert.throws(
    () => loadConfig({ ...base, PLEX_TOOLSETS: "server,bogus" }),
    /PLEX_TOOLSETS must be a comma list of: all, dynamic, server/,
  );
});

Deno.test("loadConfig() accepts every numeric setting at its bounds and refuses just past them", () => {
  const base = { PLEX_SERVER_URL: "http://h:1", PLEX_TOKEN: "t0k" };
  const ok = (env: Record<string, string>) => loadConfig({ ...base, ...env });
  const bad = (env: Record<string, string>, why: RegExp) =>
    assert.throws(() => ok(env), why);
  // PLEX_TIMEOUT: 0.1 to 600 seconds.
  assert.equal(ok({ PLEX_TIMEOUT: "600" }).timeoutMs, 600_000);
  assert.equal(ok({ PLEX_TIMEOUT: "0.1" }).timeoutMs, 100);
  bad(
    { PLEX_TIMEOUT: "600.001" },
    /PLEX_TIMEOUT must be a number of seconds from 0\.1 to 600/,
  );
  bad({ PLEX_TIMEOUT: "601" }, /PLEX_TIMEOUT/);
  bad({ PLEX_TIMEOUT: "0.099" }, /PLEX_TIMEOUT/);
  // Rounded to 0 ms before the lower bound existed.
  bad({ PLEX_TIMEOUT: "0.0004" }, /PLEX_TIMEOUT/);
  bad({ PLEX_TIMEOUT: "0" }, /PLEX_TIMEOUT/);
  bad({ PLEX_TIMEOUT: "-1" }, /PLEX_TIMEOUT/);
  bad({ PLEX_TIMEOUT: "1e3" }, /PLEX_TIMEOUT/);
  // PLEX_CACHE_TTL: 0 (off), or 0.1 to 3600 seconds.
  assert.equal(ok({ PLEX_CACHE_TTL: "0" }).cacheTtlMs, 0);
  assert.equal(ok({ PLEX_CACHE_TTL: "0.0" }).cacheTtlMs, 0);
  assert.equal(ok({ PLEX_CACHE_TTL: "0.1" }).cacheTtlMs, 100);
  assert.equal(ok({ PLEX_CACHE_TTL: "3600" }).cacheTtlMs, 3_600_000);
  bad(
    { PLEX_CACHE_TTL: "3600.001" },
    /PLEX_CACHE_TTL must be 0 \(off\) or a number of seconds from 0\.1 to 3600/,
  );
  bad({ PLEX_CACHE_TTL: "3601" }, /PLEX_CACHE_TTL/);
  bad({ PLEX_CACHE_TTL: "0.099" }, /PLEX_CACHE_TTL/);
  bad({ PLEX_CACHE_TTL: "0.0004" }, /PLEX_CACHE_TTL/);
  bad({ PLEX_CACHE_TTL: "-0.5" }, /PLEX_CACHE_TTL/);
});

Deno.test("loadConfig() refuses a token that cannot travel in a header, without echoing it", () => {
  try {
    loadConfig({ PLEX_SERVER_URL: "http://h:1", PLEX_TOKEN: "tøken-ñ-123" });
    assert.fail("expected ConfigError");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const text = e.problems.join("\n");
    assert.match(
      text,
      /PLEX_TOKEN contains characters that cannot be sent in an HTTP header/,
    );
    assert.ok(!text.includes("tøken"));
  }
});

Deno.test("loadConfig() turns PLEX_TOOLSETS=dynamic into dynamic mode", () => {
  const base = { PLEX_SERVER_URL: "http://h:1", PLEX_TOKEN: "t0k" };
  const d = loadConfig({ ...base, PLEX_TOOLSETS: "dynamic,library" });
  assert.equal(d.dynamicToolsets, true);
  assert.deepEqual(d.toolsets, ["library"]);
  assert.equal(loadConfig(base).dynamicToolsets, false);
});
