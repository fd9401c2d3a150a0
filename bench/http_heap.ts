/**
 * Run by `bench/http_sessions.ts` as its own process with
 * `--v8-flags=--expose-gc`: the HTTP endpoint in process (no network), on
 * the demo fake, through `rounds` rounds of `n` sessions, each opened,
 * initialized, asked `tools/list` and a call, given a GET stream, and
 * ended with DELETE. After each round the heap is collected and its size
 * printed: sessions that ended must leave nothing behind. Prints one JSON
 * line: `{ "heapMB": [...], "open": <sessions still open> }`.
 */
import { McpHttpHandler } from "../src/http/handler.ts";
import { loadHttpSettings } from "../src/http/settings.ts";
import { createServer } from "../src/server.ts";
import { Logger } from "../src/log.ts";
import { FakePlex } from "../src/demo/fake_plex/mod.ts";
import { PlexClient } from "../src/plex/client.ts";
import { PlexServers } from "../src/servers.ts";

const n = Number(Deno.args[0] ?? 200);
const rounds = Number(Deno.args[1] ?? 6);
const TOKEN = "heap-bench-token-000";
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

const fake = new FakePlex({ token: "heap-plex-token" });
const plex = new PlexClient({
  baseUrl: "http://fake:32400",
  token: "heap-plex-token",
  fetch: fake.fetch,
});
const servers = PlexServers.single(plex);
const quiet = () => new Logger({ write: () => {} });
const shutdown = new AbortController();
const handler = new McpHttpHandler({
  settings: { ...loadHttpSettings({}), token: TOKEN, maxSessions: n + 10 },
  secrets: () => servers.secrets(),
  logger: quiet(),
  createServer: (ended) =>
    createServer({
      plex,
      servers,
      logger: quiet(),
      shutdownSignal: AbortSignal.any([shutdown.signal, ended]),
    }),
});

const headers = (
  session?: string,
  accept = "application/json, text/event-stream",
) => ({
  "content-type": "application/json",
  accept,
  authorization: `Bearer ${TOKEN}`,
  host: "127.0.0.1:8765",
  ...(session
    ? { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" }
    : {}),
});
const request = (
  method: string,
  body?: unknown,
  session?: string,
  accept?: string,
) =>
  handler.handle(
    new Request("http://127.0.0.1:8765/mcp", {
      method,
      headers: headers(session, accept),
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

async function session(): Promise<void> {
  const init = await request("POST", {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "heap", version: "1" },
    },
  });
  const id = init.headers.get("mcp-session-id");
  await init.text();
  if (!id) throw new Error("no session");
  await (await request(
    "POST",
    { jsonrpc: "2.0", method: "notifications/initialized" },
    id,
  )).body?.cancel();
  await (await request(
    "POST",
    { jsonrpc: "2.0", id: 2, method: "tools/list" },
    id,
  ))
    .text();
  await (await request("POST", {
    jsonrpc: "2.0",
    id: 3,
    method: "tools/call",
    params: { name: "get_plex_status", arguments: {} },
  }, id)).text();
  const stream = await request("GET", undefined, id, "text/event-stream");
  const reader = stream.body!.getReader();
  await (await request("DELETE", undefined, id)).body?.cancel();
  // DELETE closes the session's stream.
  if (!(await reader.read()).done) throw new Error("stream left open");
}

const heapMB: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < n; i++) await session();
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  heapMB.push(Math.round(Deno.memoryUsage().heapUsed / 1e4) / 100);
}
const open = handler.sessionCount;
await handler.close();
Deno.stdout.writeSync(
  new TextEncoder().encode(JSON.stringify({ heapMB, open }) + "\n"),
);
