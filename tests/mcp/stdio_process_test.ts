/**
 * The process under a demanding or careless client: requests piped in and
 * stdin closed, an initialize that fails, arguments named `__proto__`, a
 * client that never reads stderr, one that sends thousands of requests
 * without reading the answers.
 */
import assert from "node:assert/strict";
import {
  initializeParams,
  noProxy,
  peakRssMiB,
  serverArgs,
  within,
} from "../support/helpers.ts";
import { RawServer } from "../support/raw_server.ts";

const encoder = new TextEncoder();
const line = (m: unknown) => encoder.encode(JSON.stringify(m) + "\n");

/** Runs the demo server with `input` on stdin (then closed); all of stdout. */
async function pipeThrough(
  input: Uint8Array,
): Promise<{ code: number; messages: { id?: unknown }[] }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs({ args: ["--demo"] }),
    env: { NO_COLOR: "1", NO_PROXY: noProxy() },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(input);
  await writer.close();
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const out = await child.output();
  clearTimeout(timer);
  const messages = new TextDecoder().decode(out.stdout).split("\n")
    .filter(Boolean).map((l) => JSON.parse(l));
  return { code: out.code, messages };
}

Deno.test("requests piped in, then stdin closed: every one is answered, then exit 0 (20 runs)", async () => {
  const input = new Uint8Array([
    ...line({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: initializeParams("pipe"),
    }),
    ...line({ jsonrpc: "2.0", method: "notifications/initialized" }),
    ...line({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    ...line({ jsonrpc: "2.0", id: 3, method: "ping" }),
  ]);
  for (let run = 0; run < 20; run++) {
    const { code, messages } = await pipeThrough(input);
    assert.equal(code, 0, `run ${run}`);
    assert.deepEqual(
      messages.filter((m) => "result" in m).map((m) => m.id).sort(),
      [1, 2, 3],
      `run ${run}: ${JSON.stringify(messages).slice(0, 300)}`,
    );
  }
});

Deno.test("an initialize that fails validation leaves the server uninitialized", async () => {
  const s = new RawServer(["--demo"], {});
  try {
    await s.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} });
    const bad = await s.answer(1);
    assert.ok(bad.error, "the bad initialize is refused");
    await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const refused = await s.answer(2);
    assert.equal(refused.error?.code, -32600);
    assert.match(refused.error.message, /not initialized/);
    await s.initialize();
    await s.send({ jsonrpc: "2.0", id: 3, method: "tools/list" });
    assert.ok((await s.answer(3)).result.tools.length > 0);
  } finally {
    await s.dispose();
  }
});

Deno.test("an argument named __proto__ is refused like any other unknown argument", async () => {
  const s = new RawServer(["--demo"], {});
  try {
    await s.initialize();
    await s.send(
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_libraries","arguments":{"__proto__":{"x":1}}}}',
    );
    await s.send(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_libraries","arguments":{"bogus":1}}}',
    );
    const proto = (await s.answer(1)).result;
    const bogus = (await s.answer(2)).result;
    assert.equal(proto.isError, true);
    assert.equal(bogus.isError, true);
    assert.equal(
      proto.content[0].text,
      bogus.content[0].text.replace('"bogus"', '"__proto__"'),
    );
  } finally {
    await s.dispose();
  }
});

Deno.test("a client that never reads stderr cannot freeze the server", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs({ args: ["--demo"] }),
    env: { NO_COLOR: "1", NO_PROXY: noProxy(), DEV_LOG_LEVEL: "debug" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped", // never read
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const answer = async (id: number) => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const m = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (m.id === id) return m;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("stdout closed");
      buffered += decoder.decode(value, { stream: true });
    }
    throw new Error(`no answer to ${id} within 10 s`);
  };
  try {
    await writer.write(line({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: initializeParams("no-stderr"),
    }));
    await answer(1);
    await writer.write(
      line({ jsonrpc: "2.0", method: "notifications/initialized" }),
    );
    // Thousands of warnings: far more than a pipe holds (64 KiB), each with
    // a 100 KB bad line that must not be echoed whole.
    const garbage = encoder.encode(("x".repeat(100_000) + "\n").repeat(50));
    for (let i = 0; i < 60; i++) {
      await writer.write(garbage);
      for (let j = 0; j < 50; j++) await answer(null as unknown as number);
    }
    await writer.write(line({ jsonrpc: "2.0", id: 2, method: "ping" }));
    assert.deepEqual((await answer(2)).result, {});
    await writer.write(line({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "get_libraries", arguments: {} },
    }));
    assert.equal((await answer(3)).result.isError, undefined);
    const started = performance.now();
    child.kill("SIGTERM");
    const status = await child.status;
    const ms = performance.now() - started;
    assert.equal(status.code, 0);
    assert.ok(ms < 1000, `exit took ${ms.toFixed(0)} ms`);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    await writer.close().catch(() => {});
    await child.status;
  }
});
Deno.test("10,000 tools/list requests from a client that does not read: bounded memory, all answered once it reads", async () => {
  const N = 10_000;
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs({ args: ["--demo"] }),
    env: { NO_COLOR: "1", NO_PROXY: noProxy() },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(line({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: initializeParams("flood"),
    }));
    await writer.write(
      line({ jsonrpc: "2.0", method: "notifications/initialized" }),
    );
    const requests = new Uint8Array(
      Array.from(
        { length: N },
        (
          _,
          i,
        ) => [...line({ jsonrpc: "2.0", id: i + 1, method: "tools/list" })],
      ).flat(),
    );
    // Written in the background: the server stops reading when it has too
    // many answers waiting, so this write only completes once we read.
    const writing = writer.write(requests);
    await new Promise((r) => setTimeout(r, 3_000));
    const whileBlocked = peakRssMiB(child.pid);
    assert.ok(
      whileBlocked < 300,
      `peak RSS ${whileBlocked.toFixed(0)} MiB while the client did not read`,
    );
    // Now read everything.
    const seen = new Set<number>();
    const reader = child.stdout.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    const deadline = Date.now() + 120_000;
    while (seen.size < N + 1 && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const m = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (m.result) seen.add(m.id);
      }
    }
    await writing;
    assert.equal(seen.size, N + 1, "every request answered");
    const peak = peakRssMiB(child.pid);
    assert.ok(peak < 300, `peak RSS ${peak.toFixed(0)} MiB`);
    reader.releaseLock();
  } finally {
    await writer.close().catch(() => {});
    await child.stdout.cancel().catch(() => {});
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await child.status;
    clearTimeout(timer);
  }
});

Deno.test("SIGTERM while the client reads nothing: exit 0 within a second", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs({ args: ["--demo"] }),
    env: { NO_COLOR: "1", NO_PROXY: noProxy() },
    stdin: "piped",
    stdout: "piped", // never read
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(line({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: initializeParams("sigterm-unread"),
    }));
    await writer.write(
      line({ jsonrpc: "2.0", method: "notifications/initialized" }),
    );
    const requests = new Uint8Array(
      Array.from(
        { length: 2_000 },
        (
          _,
          i,
        ) => [...line({ jsonrpc: "2.0", id: i + 1, method: "tools/list" })],
      ).flat(),
    );
    // The server answers until stdout's pipe is full, then stops reading.
    void writer.write(requests).catch(() => {});
    await new Promise((r) => setTimeout(r, 2_000));
    const started = performance.now();
    child.kill("SIGTERM");
    const status = await within(
      child.status,
      8_000,
      "the server to exit after SIGTERM",
    );
    const ms = performance.now() - started;
    assert.equal(status.code, 0);
    assert.ok(ms < 1000, `exit took ${ms.toFixed(0)} ms`);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await writer.close().catch(() => {});
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});
