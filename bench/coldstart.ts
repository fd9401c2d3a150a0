/**
 * Cold start: spawn to the initialize (and tools/list) response, versus Deno
 * running an empty script (spawn to exit), with a breakdown of what loading
 * the SDK alone costs.
 */
import { initializeParams, serverArgs } from "../tests/helpers.ts";
import { median, type Section } from "./lib.ts";

const encoder = new TextEncoder();

function line(message: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(message) + "\n");
}

/**
 * One start of the server: milliseconds from spawn to the initialize
 * response, and to the tools/list response that a client sends next.
 */
async function startUp(): Promise<{ initialize: number; toolsList: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    // A real configuration (Plex is not contacted before the first tool call).
    args: serverArgs({ allowNet: "127.0.0.1:32400" }),
    env: {
      PLEX_SERVER_URL: "http://127.0.0.1:32400",
      PLEX_TOKEN: "cold-start-token",
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  // Resolves with the time at which the response with `id` arrived.
  const answered = async (id: number): Promise<number> => {
    while (true) {
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const message = JSON.parse(buffered.slice(0, nl)) as { id?: number };
        buffered = buffered.slice(nl + 1);
        if (message.id === id) return performance.now() - started;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("the server closed stdout");
      buffered += decoder.decode(value, { stream: true });
    }
  };
  await writer.write(line({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: initializeParams("bench"),
  }));
  const initialize = await answered(1);
  await writer.write(
    line({ jsonrpc: "2.0", method: "notifications/initialized" }),
  );
  await writer.write(line({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
  const toolsList = await answered(2);
  reader.releaseLock();
  await writer.close();
  await child.stdout.cancel();
  await child.status;
  return { initialize, toolsList };
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
  const script = (name: string) => new URL(name, import.meta.url).pathname;
  const loads: [string, string][] = [
    ["Deno running an empty script", script("./empty.ts")],
    ["… loading only zod", script("./load_zod.ts")],
    [
      "… loading only the MCP SDK's protocol types (its zod schemas)",
      script("./load_sdk_types.ts"),
    ],
    [
      "… loading only the MCP SDK's server module",
      script("./sdk_only.ts"),
    ],
    [
      "… loading only plexmcp's tools, config and Plex client (no SDK)",
      script("./load_catalogue.ts"),
    ],
  ];
  // Warm the module and code caches first.
  await startUp();
  for (const [, file] of loads) await empty(file);
  const initialize: number[] = [];
  const toolsList: number[] = [];
  const loaded: number[][] = loads.map(() => []);
  for (let i = 0; i < n; i++) {
    const run = await startUp();
    initialize.push(run.initialize);
    toolsList.push(run.toolsList);
    for (const [j, [, file]] of loads.entries()) {
      loaded[j]!.push(await empty(file));
    }
  }
  const base = median(loaded[0]!);
  const ratio = median(initialize) / base;
  const row = (name: string, samples: number[]) =>
    `| ${name} | ${median(samples).toFixed(0)} | ${
      (median(samples) / base).toFixed(1)
    }× |`;
  return {
    title: `Cold start: ${n} runs`,
    lines: [
      "| figure | median (ms) | / empty script |",
      "| --- | --- | --- |",
      row("spawn → initialize response (`deno run src/mod.ts`)", initialize),
      row("spawn → tools/list response (sent right after)", toolsList),
      ...loads.map(([name], j) => row(name, loaded[j]!)),
      "",
      "Most of the start is loading the MCP SDK before any of our code runs: its protocol types build a zod schema for every MCP message, and its server module adds the ajv JSON-schema validator, zod's v3 compatibility layer and zod-to-json-schema. With the SDK as the server, 3× an empty script is out of reach. Replacing the SDK's server with a lighter protocol layer of our own would not be enough either: our tool catalogue with its zod schemas, without any SDK code, already takes about 3× to load, so the schemas would also have to be built lazily. Answering initialize before the SDK has loaded would meet the number without making the server usable any sooner (tools/list would still wait), so it is not done.",
    ],
    targets: [{
      name: "cold start < 3× an empty Deno script",
      met: ratio < 3,
      detail: `${ratio.toFixed(1)}×`,
    }],
  };
}
