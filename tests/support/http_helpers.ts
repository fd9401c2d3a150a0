/**
 * Helpers for the HTTP tests: start the real server as a process with
 * `serve --http 127.0.0.1:0`, connect the SDK's Streamable HTTP client,
 * and send raw requests (with any Host header, over a plain TCP socket).
 * Every answer read through here is scanned for the Plex token and the
 * bearer token.
 */
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client } from "./sdk_client.ts";
import {
  childEnv,
  MOD_PATH,
  scanForSecrets,
  startFake,
  TEST_TOKEN,
  within,
} from "./helpers.ts";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import type { ServedFake } from "../../src/demo/serve.ts";

export { StreamableHTTPClientTransport };

/** The bearer token the HTTP tests configure (a secret like the Plex token). */
export const HTTP_TOKEN = "http-SECRET-bearer-5d1e9b7a3c";

/** Fails when `text` holds the Plex token or `bearer`. */
export function scanHttp(text: string, where: string, bearer?: string): void {
  scanForSecrets(text, where);
  if (bearer && text.includes(bearer)) {
    throw new Error(
      `the bearer token leaked into ${where}: ${text.slice(0, 200)}`,
    );
  }
}

/** A running `serve --http` process. */
export interface HttpServer {
  /** The endpoint URL it printed. */
  url: string;
  /** `host:port` it listens on. */
  host: string;
  /** The bearer token (configured, or the generated one it printed). */
  token: string | undefined;
  pid: number;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits; returns the exit code. Scans stderr. */
  close(): Promise<number>;
}

/**
 * Spawns `deno run src/mod.ts serve --http <listen> <args>` with `env`
 * (nothing else of this process's, but what Deno needs) and waits for the
 * line that names its URL.
 */
export async function spawnHttp(options: {
  env?: Record<string, string>;
  args?: string[];
  listen?: string;
  allowNet?: string;
  /** More Deno flags, e.g. `--allow-read=<file>`. */
  denoFlags?: string[];
}): Promise<HttpServer> {
  const env = options.env ?? {};
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-env",
      `--allow-net=${options.allowNet ?? "127.0.0.1"}`,
      ...(options.denoFlags ?? []),
      MOD_PATH,
      "serve",
      "--http",
      options.listen ?? "127.0.0.1:0",
      ...(options.args ?? []),
    ],
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  let stdout = "";
  const started = Promise.withResolvers<string>();
  const decoder = new TextDecoder();
  const readErr = (async () => {
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
      const m = /over HTTP at (http:\/\/\S+)/.exec(stderr);
      if (m) started.resolve(m[1]!);
    }
    started.reject(new Error(`the server exited before listening: ${stderr}`));
  })();
  const readOut = (async () => {
    for await (const chunk of child.stdout) {
      stdout += new TextDecoder().decode(chunk);
    }
  })();
  let url: string;
  try {
    url = await within(started.promise, 30_000, "serve --http to listen");
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
    throw error;
  }
  const token = env.PLEX_HTTP_TOKEN ??
    /Authorization: Bearer (\S+)/.exec(stderr)?.[1];
  return {
    url,
    host: new URL(url).host,
    token,
    pid: child.pid,
    stderr: () => stderr,
    close: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      const status = await within(child.status, 10_000, "serve to exit");
      await Promise.all([readErr, readOut]);
      if (stdout.trim()) {
        throw new Error(
          `serve --http wrote to stdout: ${stdout.slice(0, 200)}`,
        );
      }
      // The generated token is printed once, on purpose; nothing else may
      // hold a secret.
      const rest = token ? stderr.replace(`Bearer ${token}`, "") : stderr;
      scanHttp(rest, "serve stderr", token);
      return status.code;
    },
  };
}

/** A fake Plex on loopback and `serve --http` talking to it. */
export async function startHttpRig(
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<{
  fake: FakePlex;
  served: ServedFake;
  server: HttpServer;
  close(): Promise<number>;
}> {
  const { fake, served } = startFake();
  const server = await spawnHttp({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
      PLEX_HTTP_TOKEN: HTTP_TOKEN,
      ...env,
    },
    args,
    allowNet: `127.0.0.1,${served.host}`,
  });
  return {
    fake,
    served,
    server,
    close: async () => {
      const code = await server.close();
      await served.close();
      return code;
    },
  };
}

/** An SDK client connected over Streamable HTTP, every message scanned. */
export async function connectHttp(
  url: string,
  token: string | undefined,
  options: { name?: string; capabilities?: Record<string, unknown> } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client(
    { name: options.name ?? "http-e2e", version: "1" },
    { capabilities: options.capabilities ?? {} },
  );
  await within(client.connect(transport), 20_000, "initialize over HTTP");
  const t = transport as unknown as {
    onmessage?: (m: unknown, extra?: unknown) => void;
  };
  // A leak is recorded and the message still delivered (a throw here
  // would only stall the request); closing the client reports it.
  const leaks: string[] = [];
  const deliver = t.onmessage;
  t.onmessage = (message, extra) => {
    try {
      scanHttp(JSON.stringify(message), "an HTTP message", token);
    } catch (error) {
      leaks.push((error as Error).message);
    }
    deliver?.(message, extra);
  };
  const close = client.close.bind(client);
  client.close = async () => {
    await close();
    if (leaks.length) throw new Error(leaks[0]);
  };
  return { client, transport };
}

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Sends one HTTP/1.1 request over a plain TCP connection, so that any
 * `Host` header can be sent (fetch sets its own), and reads the whole
 * answer (`Connection: close`). SSE answers are read for `readMs` at most.
 */
export async function rawRequest(
  host: string,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    readMs?: number;
  },
): Promise<RawAnswer> {
  const [hostname, port] = [
    host.slice(0, host.lastIndexOf(":")),
    Number(host.slice(host.lastIndexOf(":") + 1)),
  ];
  const conn = await Deno.connect({ hostname, port });
  const body = typeof request.body === "string"
    ? new TextEncoder().encode(request.body)
    : request.body;
  const headers: Record<string, string> = {
    Host: host,
    Connection: "close",
    ...request.headers,
  };
  if (body && !Object.keys(headers).some((k) => /^content-length$/i.test(k))) {
    headers["Content-Length"] = String(body.byteLength);
  }
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${
    Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")
  }\r\n`;
  const chunks: Uint8Array[] = [];
  try {
    await conn.write(new TextEncoder().encode(head));
    if (body) {
      // The server may answer (413) and close before the whole body is in.
      await conn.write(body).catch(() => 0);
    }
    const deadline = Date.now() + (request.readMs ?? 10_000);
    const buffer = new Uint8Array(64 * 1024);
    while (Date.now() < deadline) {
      const n = await Promise.race([
        conn.read(buffer).catch(() => null),
        new Promise<"late">((r) =>
          setTimeout(() => r("late"), Math.max(1, deadline - Date.now()))
        ),
      ]);
      if (n === null || n === "late") break;
      chunks.push(buffer.slice(0, n));
    }
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
  const text = new TextDecoder().decode(
    chunks.reduce((a, c) => {
      const all = new Uint8Array(a.length + c.length);
      all.set(a);
      all.set(c, a.length);
      return all;
    }, new Uint8Array()),
  );
  const split = text.indexOf("\r\n\r\n");
  const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
  const out = new Headers();
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at > 0) out.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  let rest = split >= 0 ? text.slice(split + 4) : "";
  if (out.get("transfer-encoding")?.includes("chunked")) rest = unchunk(rest);
  return {
    status: Number(statusLine?.split(" ")[1] ?? 0),
    headers: out,
    body: rest,
  };
}

function unchunk(text: string): string {
  let out = "";
  let at = 0;
  while (at < text.length) {
    const eol = text.indexOf("\r\n", at);
    if (eol < 0) break;
    const size = parseInt(text.slice(at, eol), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
  return out;
}

/** Headers of an MCP POST with the bearer token (and a session, if given). */
export function mcpHeaders(
  token: string | undefined,
  session?: string,
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...(session ? { "Mcp-Session-Id": session } : {}),
  };
}

/** An initialize request body. */
export function initializeBody(id: number | string = 1): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "raw-http", version: "1" },
    },
  });
}

/** The JSON-RPC messages in an SSE body (`data:` lines with JSON). */
export function sseMessages(body: string): Record<string, unknown>[] {
  return body.split("\n")
    .filter((l) => l.startsWith("data: ") && l.length > 6)
    .map((l) => JSON.parse(l.slice(6)));
}

/**
 * Opens a session with raw fetches (initialize, then initialized) and
 * returns its id. No GET stream is opened: the session is idle between
 * requests.
 */
export async function openRawSession(
  url: string,
  token: string | undefined,
): Promise<string> {
  const init = await fetch(url, {
    method: "POST",
    headers: mcpHeaders(token),
    body: initializeBody(),
  });
  const text = await init.text();
  scanHttp(text, "initialize answer", token);
  if (init.status !== 200) {
    throw new Error(`initialize: ${init.status} ${text}`);
  }
  const session = init.headers.get("mcp-session-id");
  if (!session) throw new Error("no Mcp-Session-Id");
  const done = await fetch(url, {
    method: "POST",
    headers: mcpHeaders(token, session),
    body: JSON.stringify({
      jsonrpc: "2.0",
      method: "notifications/initialized",
    }),
  });
  await done.body?.cancel();
  if (done.status !== 202) throw new Error(`initialized: ${done.status}`);
  return session;
}
