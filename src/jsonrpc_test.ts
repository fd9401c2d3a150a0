import assert from "node:assert/strict";
import { JSONRPCMessageSchema } from "./sdk.ts";
import { isJsonRpcMessage } from "./jsonrpc.ts";

Deno.test("isJsonRpcMessage agrees with the SDK's JSONRPCMessageSchema", () => {
  const cases: unknown[] = [
    { jsonrpc: "2.0", id: 1, method: "ping" },
    { jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "x" } },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: 1, result: {} },
    { jsonrpc: "2.0", id: 1, error: { code: -1, message: "m", data: 1 } },
    { jsonrpc: "2.0", error: { code: -1, message: "m" } },
    { jsonrpc: "1.0", id: 1, method: "ping" },
    { jsonrpc: "2.0" },
    { jsonrpc: "2.0", id: 1.5, method: "ping" },
    { jsonrpc: "2.0", id: null, method: "ping" },
    { jsonrpc: "2.0", id: 1, method: "ping", extra: 1 },
    { jsonrpc: "2.0", id: 1, method: 5 },
    { jsonrpc: "2.0", id: 1, method: "x", params: [1] },
    { jsonrpc: "2.0", id: 1, result: 5 },
    { jsonrpc: "2.0", id: 1, error: { code: 1.5, message: "m" } },
    { jsonrpc: "2.0", id: 1, error: { message: "m" } },
    null,
    [],
    "x",
  ];
  for (const c of cases) {
    assert.equal(
      isJsonRpcMessage(c),
      JSONRPCMessageSchema.safeParse(c).success,
      JSON.stringify(c),
    );
  }
});
