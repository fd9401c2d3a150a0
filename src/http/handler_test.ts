/**
 * The HTTP endpoint's caps under concurrency, in process: far more
 * initializes and calls than the caps allow arrive at once, many times,
 * and the live counts never pass the caps and come back to zero.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../demo/fake_plex/mod.ts";
import { Logger } from "../log.ts";
import { PlexClient } from "../plex/client.ts";
import { createServer } from "../server.ts";
import { McpHttpHandler } from "./handler.ts";
import type { HttpSettings } from "./settings.ts";

const PLEX_TOKEN = "plex-SECRET-caps-4e1d";
const BEARER = "bearer-SECRET-caps-77a0c3e9";
const URL_ = "http://127.0.0.1:8765/mcp";

/** Plex answers held until the test lets them go. */
class Gate {
  #open: Promise<void> = Promise.resolve();
  #release: () => void = () => {};
  /** Holds every answer from now on. */
  hold(): void {
    this.#open = new Promise((r) => (this.#release = r));
  }
  /** Lets every held answer go. */
  release(): void {
    this.#release();
    this.#open = Promise.resolve();
  }
  get wait(): Promise<void> {
    return this.#open;
  }
}

function rig(settings: Partial<HttpSettings>) {
  const fake = new FakePlex({ token: PLEX_TOKEN });
  const gate = new Gate();
  const plex = new PlexClient({
    baseUrl: "http://plex.invalid:32400",
    token: PLEX_TOKEN,
    fetch: async (input, init) => {
      await gate.wait;
      return fake.fetch(input, init);
    },
    timeoutMs: 20_000,
  });
  const logger = new Logger({ write: () => {} });
  const handler = new McpHttpHandler({
    settings: {
      token: BEARER,
      path: "/mcp",
      sessionIdleMs: 600_000,
      maxSessions: 100,
      maxStreams: 32,
      allowedHosts: [],
      allowedOrigins: [],
      ...settings,
    },
    createServer: (ended) =>
      createServer({ plex, logger, shutdownSignal: ended }),
    secrets: () => plex.secrets(),
    logger,
  });
  return { handler, gate };
}

function post(body: unknown, session?: string): Request {
  return new Request(URL_, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      Authorization: `Bearer ${BEARER}`,
      "Mcp-Protocol-Version": "2025-11-25",
      ...(session ? { "Mcp-Session-Id": session } : {}),
    },
    body: JSON.stringify(body),
  });
}

const initialize = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "caps", version: "1" },
  },
});

async function openSession(handler: McpHttpHandler): Promise<string> {
  const r = await handler.handle(post(initialize(1)));
  await r.body?.cancel();
  assert.equal(r.status, 200);
  const id = r.headers.get("mcp-session-id")!;
  const done = await handler.handle(
    post({ jsonrpc: "2.0", method: "notifications/initialized" }, id),
  );
  assert.equal(done.status, 202);
  return id;
}

Deno.test("PLEX_HTTP_MAX_SESSIONS holds when 40 initializes arrive at once, wave after wave, and the count returns to zero", async () => {
  const cap = 3;
  const { handler } = rig({ maxSessions: cap });
  let peak = 0;
  const sample = () => (peak = Math.max(peak, handler.sessionCount));
  const opened = new Set<string>();
  try {
    for (let wave = 0; wave < 8; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const r = await handler.handle(post(initialize(i)));
          sample();
          // Reading the answer ends its stream: the session turns idle and
          // may be closed to make room for the next.
          await r.text();
          sample();
          const id = r.headers.get("mcp-session-id");
          if (id) opened.add(id);
          return r.status;
        }),
      );
      sample();
      assert.ok(
        answers.every((s) => s === 200 || s === 429),
        answers.join(","),
      );
      assert.ok(answers.filter((s) => s === 200).length >= cap);
      assert.ok(
        handler.sessionCount <= cap,
        `wave ${wave}: ${handler.sessionCount} sessions open`,
      );
    }
    assert.ok(peak <= cap, `${peak} sessions were open at once (cap ${cap})`);
    for (const id of opened) {
      const r = await handler.handle(
        new Request(URL_, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${BEARER}`, "Mcp-Session-Id": id },
        }),
      );
      await r.body?.cancel();
    }
    assert.equal(handler.sessionCount, 0);
    assert.equal(handler.streamCount, 0);
  } finally {
    await handler.close();
  }
});

Deno.test("PLEX_HTTP_MAX_STREAMS holds when 40 calls arrive at once in one session, wave after wave, and the count returns to zero", async () => {
  const cap = 4;
  const { handler, gate } = rig({ maxStreams: cap });
  try {
    const session = await openSession(handler);
    for (let wave = 0; wave < 6; wave++) {
      gate.hold();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          handler.handle(post({
            jsonrpc: "2.0",
            id: wave * 100 + i,
            method: "tools/call",
            params: { name: "get_libraries", arguments: {} },
          }, session))),
      );
      // Every call is waiting for Plex: each 200 holds a stream open.
      const streams = handler.streamCount;
      const ok = answers.filter((r) => r.status === 200).length;
      assert.ok(
        streams <= cap,
        `wave ${wave}: ${streams} streams open (cap ${cap})`,
      );
      assert.equal(ok, cap, `wave ${wave}: ${ok} calls got a stream`);
      for (const r of answers.filter((r) => r.status === 429)) {
        assert.match(
          (await r.json()).error.message,
          /PLEX_HTTP_MAX_STREAMS/,
        );
      }
      gate.release();
      const texts = await Promise.all(
        answers.filter((r) => r.status === 200).map((r) => r.text()),
      );
      for (const t of texts) assert.match(t, /"result"/);
      assert.equal(handler.streamCount, 0, `wave ${wave}: streams left open`);
    }
    // A request that opens no stream (a notification) takes no slot.
    const note = await handler.handle(
      post({ jsonrpc: "2.0", method: "notifications/initialized" }, session),
    );
    assert.equal(note.status, 202);
    assert.equal(handler.streamCount, 0);
  } finally {
    gate.release();
    await handler.close();
  }
  assert.equal(handler.sessionCount, 0);
});
