import assert from "node:assert/strict";
import { lineLevel, MAX_LOG_LINE, tailLog, type TailOptions } from "./logs.ts";
import { redact } from "../redact.ts";

/** Lines in the shapes of real PMS logs quoted in public write-ups. */
const LOG = [
  "Dec 15, 2024 03:45:10.001 [140307690093368] INFO - Plex Media Server v1.41.3.9314-a0bfb8370 - Docker Docker Container x86_64 - build: linux-x86_64",
  "Dec 15, 2024 03:45:11.120 [140307690093368] DEBUG - Request: [192.168.1.20:51234 (Subnet)] GET /library/sections/1/all?X-Plex-Token=abcdEFGH1234 (12 live) #3a1f GZIP Signed-in Token (owner)",
  "Sep 04, 2024 22:21:43.553 [140124105521976] WARN - [Req#ab] MyPlex: attempted a reachability check but we're not yet mapped.",
  "Dec 15, 2024 03:45:14.374 [140307690093368] ERROR - [Req#105/Transcode] [FFMPEG] - Cannot load libcuda.so.1",
  "  at Transcoder::start (transcoder.cpp:120)",
  "  at Session::play (session.cpp:88)",
  "Dec 15, 2024 03:45:15.000 [0x7f2a1c] VERBOSE - old-style thread id",
  "Dec 15, 2024 03:45:16.000 [140307690093368] DEBUG - [Req#106] secret-token-99 leaked by a plugin",
].join("\n") + "\n";

function stream(text: string, chunk = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

const plain = (s: string) => redact(s, ["secret-token-99"]);

async function tail(text: string, options: Partial<TailOptions> = {}) {
  return await tailLog(stream(text), { lines: 100, redact: plain, ...options });
}

Deno.test("lineLevel() reads Plex's header and its level words", () => {
  const lines = LOG.split("\n");
  assert.deepEqual(lines.map(lineLevel), [
    "info",
    "debug",
    "warning",
    "error",
    undefined,
    undefined,
    "verbose",
    "debug",
    undefined,
  ]);
  assert.equal(
    lineLevel("Dec 15, 2024 03:45:16.000 [1] FATAL - x"),
    null,
    "a header with a word Plex does not use",
  );
  assert.equal(lineLevel("Dec 15 2024 03:45:16 INFO - x"), undefined);
});

Deno.test("tailLog() keeps entries whole, redacted, in order", async () => {
  const r = await tail(LOG);
  assert.equal(r.scanned, 6);
  assert.equal(r.matched, 6);
  assert.deepEqual(r.entries.map((e) => e.level), [
    "info",
    "debug",
    "warning",
    "error",
    "verbose",
    "debug",
  ]);
  assert.equal(
    r.entries[3]!.text,
    "Dec 15, 2024 03:45:14.374 [140307690093368] ERROR - [Req#105/Transcode] [FFMPEG] - Cannot load libcuda.so.1\n  at Transcoder::start (transcoder.cpp:120)\n  at Session::play (session.cpp:88)",
  );
  assert.match(r.entries[1]!.text, /X-Plex-Token=\[REDACTED\] \(12 live\)/);
  assert.match(r.entries[5]!.text, /\[Req#106\] \[REDACTED\] leaked/);
  const all = JSON.stringify(r);
  assert.ok(!all.includes("abcdEFGH1234") && !all.includes("secret-token-99"));
});

Deno.test("tailLog() filters by minimum level and by text, and keeps the last N", async () => {
  const warn = await tail(LOG, { minLevel: "warning" });
  assert.deepEqual(warn.entries.map((e) => e.level), ["warning", "error"]);
  assert.equal(warn.matched, 2);
  assert.equal(warn.scanned, 6);
  const errors = await tail(LOG, { minLevel: "error" });
  assert.deepEqual(errors.entries.map((e) => e.level), ["error"]);
  const verbose = await tail(LOG, { minLevel: "verbose" });
  assert.equal(verbose.matched, 6);
  // Text: case-insensitive, continuation lines count.
  const cuda = await tail(LOG, { contains: "SESSION::PLAY" });
  assert.equal(cuda.matched, 1);
  assert.match(cuda.entries[0]!.text, /libcuda/);
  const both = await tail(LOG, { minLevel: "info", contains: "req#" });
  assert.deepEqual(both.entries.map((e) => e.level), ["warning", "error"]);
  const last2 = await tail(LOG, { lines: 2 });
  assert.equal(last2.matched, 6);
  assert.deepEqual(
    last2.entries.map((e) => e.text.slice(0, 25)),
    ["Dec 15, 2024 03:45:15.000", "Dec 15, 2024 03:45:16.000"],
  );
});

Deno.test("tailLog() matches text after redaction, so a filter cannot probe for a secret", async () => {
  for (const probe of ["secret-token", "abcdEFGH", "Token=abcd"]) {
    const r = await tail(LOG, { contains: probe });
    assert.equal(r.matched, 0, probe);
  }
  const r = await tail(LOG, { contains: "[redacted]" });
  assert.equal(r.matched, 2);
});

Deno.test("tailLog() handles CRLF, a file that starts mid-entry, long lines and long traces", async () => {
  const crlf = await tail(LOG.replaceAll("\n", "\r\n"));
  assert.equal(crlf.scanned, 6);
  assert.ok(crlf.entries.every((e) => !e.text.includes("\r")));

  const mid = await tail("  at half a trace\n" + LOG, { minLevel: "debug" });
  assert.equal(mid.scanned, 7, "the orphan lines are an entry");
  assert.equal(mid.matched, 5, "without a level, it fails a level filter");

  const long = "Dec 15, 2024 03:45:16.000 [1] INFO - " + "x".repeat(200_000);
  const r = await tail(long + "\n" + LOG);
  assert.equal(r.scanned, 7);
  assert.ok(r.entries[0]!.text.length <= MAX_LOG_LINE + 40);
  assert.match(r.entries[0]!.text, /more characters\)$/);

  const trace = "Dec 15, 2024 03:45:16.000 [1] ERROR - boom\n" +
    "  at frame\n".repeat(500);
  const t = await tail(trace + LOG, { minLevel: "error" });
  assert.equal(t.entries.length, 2);
  assert.match(t.entries[0]!.text, /… \(460 more lines\)$/);
});

Deno.test("tailLog() streams a large file and keeps only the last 1,000 of 300,000", async () => {
  let n = 0;
  const total = 300_000;
  const enc = new TextEncoder();
  const big = new ReadableStream<Uint8Array>({
    pull(c) {
      if (n >= total) return c.close();
      let s = "";
      for (let i = 0; i < 1000 && n < total; i++, n++) {
        const level = n % 100 === 0 ? "ERROR" : "DEBUG";
        s +=
          `Dec 15, 2024 03:45:16.000 [1] ${level} - line ${n} X-Plex-Token=tok${n}\n`;
      }
      c.enqueue(enc.encode(s));
    },
  });
  const r = await tailLog(big, { lines: 1000, redact: plain });
  assert.equal(r.scanned, total);
  assert.equal(r.entries.length, 1000);
  assert.match(r.entries[0]!.text, / line 299000 X-Plex-Token=\[REDACTED\]$/);
  assert.match(r.entries[999]!.text, / line 299999 /);

  n = 0;
  const errs = await tailLog(
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (n >= 5000) return c.close();
        const level = n % 100 === 0 ? "ERROR" : "DEBUG";
        c.enqueue(
          enc.encode(`Dec 15, 2024 03:45:16.000 [1] ${level} - ${n++}\n`),
        );
      },
    }),
    { lines: 10, minLevel: "error", redact: plain },
  );
  assert.equal(errs.matched, 50);
  assert.deepEqual(
    errs.entries.map((e) => e.text.split(" - ")[1]),
    [
      "4000",
      "4100",
      "4200",
      "4300",
      "4400",
      "4500",
      "4600",
      "4700",
      "4800",
      "4900",
    ],
  );
});

Deno.test("tailLog() stops when aborted and passes the stream's error on", async () => {
  const controller = new AbortController();
  controller.abort(new DOMException("stop", "AbortError"));
  await assert.rejects(
    tailLog(stream(LOG), {
      lines: 5,
      redact: plain,
      signal: controller.signal,
    }),
    /stop/,
  );
  const failing = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(LOG));
      c.error(new Error("damaged archive"));
    },
  });
  await assert.rejects(
    tailLog(failing, { lines: 5, redact: plain }),
    /damaged archive/,
  );
});
