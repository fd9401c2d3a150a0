/**
 * Cold start: spawn to the initialize (and tools/list) response of plexmcp,
 * divided by the same for the smallest SDK server (`sdk_fixture.ts`: one
 * `McpServer`, one zod tool, the SDK's stdio transport) measured in the same
 * run, with a breakdown against Deno running an empty script.
 */
import { initializeParams, noProxy, serverArgs } from "../tests/helpers.ts";
import { median, type Section } from "./lib.ts";

const encoder = new TextEncoder();

function line(message: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(message) + "\n");
}

/**
 * One start of the server: milliseconds from spawn to the initialize
 * response, and to the tools/list response that a client sends next.
 */
async function startUp(
  args: string[],
): Promise<{ initialize: number; toolsList: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    // A real configuration (Plex is not contacted before the first tool call).
    env: {
      PLEX_SERVER_URL: "http://127.0.0.1:32400",
      PLEX_TOKEN: "cold-start-token",
      NO_PROXY: noProxy(),
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
  const ours = serverArgs({ allowNet: "127.0.0.1:32400" });
  // The bundled form (not a target): `deno bundle` of the same entry point.
  const bundle = `/tmp/plexmcp-bench-${Deno.pid}/plexmcp.js`;
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform=deno", "-o", bundle, "src/mod.ts"],
    cwd: new URL("../", import.meta.url).pathname,
    stdout: "null",
    stderr: "piped",
  }).output();
  const bundled = built.success
    ? [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1:32400",
      bundle,
    ]
    : undefined;
  const fixture = ["run", "--quiet", "--allow-env", script("./sdk_fixture.ts")];
  // Warm the module and code caches first.
  await startUp(ours);
  await startUp(fixture);
  for (const [, file] of loads) await empty(file);
  const initialize: number[] = [];
  const toolsList: number[] = [];
  const fixtureInitialize: number[] = [];
  const fixtureToolsList: number[] = [];
  const bundledInitialize: number[] = [];
  const loaded: number[][] = loads.map(() => []);
  // Interleaved, so that a slow moment of the machine hits both sides alike.
  for (let i = 0; i < n; i++) {
    const run = await startUp(ours);
    initialize.push(run.initialize);
    toolsList.push(run.toolsList);
    const base = await startUp(fixture);
    fixtureInitialize.push(base.initialize);
    fixtureToolsList.push(base.toolsList);
    if (bundled) bundledInitialize.push((await startUp(bundled)).initialize);
    for (const [j, [, file]] of loads.entries()) {
      loaded[j]!.push(await empty(file));
    }
  }
  await new Deno.Command("rm", {
    args: ["-rf", `/tmp/plexmcp-bench-${Deno.pid}`],
  }).output().catch(() => {});
  const emptyMs = median(loaded[0]!);
  const initRatio = median(initialize) / median(fixtureInitialize);
  const listRatio = median(toolsList) / median(fixtureToolsList);
  const row = (name: string, samples: number[], vsFixture?: number[]) =>
    `| ${name} | ${median(samples).toFixed(0)} | ${
      vsFixture ? (median(samples) / median(vsFixture)).toFixed(2) + "×" : "–"
    } | ${(median(samples) / emptyMs).toFixed(1)}× |`;
  return {
    title: `Cold start: ${n} runs`,
    lines: [
      "| figure | median (ms) | / one-tool SDK server | / empty script |",
      "| --- | --- | --- | --- |",
      row(
        "plexmcp: spawn → initialize response (`deno run src/mod.ts`)",
        initialize,
        fixtureInitialize,
      ),
      row(
        "plexmcp: spawn → tools/list response (sent right after)",
        toolsList,
        fixtureToolsList,
      ),
      row("one-tool SDK server: spawn → initialize", fixtureInitialize),
      ...(bundled
        ? [
          row(
            "plexmcp bundled (`deno bundle`, one file): spawn → initialize",
            bundledInitialize,
            fixtureInitialize,
          ),
        ]
        : [
          `| plexmcp bundled: \`deno bundle\` failed (${
            new TextDecoder().decode(built.stderr).trim().split("\n")[0]
          }) | – | – | – |`,
        ]),
      row("one-tool SDK server: spawn → tools/list", fixtureToolsList),
      ...loads.map(([name], j) => row(name, loaded[j]!)),
      "",
      "The bundled row is informational, not a target: `deno run jsr:@plexmcp/server` and a checkout run the sources. Bundling everything, the SDK included, into one file removes most of the per-module loading.",
      "",
      "The baseline is `bench/sdk_fixture.ts`: one `McpServer` with one zod-described tool on the SDK's stdio transport, the least any server built on `npm:@modelcontextprotocol/sdk` loads. Most of a start is loading the SDK itself: its protocol types build a zod schema for every MCP message, and its server module adds the ajv JSON-schema validator, zod's v3 compatibility layer and zod-to-json-schema. The ratios show what plexmcp adds on top.",
    ],
    targets: [
      {
        name: "spawn → initialize ≤ 1.05× the one-tool SDK server",
        met: initRatio <= 1.05,
        detail: `${initRatio.toFixed(2)}×`,
      },
      {
        name: "spawn → tools/list ≤ 1.10× the one-tool SDK server",
        met: listRatio <= 1.10,
        detail: `${listRatio.toFixed(2)}×`,
      },
    ],
  };
}
