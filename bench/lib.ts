/**
 * Shared pieces of the benchmarks: spawning the real server over stdio,
 * reading a process's memory and open handles from /proc, percentiles.
 */
import { Client, StdioClientTransport } from "../tests/support/sdk_client.ts";
import { FakePlex } from "../src/demo/fake_plex/mod.ts";
import type { DemoLibrary } from "../src/demo/library.ts";
import { type ServedFake, serveFake } from "../src/demo/serve.ts";
import {
  childEnv,
  initializeParams,
  noProxy,
  serverArgs,
} from "../tests/support/helpers.ts";

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

/** MiB (2^20 bytes) with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One megabyte as the targets count it: 10^6 bytes (MB, not MiB). */
export const MB = 1_000_000;

/** MB (10^6 bytes) with one decimal, and the same in MiB. */
export function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB (${mib(bytes)})`;
}

/** `median (p25–p75)` of samples, two decimals. */
export function spread(samples: readonly number[]): string {
  const low = percentile(samples, 25);
  const high = percentile(samples, 75);
  // "−1.16–−0.81" would read as a subtraction.
  const to = low < 0 ? " to " : "–";
  return `${median(samples).toFixed(2)} (${low.toFixed(2)}${to}${
    high.toFixed(2)
  })`;
}

/** One section of the report. */
export interface Section {
  /** Heading. */
  title: string;
  /** Markdown lines (tables, bullets). */
  lines: string[];
  /** Targets checked in this section. */
  targets: { name: string; met: boolean; detail: string }[];
  /** Why this section's timings may not be trusted (a loaded machine). */
  warnings?: string[];
}

// A fixed amount of CPU-bound work (integer hashing, no allocation), so
// that its time shows how much of a core the benchmark gets.
function spin(rounds: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < rounds; i++) h = Math.imul(h ^ i, 0x01000193) >>> 0;
  return h;
}

const SPIN_ROUNDS = 8_000_000;

/** CPU time in clock ticks: the whole machine's busy time, and ours. */
function cpuTicks(): { machine: number; own: number } | undefined {
  try {
    // /proc/stat's first line: cpu user nice system idle iowait irq …
    const cpu = run("cat", ["/proc/stat"]).split("\n")[0]!.trim().split(/\s+/)
      .slice(1).map(Number);
    // /proc/<pid>/stat fields 14–17 (after the name in parentheses): our
    // user and system time and those of our children that have exited.
    const stat = run("cat", [`/proc/${Deno.pid}/stat`]);
    const own = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 15)
      .map(Number);
    if (cpu.length < 5 || own.length < 4) return undefined;
    const total = cpu.reduce((a, b) => a + b, 0);
    const machine = total - cpu[3]! - cpu[4]!; // minus idle and iowait
    const mine = own.reduce((a, b) => a + b, 0);
    return Number.isFinite(machine + mine) ? { machine, own: mine } : undefined;
  } catch {
    return undefined; // not Linux
  }
}

/** Clock ticks per second of /proc's CPU times. */
function clockTicks(): number {
  try {
    const hz = Number(run("getconf", ["CLK_TCK"]).trim());
    return hz > 0 ? hz : 100;
  } catch {
    return 100;
  }
}

/**
 * Watches how loaded the machine is during a section, two ways: the CPU
 * time that processes other than the benchmark and its children used
 * (machine-wide busy time from /proc/stat minus ours), and a CPU-bound
 * calibration loop timed at each {@link sample} (its slowest run against
 * its fastest). When either says that something else competed for the
 * cores, the section's timings are reported as unreliable. The timing
 * targets are still checked; the warning says how far to trust them.
 */
export class LoadProbe {
  readonly #spins: number[] = [];
  readonly #started = performance.now();
  readonly #ticks = cpuTicks();
  /** Loop time of the slowest run over the fastest above which to warn. */
  static readonly SPREAD_LIMIT = 1.5;
  /** Cores other processes may use on average before a warning. */
  static readonly OTHERS_LIMIT = 0.25;

  constructor() {
    // Let V8 optimise the loop before the first sample counts.
    for (let i = 0; i < 3; i++) spin(SPIN_ROUNDS / 4);
    this.sample();
  }

  /**
   * Times the loop: the best of three runs, so that one preemption does not
   * count as load.
   */
  sample(): void {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      spin(SPIN_ROUNDS);
      best = Math.min(best, performance.now() - started);
    }
    this.#spins.push(best);
  }

  /**
   * The calibration figures, and a warning if the machine was loaded. Call
   * once all of the section's processes have exited (their CPU time counts
   * as ours only then).
   */
  summary(): { line: string; warning?: string } {
    this.sample();
    const spins = this.#spins;
    const min = Math.min(...spins);
    const max = Math.max(...spins);
    const cores = navigator.hardwareConcurrency;
    const now = cpuTicks();
    const seconds = (performance.now() - this.#started) / 1000;
    const others = this.#ticks && now
      ? Math.max(
        0,
        (now.machine - this.#ticks.machine - (now.own - this.#ticks.own)) /
          clockTicks() / seconds,
      )
      : undefined;
    const line = `Load check: other processes used ${
      others === undefined ? "an unknown share" : `${others.toFixed(2)} cores`
    } on average during this section (${cores} cores; machine CPU time from /proc/stat minus the benchmark's and its children's); a fixed CPU-bound loop in the benchmark process took ${
      spins[0]!.toFixed(1)
    } ms at the start, ${spins[spins.length - 1]!.toFixed(1)} ms at the end, ${
      min.toFixed(1)
    }–${max.toFixed(1)} ms over ${spins.length} samples.`;
    const why: string[] = [];
    if (others !== undefined && others > LoadProbe.OTHERS_LIMIT) {
      why.push(`other processes used ${others.toFixed(2)} cores on average`);
    }
    if (max / min > LoadProbe.SPREAD_LIMIT) {
      why.push(
        `the calibration loop ran ${
          (max / min).toFixed(1)
        }× slower at worst than at best`,
      );
    }
    return {
      line,
      warning: why.length
        ? `the machine was loaded during this section (${
          why.join("; ")
        }): its timings and timing targets are not reliable; rerun on a quiet machine`
        : undefined,
    };
  }
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

  /**
   * Spawns the server with `env` and network access to `allowNet`; or,
   * given `script`, that server instead (the benchmarks' SDK fixtures).
   */
  constructor(env: Record<string, string>, allowNet: string, script?: string) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: script
        ? [
          "run",
          "--quiet",
          "--allow-env",
          `--allow-net=${allowNet}`,
          new URL(script, import.meta.url).pathname,
        ]
        : serverArgs({ allowNet }),
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
