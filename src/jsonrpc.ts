/**
 * A structural check of JSON-RPC 2.0 messages, the same rules as the SDK's
 * `JSONRPCMessageSchema` (request, notification, result or error; no other
 * top-level keys), without building a copy of the message: the transport
 * checks every incoming line, and the protocol layer parses each request
 * against its own schema next anyway.
 *
 * @module
 */

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const isId = (v: unknown) =>
  typeof v === "string" || (typeof v === "number" && Number.isInteger(v));

function onlyKeys(o: Record<string, unknown>, keys: readonly string[]) {
  for (const k in o) if (!keys.includes(k)) return false;
  return true;
}

/** Whether `value` is a JSON-RPC 2.0 request, notification or response. */
export function isJsonRpcMessage(value: unknown): boolean {
  if (!isObject(value) || value.jsonrpc !== "2.0") return false;
  if ("method" in value) {
    if (typeof value.method !== "string") return false;
    if (value.params !== undefined && !isObject(value.params)) return false;
    if ("id" in value) {
      return isId(value.id) &&
        onlyKeys(value, ["jsonrpc", "id", "method", "params"]);
    }
    return onlyKeys(value, ["jsonrpc", "method", "params"]);
  }
  if ("result" in value) {
    return isId(value.id) && isObject(value.result) &&
      onlyKeys(value, ["jsonrpc", "id", "result"]);
  }
  if ("error" in value) {
    const e = value.error;
    return (value.id === undefined || isId(value.id)) && isObject(e) &&
      typeof e.code === "number" && Number.isInteger(e.code) &&
      typeof e.message === "string" &&
      onlyKeys(value, ["jsonrpc", "id", "error"]);
  }
  return false;
}
