/**
 * What the people's commands print from a Plex server goes through the one
 * filter for outside text (`src/printable.ts`): `call get_server_logs`
 * with log lines and zip entry names that carry an OSC 52 clipboard write,
 * a screen clear and C1 controls, as text, as errors and as `--json`; and
 * `doctor` with a server that names itself so. Nothing a terminal would
 * obey reaches stdout or stderr; the characters are shown instead.
 */
import assert from "node:assert/strict";
import { runCall } from "../../src/commands/call.ts";
import { runDoctor } from "../../src/commands/doctor.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { fakeLogs } from "../../src/demo/fake_plex/logs.ts";
import { serveFake } from "../../src/demo/serve.ts";
import { printableJson } from "../../src/printable.ts";
import { scanForSecrets, TEST_TOKEN } from "../support/helpers.ts";
import { scriptedIo } from "../support/login_io.ts";

/** What a terminal would obey: C0 but newline, DEL, C1, bidi overrides. */
// deno-lint-ignore no-control-regex
const OBEYED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07";
const CLEAR = "\x1b[2J\x1b[H";

function logFake(): FakePlex {
  const fake = new FakePlex({ token: TEST_TOKEN });
  fakeLogs(fake).files = new Map([
    [
      "Plex Media Server.log",
      `Jan 02, 2026 10:00:00.000 [0x7f01] INFO - Library "Films${OSC52}" scanned\n` +
      `Jan 02, 2026 10:00:01.000 [0x7f01] WARN - Client "TV${CLEAR}\x9b31m" timed out\n`,
    ],
    [`Plex Media Server.1${CLEAR}.log`, "x\n"],
    [`evil\x9b2J\u202e.log`, "y\n"],
  ]);
  return fake;
}

function env(): Record<string, string> {
  return {
    PLEX_SERVER_URL: "http://plex.test:32400",
    PLEX_TOKEN: TEST_TOKEN,
    PLEX_TOOLSETS: "server_care",
  };
}

Deno.test("call get_server_logs prints log lines and zip entry names with their control characters shown, as text, errors and --json", async () => {
  const fake = logFake();
  const run = async (args: string[]) => {
    const io = { ...scriptedIo(env()), fetch: fake.fetch };
    const code = await runCall(args, io);
    const out = io.stdout.join("\n");
    const err = io.stderr.join("");
    scanForSecrets(out + err, "call output");
    return { code, out, err };
  };

  const text = await run(["get_server_logs"]);
  assert.equal(text.code, 0, text.err);
  assert.doesNotMatch(text.out, OBEYED);
  assert.match(text.out, /Films␛\]52;c;cm0gLXJmIH4K␇/);
  assert.match(text.out, /TV␛\[2J␛\[H\\u\{9b\}31m/);

  const json = await run(["get_server_logs", "--json"]);
  assert.equal(json.code, 0, json.err);
  assert.doesNotMatch(json.out, OBEYED);
  const parsed = JSON.parse(json.out);
  // Valid JSON whose strings the MCP boundary already made readable
  // (src/outgoing.ts): the control characters arrive shown, not raw.
  assert.ok(
    parsed.lines.some((l: string) => l.includes("TV␛[2J␛[H\\u{9b}31m")),
    json.out,
  );
  assert.ok(
    parsed.files.some((f: { name: string }) =>
      f.name === "evil\\u{9b}2J\\u{202e}.log"
    ),
    json.out,
  );

  // An unknown file: the error lists the archive's names, on stderr.
  const missing = await run(["get_server_logs", '{"file":"nope.log"}']);
  assert.equal(missing.code, 1, missing.err);
  assert.doesNotMatch(missing.err, OBEYED);
  assert.match(missing.err, /evil\\u\{9b\}2J\\u\{202e\}\.log/);
});

Deno.test("printableJson(): JSON that parses back the same, with no character a terminal obeys", () => {
  const value = { a: `x${OSC52}\x9b\u202e\u2028\x7f`, b: ["\n\t"] };
  const text = printableJson(value, 2);
  assert.doesNotMatch(text, OBEYED);
  assert.deepEqual(JSON.parse(text), value);
  assert.equal(printableJson({ plain: "é" }), '{"plain":"é"}');
});

Deno.test("doctor shows a server's name and version with their control characters visible", async () => {
  const fake = new FakePlex({ token: TEST_TOKEN });
  fake.library.name = `Bob's${OSC52}`;
  fake.library.version = `1.41${CLEAR}`;
  const served = serveFake(fake);
  try {
    const io = scriptedIo({
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
    });
    await runDoctor([], io);
    const out = io.stdout.join("\n") + io.stderr.join("");
    scanForSecrets(out, "doctor output");
    assert.doesNotMatch(out, OBEYED);
    assert.match(out, /accepted by Bob's␛\]52;c;cm0gLXJmIH4K␇/);
    assert.match(out, /Plex Media Server 1\.41␛\[2J␛\[H/);
  } finally {
    await served.close();
  }
});
