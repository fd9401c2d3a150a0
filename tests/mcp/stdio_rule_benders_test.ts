/**
 * The stdio transport under clients that bend the rules: one that reuses a
 * request id while it floods the server must meet the same backlog limit
 * as one that numbers its requests.
 */
import assert from "node:assert/strict";
import { MAX_PENDING_REQUESTS, StdioTransport } from "../../src/stdio.ts";
import type { JSONRPCMessage } from "../../src/sdk.ts";
import { initializeParams, startFake, TEST_TOKEN } from "../support/helpers.ts";
import { RawServer } from "../support/raw_server.ts";

const encoder = new TextEncoder();
const line = (m: unknown) => encoder.encode(JSON.stringify(m) + "\n");

/**
 * A transport fed `lines` whose requests are never answered (except
 * initialize): how many messages it delivers before it stops reading.
 */
async function delivered(lines: unknown[]): Promise<number> {
  let index = 0;
  const input = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < lines.length) controller.enqueue(line(lines[index++]));
      // Never closed: a client that keeps the pipe open.
    },
  });
  const transport = new StdioTransport({
    input,
    output: { write: (p) => Promise.resolve(p.length) },
  });
  let count = 0;
  transport.onmessage = (m: JSONRPCMessage) => {
    const msg = m as { id?: string | number; method?: string };
    if (msg.method === "initialize") {
      void transport.send({
        jsonrpc: "2.0",
        id: msg.id!,
        result: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          serverInfo: { name: "t", version: "1" },
        },
      } as JSONRPCMessage);
    } else if (msg.id !== undefined) count++;
  };
  await transport.start();
  await new Promise((r) => setTimeout(r, 200));
  await transport.close();
  return count;
}

Deno.test("the backlog limit counts requests, not ids: a client reusing one id is held to 64 too", async () => {
  const init = {
    jsonrpc: "2.0",
    id: "init",
    method: "initialize",
    params: initializeParams("same-id"),
  };
  const calls = (id: (i: number) => number) =>
    Array.from({ length: 500 }, (_, i) => ({
      jsonrpc: "2.0",
      id: id(i),
      method: "tools/list",
    }));
  assert.equal(MAX_PENDING_REQUESTS, 64);
  assert.equal(await delivered([init, ...calls((i) => i)]), 64);
  assert.equal(await delivered([init, ...calls(() => 7)]), 64);
});

Deno.test("over stdio, requests that reuse one id still pause reading at 64 until they are answered", async () => {
  const { fake, served } = startFake();
  fake.fault = "stall";
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
    PLEX_TIMEOUT: "1",
  }, served.host);
  try {
    await s.initialize();
    const call = JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "get_libraries", arguments: {} },
    });
    const started = performance.now();
    // 100 calls that Plex never answers, all with id 7, then a ping.
    await s.send(Array.from({ length: 100 }, () => call).join("\n"));
    await s.send({ jsonrpc: "2.0", id: "ping", method: "ping" });
    await s.answer("ping", 10_000);
    const pingMs = performance.now() - started;
    // The ping is read only once the first 64 calls have timed out (1 s).
    assert.ok(pingMs >= 900, `ping answered after ${pingMs.toFixed(0)} ms`);
    await s.wait(
      () => s.messages.filter((m) => m.id === 7).length === 100,
      15_000,
    );
    for (const m of s.messages.filter((m) => m.id === 7)) {
      assert.match(m.result.content[0].text, /did not answer within 1 s/);
    }
  } finally {
    await s.dispose();
    await served.close();
  }
});

Deno.test("requests the client cancels leave the backlog: 100 cancelled calls do not stop the server reading", async () => {
  const { fake, served } = startFake();
  fake.fault = "stall";
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
  }, served.host);
  try {
    await s.initialize();
    // The SDK sends no answer to a cancelled request (MCP: the receiver
    // stops and does not respond), so the transport must stop counting it.
    for (let i = 1; i <= 100; i++) {
      await s.send({
        jsonrpc: "2.0",
        id: i,
        method: "tools/call",
        params: { name: "get_libraries", arguments: {} },
      });
      await s.send({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId: i, reason: "the user stopped it" },
      });
    }
    await s.send({ jsonrpc: "2.0", id: "ping", method: "ping" });
    assert.deepEqual((await s.answer("ping", 5_000)).result, {});
  } finally {
    await s.dispose();
    await served.close();
  }
});
