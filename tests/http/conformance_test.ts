/**
 * The official MCP conformance suite against `serve --http` (through
 * `conformance/run.ts`, what `deno task conformance` runs), when npm is
 * reachable; and the reading of the expected-failures file.
 */
import assert from "node:assert/strict";
import { denoNpmUnreachable, noProxy } from "../support/helpers.ts";
import { readExpected, readSummary } from "../../conformance/run.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("conformance/expected-failures.yml: every entry gives its reason; an entry without one is refused", async () => {
  const text = await Deno.readTextFile(
    new URL("../../conformance/expected-failures.yml", import.meta.url),
  );
  const { server, vacuous } = readExpected(text);
  assert.ok(server.length >= 10);
  for (const e of [...server, ...vacuous]) {
    assert.ok(e.reason.length > 20, `${e.name}: ${e.reason}`);
  }
  assert.throws(
    () => readExpected("server:\n  - ping\n"),
    /ping has no reason/,
  );
  assert.throws(() => readExpected("clients:\n  - x # y\n"), /unknown list/);
  assert.deepEqual(
    readSummary(
      "✓ ping: 1 passed, 0 failed\n✗ tools-call-image: 0 passed, 1 failed\n",
    ),
    [
      { name: "ping", passed: 1, failed: 0 },
      { name: "tools-call-image", passed: 0, failed: 1 },
    ],
  );
});

Deno.test("deno task conformance: the official suite passes every scenario that applies to plexmcp, and fails only as expected-failures.yml says", async () => {
  // Deno runs the suite (deno run npm:…), so ask whether Deno, with the
  // caller's certificates, can fetch it; npm's own reach does not matter.
  const why = await denoNpmUnreachable("@modelcontextprotocol/conformance");
  if (why) {
    // deno-lint-ignore no-console
    console.log(`skipped: the conformance suite comes from npm: ${why}`);
    return;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      "--allow-net=127.0.0.1",
      "conformance/run.ts",
    ],
    cwd: root,
    env: { NO_COLOR: "1", NO_PROXY: noProxy() },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(600_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  for (
    const scenario of [
      "server-initialize",
      "ping",
      "logging-set-level",
      "tools-list",
      "resources-list",
      "prompts-list",
      "server-sse-multiple-streams",
      "dns-rebinding-protection",
    ]
  ) {
    assert.match(text, new RegExp(`^  PASS ${scenario} \\(`, "m"), text);
  }
  assert.doesNotMatch(text, /UNEXPECTED|STALE|MISSING/);
  const m = /(\d+) failed \((\d+) expected\); suite exit code 0/.exec(text);
  assert.ok(m, text);
  assert.equal(m[1], m[2], "every failure is an expected one");
});
