/**
 * Shared pieces of the benchmarks: spawning the real server over stdio,
 * reading a process's memory and open handles from /proc, percentiles.
 */
import { Client } from "../tests/sdk_client.ts";
import { StdioClientTransport } from "../tests/sdk_client.ts";

/** Path of the program entry point. */
export const MOD_PATH: string =
  new URL("../src/mod.ts", import.meta.url).pathname;

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
    args: [
      "run",
      "--quiet",
      "--allow-env",
      ...(allowNet ? [`--allow-net=${allowNet}`] : []),
      MOD_PATH,
    ],
    env: { PATH: Deno.env.get("PATH") ?? "", DEV_LOG_LEVEL: "error", ...env },
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
