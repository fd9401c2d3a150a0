/**
 * Bad protocol input and shutdown, over real stdio: the server answers
 * JSON-RPC errors where the spec says so, keeps serving, and stops cleanly.
 */
import assert from "node:assert/strict";
import { startFake, TEST_TOKEN } from "../support/helpers.ts";
import { RawServer } from "../support/raw_server.ts";

Deno.test("garbage, huge lines, invalid JSON-RPC, batches, unknown methods, calls before initialize", async () => {
  const s = new RawServer(["--demo"], {});
  try {
    await s.send("this is not json");
    assert.equal((await s.answer(null)).error.code, -32700);

    await s.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const early = await s.answer(1);
    assert.equal(early.error.code, -32600);
    assert.match(early.error.message, /not initialized/);
    await s.send({ jsonrpc: "2.0", id: 2, method: "ping" });
    assert.deepEqual(
      (await s.answer(2)).result,
      {},
      "ping is allowed before initialize",
    );

    await s.initialize();

    const before = s.messages.length;
    await s.send("x".repeat(5 * 1024 * 1024));
    await s.wait((m) => m.error?.message?.includes("longer than"));
    await s.send({ jsonrpc: "1.0", id: 3, method: "tools/list" });
    const invalid = await s.answer(3);
    assert.equal(invalid.error.code, -32600);
    await s.send({ jsonrpc: "2.0" });
    await s.wait((m, i = s.messages.indexOf(m)) =>
      i > before && m.id === null && m.error?.code === -32600 &&
      /JSON-RPC/.test(m.error.message)
    );
    await s.send([{ jsonrpc: "2.0", id: 4, method: "ping" }]);
    await s.wait((m) => m.error?.message?.includes("batches"));
    await s.send({ jsonrpc: "2.0", id: 5, method: "no/such/method" });
    assert.equal((await s.answer(5)).error.code, -32601);
    await s.send({ jsonrpc: "2.0", id: 6, method: "tools/call" });
    const params = await s.answer(6);
    assert.equal(params.error.code, -32602);
    assert.match(params.error.message, /params/);
    await s.send({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "no_such_tool", arguments: {} },
    });
    assert.equal((await s.answer(7)).result.isError, true);

    // Still serving.
    await s.send({
      jsonrpc: "2.0",
      id: 8,
      method: "tools/call",
      params: { name: "get_libraries", arguments: {} },
    });
    const ok = await s.answer(8);
    assert.equal(ok.result.isError, undefined);
    assert.equal(ok.result.structuredContent.total, 6);
    assert.deepEqual(s.strayLines, [], "stdout held only JSON-RPC");

    const started = performance.now();
    await s.closeStdin();
    const { code, ms } = await s.exit(started);
    assert.equal(code, 0);
    assert.ok(ms < 1000, `exit took ${ms.toFixed(0)} ms`);
  } finally {
    await s.dispose();
  }
});

async function stalledCall() {
  const { fake, served } = startFake();
  fake.fault = "stall";
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
  }, served.host);
  await s.initialize();
  await s.send({
    jsonrpc: "2.0",
    id: 42,
    method: "tools/call",
    params: { name: "get_libraries", arguments: {} },
  });
  // Wait until Plex has the request in hand.
  const deadline = Date.now() + 5000;
  while (
    !fake.requests.some((r) => r.path === "/library/sections") &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(fake.requests.length > 0, "the call reached Plex");
  return { fake, served, s };
}

/**
 * Stops the server with `stop` mid-call and checks the clean exit within
 * `withinMs`, the abort of the Plex request, and that the call was answered.
 */
async function stopsCleanly(
  stop: (s: RawServer) => Promise<void> | void,
  withinMs: number,
): Promise<void> {
  const { fake, served, s } = await stalledCall();
  try {
    const started = performance.now();
    await stop(s);
    const { code, ms } = await s.exit(started);
    assert.equal(code, 0);
    assert.ok(ms < withinMs, `exit took ${ms.toFixed(0)} ms`);
    const answer = s.messages.find((m) => m.id === 42);
    assert.equal(answer?.result?.isError, true, "the call was answered");
    assert.match(answer.result.content[0].text, /get_libraries was cancelled/);
    const deadline = Date.now() + 2000;
    while (fake.aborted === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(fake.aborted >= 1, "in-flight request aborted");
  } finally {
    await s.dispose();
    await served.close();
  }
}

Deno.test("stdin closes mid-call: the call gets the 2 s grace period, is cancelled and answered, exit 0", () =>
  stopsCleanly((s) => s.closeStdin(), 2_000 + 1_000));

Deno.test("SIGTERM: exit 0 within a second, the Plex request aborted and the call answered", () =>
  stopsCleanly((s) => s.child.kill("SIGTERM"), 1_000));
