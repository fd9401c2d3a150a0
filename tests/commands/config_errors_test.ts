import assert from "node:assert/strict";
import { childEnv, MOD_PATH, runOnce, TEST_TOKEN } from "../support/helpers.ts";

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
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  const r = await runOnce(["--version"], {});
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), `@plexmcp/server ${denoJson.version}`);
});

/** Runs `deno run <denoFlags> src/mod.ts <args>` with no stdin. */
async function runWith(denoFlags: string[], args: string[], env = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...denoFlags, MOD_PATH, ...args],
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("without --allow-env: one line naming the flag, exit 2, no stack trace; --help and --version still work", async () => {
  const r = await runWith([], ["--demo"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /start Deno with --allow-env/);
  assert.doesNotMatch(r.stderr, /\bat\s|NotCapable|Uncaught/);
  assert.equal((await runWith([], ["--version"])).code, 0);
  assert.equal((await runWith([], ["--help"])).code, 0);
});

Deno.test("a token Deno cannot send in a header is refused at start-up, exit 2, not echoed", async () => {
  const token = "tøken-ñ-SECRET-99";
  const r = await runOnce([], {
    PLEX_SERVER_URL: "http://10.0.0.2:32400",
    PLEX_TOKEN: token,
  });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /PLEX_TOKEN contains characters that cannot be sent in an HTTP header/,
  );
  assert.ok(!r.stderr.includes(token));
});

Deno.test("PLEX_VERIFY_SSL=false warns only for https addresses", async () => {
  const quiet = await runWith(["--allow-env"], [], {
    PLEX_SERVER_URL: "http://127.0.0.1:32400",
    PLEX_TOKEN: "tok-12345",
    PLEX_VERIFY_SSL: "false",
  });
  assert.doesNotMatch(quiet.stderr, /PLEX_VERIFY_SSL/);
  const warned = await runWith(["--allow-env"], [], {
    PLEX_SERVER_URL: "https://127.0.0.1:32400",
    PLEX_TOKEN: "tok-12345",
    PLEX_VERIFY_SSL: "false",
  });
  assert.match(
    warned.stderr,
    /PLEX_VERIFY_SSL=false: Deno cannot switch off certificate checks/,
  );
});
