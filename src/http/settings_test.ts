import assert from "node:assert/strict";
import { ConfigError } from "../config/config.ts";
import {
  AddressError,
  checkPath,
  generateToken,
  isIpLiteral,
  isLoopbackHost,
  loadHttpSettings,
  normalizeOptionalValue,
  parseListen,
} from "./settings.ts";

Deno.test("parseListen: loopback by default, every interface only when named, clear errors otherwise", () => {
  assert.deepEqual(parseListen(undefined), {
    hostname: "127.0.0.1",
    port: 8765,
    loopback: true,
    allInterfaces: false,
  });
  assert.deepEqual(parseListen("9000"), {
    hostname: "127.0.0.1",
    port: 9000,
    loopback: true,
    allInterfaces: false,
  });
  assert.equal(parseListen("localhost:1").hostname, "127.0.0.1");
  assert.deepEqual(parseListen("[::1]:8765"), {
    hostname: "::1",
    port: 8765,
    loopback: true,
    allInterfaces: false,
  });
  assert.deepEqual(parseListen("0.0.0.0:8765"), {
    hostname: "0.0.0.0",
    port: 8765,
    loopback: false,
    allInterfaces: true,
  });
  assert.equal(parseListen("[::]:8765").allInterfaces, true);
  assert.equal(parseListen("192.168.1.5:8765").loopback, false);
  assert.equal(parseListen("192.168.1.5:8765").allInterfaces, false);
  assert.throws(() => parseListen(":8765"), /name the interface too/);
  assert.throws(() => parseListen("host"), AddressError);
  assert.throws(() => parseListen("127.0.0.1:70000"), /0 to 65535/);
  assert.throws(() => parseListen("bad host:1"), /not a host name/);
});

Deno.test("isLoopbackHost and isIpLiteral", () => {
  for (
    const h of [
      "127.0.0.1",
      "127.9.9.9",
      "::1",
      "[::1]",
      "localhost",
      "LOCALHOST",
      "a.localhost",
    ]
  ) {
    assert.ok(isLoopbackHost(h), h);
  }
  for (
    const h of [
      "128.0.0.1",
      "0.0.0.0",
      "example.com",
      "127.0.0.1.evil.com",
      "localhost.evil.com",
      "::",
    ]
  ) {
    assert.ok(!isLoopbackHost(h), h);
  }
  for (const h of ["10.0.0.1", "[fe80::1]", "::ffff:10.0.0.1"]) {
    assert.ok(isIpLiteral(h), h);
  }
  for (const h of ["300.1.1.1", "example.com", "1.2.3"]) {
    assert.ok(!isIpLiteral(h), h);
  }
});

Deno.test("checkPath: a plain path, trailing slash dropped", () => {
  assert.deepEqual(checkPath("/mcp"), { path: "/mcp" });
  assert.deepEqual(checkPath("/plex/mcp/"), { path: "/plex/mcp" });
  assert.deepEqual(checkPath("/"), { path: "/" });
  for (const bad of ["mcp", "/a//b", "/a?x=1", "/a b", "/a#x"]) {
    assert.ok("error" in checkPath(bad), bad);
  }
});

Deno.test("loadHttpSettings: defaults, every problem at once, the token never quoted", () => {
  const d = loadHttpSettings({});
  assert.equal(d.token, undefined);
  assert.equal(d.path, "/mcp");
  assert.equal(d.sessionIdleMs, 1_800_000);
  assert.equal(d.maxSessions, 100);
  assert.equal(d.maxStreams, 32);
  assert.deepEqual(d.allowedHosts, []);
  assert.deepEqual(d.allowedOrigins, []);
  const s = loadHttpSettings({
    PLEX_HTTP_TOKEN: " abcdefghijklmnop ",
    PLEX_HTTP_PATH: "/plex/mcp/",
    PLEX_HTTP_SESSION_IDLE: "1.5",
    PLEX_HTTP_MAX_SESSIONS: "3",
    PLEX_HTTP_MAX_STREAMS: "4",
    PLEX_HTTP_ALLOWED_HOSTS: "MCP.example.org, nas.local:8443",
    PLEX_HTTP_ALLOWED_ORIGINS: "https://a.example, http://localhost:6274",
  }, {});
  assert.equal(s.token, "abcdefghijklmnop");
  assert.equal(s.path, "/plex/mcp");
  assert.equal(s.sessionIdleMs, 1500);
  assert.equal(s.maxSessions, 3);
  assert.equal(s.maxStreams, 4);
  assert.deepEqual(s.allowedHosts, ["mcp.example.org", "nas.local:8443"]);
  assert.deepEqual(s.allowedOrigins, [
    "https://a.example",
    "http://localhost:6274",
  ]);
  assert.equal(
    loadHttpSettings({ PLEX_HTTP_PATH: "/a" }, { path: "/b" }).path,
    "/b",
  );

  const secret = "s3cr3t-but-short";
  let error: ConfigError | undefined;
  try {
    loadHttpSettings({
      PLEX_HTTP_TOKEN: "Zk3pQ",
      PLEX_HTTP_PATH: "mcp",
      PLEX_HTTP_SESSION_IDLE: "0",
      PLEX_HTTP_MAX_SESSIONS: "1.5",
      PLEX_HTTP_MAX_STREAMS: "1",
      PLEX_HTTP_ALLOWED_HOSTS: "https://x.example",
      PLEX_HTTP_ALLOWED_ORIGINS: "x.example",
    });
  } catch (e) {
    error = e as ConfigError;
  }
  assert.ok(error instanceof ConfigError);
  assert.equal(error.problems.length, 7, error.problems.join("\n"));
  assert.ok(!error.message.includes("Zk3pQ"));
  assert.throws(
    () => loadHttpSettings({ PLEX_HTTP_TOKEN: `${secret} x` }),
    (e: Error) =>
      /printable ASCII/.test(e.message) && !e.message.includes(secret),
  );
});

Deno.test("normalizeOptionalValue: --http alone, with a value, or with =", () => {
  assert.deepEqual(normalizeOptionalValue(["--http"], "--http"), ["--http="]);
  assert.deepEqual(
    normalizeOptionalValue(["--http", "1.2.3.4:5", "--demo"], "--http"),
    [
      "--http=1.2.3.4:5",
      "--demo",
    ],
  );
  assert.deepEqual(normalizeOptionalValue(["--http", "--demo"], "--http"), [
    "--http=",
    "--demo",
  ]);
  assert.deepEqual(normalizeOptionalValue(["--http=x"], "--http"), [
    "--http=x",
  ]);
  assert.deepEqual(
    normalizeOptionalValue(
      ["--http", "claude"],
      "--http",
      (w) => w !== "claude",
    ),
    ["--http=", "claude"],
  );
});

Deno.test("generateToken: 64 hex characters, different each time", () => {
  const a = generateToken();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, generateToken());
});
