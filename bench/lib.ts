/**
 * Shared pieces of the benchmarks: spawning the real server over stdio,
 * reading a process's memory and open handles from /proc, percentiles.
 */
import { Client, StdioClientTransport } from "../tests/sdk_client.ts";
import { FakePlex } from "../src/demo/fake_plex.ts";
import type { DemoLibrary } from "../src/demo/library.ts";
import { type ServedFake, serveFake } from "../src/demo/serve.ts";
import {
  childEnv,
  initializeParams,
  noProxy,
  serverArgs,
} from "../tests/helpers.ts";

/** The token every benchmark uses with its fake. */
export const BENCH_TOKEN = "bench-token-0000";

/** A loopback fake and a real server process connected to it. */
export interface Rig {
  fake: FakePlex;
  served: ServedFake;
  server: Served;
  /** Calls a tool; throws on a tool error. */
  call(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<{ text: string; structured: unknown; bytes: number }>;
  close(): Promise<void>;
}

/** Starts a fake (optionally over `library`) and a server talking to it. */
export async function startRig(
  options: { library?: DemoLibrary; env?: Record<string, string> } = {},
): Promise<Rig> {
  const fake = new FakePlex({ token: BENCH_TOKEN, library: options.library });
  const served = serveFake(fake);
  const server = await spawnServer(
    { PLEX_SERVER_URL: served.url, PLEX_TOKEN: BENCH_TOKEN, ...options.env },
    served.host,
  );
  return {
    fake,
    served,
    server,
    call: async (name, args = {}) => {
      const r = await server.client.callTool({ name, arguments: args });
      const text = (r.content as { type: string; text?: string }[]).map((c) =>
        c.text ?? ""
      ).join("\n");
      if (r.isError) throw new Error(`${name} failed: ${text}`);
      return {
        text,
        structured: r.structuredContent,
        bytes: new TextEncoder().encode(text).length,
      };
    },
    close: async () => {
      await server.close();
      await served.close();
    },
  };
}

/** A connected client and the server's pid. */
export interface Served {
  client: Client;
  pid: number;
  close(): Promise<void>;
}

/** Spawns the server (`deno run src/mod.ts`) and connects an SDK client. */
export async function spawnServer(
  env: Record<string, string>,
  allowNet?: string,
): Promise<Served> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: serverArgs({ allowNet }),
    env: childEnv({ DEV_LOG_LEVEL: "error", ...env }),
    stderr: "ignore",
  });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(transport);
  return { client, pid: transport.pid!, close: () => client.close() };
}

// Deno asks for full permissions to read another process's /proc entry, so
// the benchmarks ask coreutils (`cat`, `ls`) instead.
function run(cmd: string, args: string[]): string {
  const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" })
    .outputSync();
  return new TextDecoder().decode(out.stdout);
}

/** Resident memory of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = run("cat", [`/proc/${pid}/status`]);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
  return kb * 1024;
}

/**
 * CPU time a process has used so far, all threads, in milliseconds (Linux
 * schedstat, nanosecond resolution).
 */
export function cpuMs(pid: number): number {
  const text = run("sh", ["-c", `cat /proc/${pid}/task/*/schedstat`]);
  let ns = 0;
  for (const line of text.split("\n")) {
    const first = Number(line.split(" ")[0]);
    if (Number.isFinite(first)) ns += first;
  }
  return ns / 1e6;
}

/** Open file descriptors of a process (Linux /proc). */
export function openHandles(pid: number): number {
  return run("ls", [`/proc/${pid}/fd`]).split("\n").filter(Boolean).length;
}

/** The p-th percentile (0-100) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[at] ?? NaN;
}

/** Median. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One section of the report. */
export interface Section {
  /** Heading. */
  title: string;
  /** Markdown lines (tables, bullets). */
  lines: string[];
  /** Targets checked in this section. */
  targets: { name: string; met: boolean; detail: string }[];
}

/** Times an async function in milliseconds. */
export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

/**
 * A bare JSON-RPC client over the server's stdio: no SDK validation on the
 * client side, so timings show the server as seen on the wire.
 */
export class WireClient {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #pending = new Map<number, (message: unknown) => void>();
  #nextId = 1;
  readonly #reading: Promise<void>;

  /** Spawns the server with `env` and network access to `allowNet`. */
  constructor(env: Record<string, string>, allowNet: string) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: serverArgs({ allowNet }),
      env: { DEV_LOG_LEVEL: "error", NO_PROXY: noProxy(), ...env },
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    const stdout = this.#child.stdout;
    this.#reading = (async () => {
      // Raw reads and one decode per line: a stream pipeline here would add
      // its own cost to every measured call.
      const decoder = new TextDecoder();
      let pending = new Uint8Array(0);
      const reader = stdout.getReader();
      while (true) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        let data = chunk;
        if (pending.length) {
          data = new Uint8Array(pending.length + chunk.length);
          data.set(pending);
          data.set(chunk, pending.length);
        }
        let from = 0;
        let nl;
        while ((nl = data.indexOf(0x0a, from)) >= 0) {
          const message = JSON.parse(decoder.decode(data.subarray(from, nl)));
          from = nl + 1;
          this.#pending.get(message.id)?.(message);
          this.#pending.delete(message.id);
        }
        pending = data.slice(from);
      }
    })();
  }

  /** Sends a request and resolves with the response. */
  request(
    method: string,
    params: unknown,
  ): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.#nextId++;
    const answer = new Promise<{ result?: unknown; error?: unknown }>((
      resolve,
    ) => this.#pending.set(id, resolve as (m: unknown) => void));
    this.#writer.write(
      new TextEncoder().encode(
        JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n",
      ),
    );
    return answer;
  }

  /** Initializes the session. */
  async initialize(): Promise<void> {
    await this.request("initialize", initializeParams("bench"));
    await this.#writer.write(
      new TextEncoder().encode(
        JSON.stringify({
          jsonrpc: "2.0",
          method: "notifications/initialized",
        }) + "\n",
      ),
    );
  }

  /** Closes stdin and waits for exit. */
  async close(): Promise<void> {
    await this.#writer.close();
    await this.#child.status;
    await this.#reading;
  }
}
