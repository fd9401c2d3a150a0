/**
 * Cold start: spawn to initialize response, versus Deno running an empty
 * script (spawn to exit).
 */
import { median, MOD_PATH, type Section } from "./lib.ts";

async function toInitialize(): Promise<number> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    // A real configuration (Plex is not contacted before the first tool call).
    args: [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1:32400",
      MOD_PATH,
    ],
    env: {
      PLEX_SERVER_URL: "http://127.0.0.1:32400",
      PLEX_TOKEN: "cold-start-token",
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(
    JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    }) + "\n",
  ));
  const reader = child.stdout.getReader();
  await reader.read();
  const elapsed = performance.now() - started;
  reader.releaseLock();
  await writer.close();
  await child.stdout.cancel();
  await child.status;
  return elapsed;
}

async function empty(file: string): Promise<number> {
  const started = performance.now();
  await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", file],
    stdout: "null",
    stderr: "null",
  }).output();
  return performance.now() - started;
}

/** Measures `n` cold starts of each. */
export async function coldStart(n: number): Promise<Section> {
  const file = new URL("./empty.ts", import.meta.url).pathname;
  {
    await toInitialize();
    await empty(file); // warm the module and code caches
    const sdkFile = new URL("./sdk_only.ts", import.meta.url).pathname;
    await empty(sdkFile);
    const server: number[] = [];
    const baseline: number[] = [];
    const sdk: number[] = [];
    for (let i = 0; i < n; i++) {
      server.push(await toInitialize());
      baseline.push(await empty(file));
      sdk.push(await empty(sdkFile));
    }
    const ratio = median(server) / median(baseline);
    return {
      title: `Cold start: ${n} runs`,
      lines: [
        "| figure | median (ms) |",
        "| --- | --- |",
        `| spawn → initialize response (\`deno run src/mod.ts\`) | ${
          median(server).toFixed(0)
        } |`,
        `| Deno running an empty script | ${median(baseline).toFixed(0)} |`,
        `| Deno loading only the MCP SDK's server module | ${
          median(sdk).toFixed(0)
        } |`,
        `| ratio (server / empty script) | ${ratio.toFixed(1)}× |`,
        "",
        "Most of the start is loading the MCP SDK (which pulls in zod and the ajv JSON-schema validator before any of our code runs). Meeting 3× would mean replacing the SDK's server with a lighter protocol layer of our own; a bundled single-file build (`deno bundle`) was measured at about two thirds of the time, still well above 3×.",
      ],
      targets: [{
        name: "cold start < 3× an empty Deno script",
        met: ratio < 3,
        detail: `${ratio.toFixed(1)}×`,
      }],
    };
  }
}
