/**
 * get_server_logs end to end, through the real stdio server against the
 * fake Plex, which advertises `logs` in `/media/providers` and serves a
 * real zip (deflated entries, CRC-32s, headers) of PMS-format log files,
 * some lines with tokens in their URLs: the last N lines of a file, by
 * minimum level and text, every token redacted (the owner's, and another
 * device's that only the token pattern catches), the files listed; a text
 * filter cannot find a token; a server that does not offer its logs, a
 * non-owner's token, an archive over the size cap and one that is not a
 * zip are each named clearly.
 */
import assert from "node:assert/strict";
import { DEMO_HOME_TOKENS } from "../../../src/demo/demo_home.ts";
import {
  DEMO_DEVICE_TOKEN,
  fakeLogs,
} from "../../../src/demo/fake_plex/logs.ts";
import {
  connectStdio,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** The file's entries as Plex wrote them: a header line and its trace. */
function entriesOf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (/^[A-Z][a-z]{2} \d\d, \d{4} /.test(line) || out.length === 0) {
      out.push(line);
    } else out[out.length - 1] += "\n" + line;
  }
  return out;
}

Deno.test("get_server_logs over stdio: the last lines, by level and text, tokens redacted, files listed", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "server_care",
  });
  const outputs: string[] = [];
  // Every answer but those quoting the client's own probe text back.
  const call = async (args: Record<string, unknown> = {}, probe = false) => {
    const r = await client.callTool({
      name: "get_server_logs",
      arguments: args,
    });
    if (!probe) outputs.push(JSON.stringify(r));
    return { r, text: textOf(r), sc: r.structuredContent as Any };
  };
  try {
    const at = fake.requests.length;
    const last = await call();
    assert.equal(last.r.isError, undefined, last.text);
    // The archive, once: no capability check first (python-plexapi
    // downloads without one, server.py:574).
    assert.deepEqual(
      fake.requests.slice(at).map((q) => `${q.method} ${q.path}`),
      ["GET /diagnostics/logs"],
    );
    const files = fakeLogs(fake).files!;
    const main = entriesOf(files.get("Plex Media Server.log")!);
    assert.equal(last.sc.file, "Plex Media Server.log");
    assert.equal(last.sc.total, main.length);
    assert.equal(last.sc.matched, main.length);
    // The last 100 entries, exactly, but for the redacted tokens.
    const redacted = (e: string) =>
      e.replaceAll(TEST_TOKEN, "[REDACTED]").replaceAll(
        DEMO_DEVICE_TOKEN,
        "[REDACTED]",
      );
    assert.deepEqual(last.sc.lines, main.slice(-100).map(redacted));
    assert.ok(main.slice(-100).some((e) => e.includes(TEST_TOKEN)));
    assert.ok(main.slice(-100).some((e) => e.includes(DEMO_DEVICE_TOKEN)));
    assert.deepEqual(
      last.sc.files.map((f: Any) => f.name),
      [...files.keys()],
    );
    assert.equal(
      last.sc.files[0].bytes,
      new TextEncoder().encode(files.get("Plex Media Server.log")!).length,
    );
    assert.match(
      last.text,
      /^Last 100 lines of Plex Media Server\.log \(2\d{3} lines\):\n/,
    );
    assert.match(
      last.text,
      /\nOther log files: Plex Media Server\.1\.log \(\d+ KB\), Plex Media Scanner\.log .*PMS Plugin Logs\/com\.plexapp\.system\.log \(100 B\)\.$/,
    );

    // Warnings and errors only: what the file holds at those levels.
    const severe = main.filter((e) =>
      / (WARN|ERROR) - /.test(e.split("\n")[0]!)
    );
    const warn = await call({ level: "warning", lines: 1000 });
    assert.equal(warn.sc.matched, severe.length);
    assert.deepEqual(warn.sc.lines, severe.slice(-1000).map(redacted));
    assert.match(
      warn.text,
      new RegExp(
        `^Last ${severe.length} of ${severe.length} matching lines \\(level warning or more severe\\) in Plex Media Server\\.log`,
      ),
    );
    // Errors about CUDA, with their traces.
    const cuda = await call({ level: "error", contains: "LIBCUDA", lines: 2 });
    assert.equal(cuda.sc.lines.length, 2);
    for (const e of cuda.sc.lines) {
      assert.match(
        e,
        /ERROR - \[Req#[0-9a-f]+\/Transcode\] \[FFMPEG\] - Cannot load libcuda\.so\.1\n {2}at Transcoder::open/,
      );
    }
    // A text filter sees only redacted text: no probing for a token.
    for (const probe of [TEST_TOKEN.slice(0, 12), DEMO_DEVICE_TOKEN]) {
      const r = await call({ contains: probe }, true);
      assert.equal(r.r.isError, undefined, r.text);
      assert.equal(r.sc.matched, 0, probe);
      assert.match(r.text, /^No lines of Plex Media Server\.log .* match/);
    }
    // Another file, by its name without folder, case aside.
    const plugin = await call({ file: "COM.PLEXAPP.SYSTEM.LOG" });
    assert.equal(plugin.sc.file, "PMS Plugin Logs/com.plexapp.system.log");
    assert.match(plugin.sc.lines[0], /Starting framework core/);
    const scanner = await call({ file: "Plex Media Scanner.log", lines: 3 });
    assert.deepEqual(
      scanner.sc.lines,
      entriesOf(files.get("Plex Media Scanner.log")!).slice(-3),
    );
  } finally {
    await close();
  }
  for (const o of outputs) {
    assert.ok(!o.includes(DEMO_DEVICE_TOKEN), "another device's token leaked");
  }
  assert.ok(outputs.some((o) => o.includes("X-Plex-Token=[REDACTED]")));
});

Deno.test("get_server_logs: not offered, not the owner, too large, not a zip: each named, nothing left half done", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "server_care",
  });
  const call = async (args: Record<string, unknown> = {}) => {
    const r = await client.callTool({
      name: "get_server_logs",
      arguments: args,
    });
    return { r, text: textOf(r) };
  };
  try {
    // The server does not list logs among its diagnostics (as the one
    // recorded server does, "streaminglogs,databases"): the download is
    // tried anyway, and served.
    fakeLogs(fake).advertised = false;
    let at = fake.requests.length;
    const unlisted = await call({ lines: 2 });
    assert.equal(unlisted.r.isError, undefined, unlisted.text);
    assert.match(unlisted.text, /^Last 2 lines of Plex Media Server\.log/);
    assert.deepEqual(
      fake.requests.slice(at).map((q) => q.path),
      ["/diagnostics/logs"],
    );
    // A server that will not hand them over: what it answered, explained
    // by what its capabilities say.
    fakeLogs(fake).refusal = 404;
    at = fake.requests.length;
    const off = await call();
    assert.equal(off.r.isError, true);
    assert.match(
      off.text,
      /^Plex did not hand over its logs \(404\) for GET \/diagnostics\/logs; its capabilities list diagnostics "streaminglogs,databases" without "logs"/,
    );
    // (The client asks /identity whether a 404 means "not Plex at all".)
    assert.deepEqual(
      fake.requests.slice(at).map((q) => q.path),
      ["/diagnostics/logs", "/identity", "/media/providers"],
    );
    fakeLogs(fake).advertised = true;
    fakeLogs(fake).refusal = 403;
    const forbidden = await call();
    assert.match(
      forbidden.text,
      /^Plex did not hand over its logs \(403\) for GET \/diagnostics\/logs, though its capabilities list "logs" among its diagnostics \("logs,databases,streaminglogs"\); the owner's token may be needed/,
    );
    fakeLogs(fake).refusal = undefined;

    // An archive over the cap: refused while reading, clearly.
    fakeLogs(fake).paddingBytes = 33 * 1024 * 1024;
    const big = await call();
    assert.equal(big.r.isError, true);
    assert.match(
      big.text,
      /Plex sent more than 33554432 bytes for GET \/diagnostics\/logs, over the limit for it/,
    );
    fakeLogs(fake).paddingBytes = 0;

    // Something that is not a zip where the archive should be.
    fake.fault = "xml";
    fake.faultFilter = (_m, path) => path === "/diagnostics/logs";
    at = fake.requests.length;
    const page = await call();
    assert.match(
      page.text,
      /^Plex answered GET \/diagnostics\/logs with a log archive that cannot be read: not a zip archive: no end of central directory$/,
    );
    fake.fault = undefined;
    fake.faultFilter = undefined;
    const fine = await call({ lines: 1 });
    assert.equal(fine.r.isError, undefined, fine.text);
  } finally {
    await close();
  }

  // A Home member's token reaches the server but not its logs.
  const home = startFake();
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: home.served.url,
      PLEX_TOKEN: DEMO_HOME_TOKENS.alexServer,
      PLEX_TOOLSETS: "server_care",
    },
    allowNet: home.served.host,
  });
  try {
    // The fake's Home members are those of its own demo Home.
    assert.ok(home.fake.viewers.has(DEMO_HOME_TOKENS.alexServer));
    const r = await s.client.callTool({
      name: "get_server_logs",
      arguments: {},
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      /^Plex rejected the token \(401\) for GET \/diagnostics\/logs: check PLEX_TOKEN/,
    );
  } finally {
    await s.close();
    await home.served.close();
  }
  assert.ok(!s.stderr().includes(DEMO_HOME_TOKENS.alexServer));
});
