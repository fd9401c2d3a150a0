/**
 * Cold start: spawn to the initialize (and tools/list) response of plexmcp,
 * divided by the same for the smallest SDK server (`sdk_fixture.ts`: one
 * `McpServer`, one zod tool, the SDK's stdio transport) measured in the same
 * run; plain and with the V8 flag the Desktop snippets pass; the bundled
 * forms; what each start-up technique saves (variants of the server, each a
 * fixture in bench/); and a breakdown of module loading against Deno
 * running an empty script.
 */
import {
  initializeParams,
  noProxy,
  serverArgs,
} from "../tests/support/helpers.ts";
import { LoadProbe, median, percentile, type Section } from "./lib.ts";
import { V8_FLAGS_ARG } from "../src/config/v8_flags.ts";

const encoder = new TextEncoder();

function line(message: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(message) + "\n");
}

/** The V8 flag every documented way of running the server passes. */
const SIZE_FLAG = V8_FLAGS_ARG;

/** One start: times and the two answers as sent. */
interface Start {
  initialize: number;
  toolsList: number;
  initializeText: string;
  toolsListText: string;
}

/**
 * One start of a server: milliseconds from spawn to the initialize
 * response, and to the tools/list response that a client sends next.
 */
async function startUp(
  args: string[],
  command: string = Deno.execPath(),
): Promise<Start> {
  const started = performance.now();
  const child = new Deno.Command(command, {
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
  const answered = async (id: number): Promise<[number, string]> => {
    while (true) {
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const text = buffered.slice(0, nl);
        const message = JSON.parse(text) as { id?: number };
        buffered = buffered.slice(nl + 1);
        if (message.id === id) return [performance.now() - started, text];
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`${args.join(" ")}: the server closed stdout`);
      buffered += decoder.decode(value, { stream: true });
    }
  };
  await writer.write(line({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: initializeParams("bench"),
  }));
  const [initialize, initializeText] = await answered(1);
  await writer.write(
    line({ jsonrpc: "2.0", method: "notifications/initialized" }),
  );
  await writer.write(line({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
  const [toolsList, toolsListText] = await answered(2);
  reader.releaseLock();
  await writer.close();
  await child.stdout.cancel();
  await child.status;
  return { initialize, toolsList, initializeText, toolsListText };
}

/** Spawn to exit of `deno run` on a script that only loads modules. */
async function load(file: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", file],
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (!out.success) {
    throw new Error(
      `${file} failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return ms;
}

/** The line of a failed build's output that says why (ANSI codes dropped). */
function failure(stderr: Uint8Array): string {
  // deno-lint-ignore no-control-regex
  const text = new TextDecoder().decode(stderr).replace(/\x1b\[[0-9;]*m/g, "");
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const why = lines.find((l) => /https?:\/\//.test(l) && /error/i.test(l)) ??
    lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "no output";
  const short = why.replace(/^\d+: /, "");
  return (short.length > 200 ? short.slice(0, 200) + "…" : short).replaceAll(
    "|",
    "\\|",
  );
}

/** A form of the server that could not be built here, and why. */
interface Unbuilt {
  label: string;
  why: string;
}

/**
 * Measures `n` cold starts of each; `compile: false` skips building the
 * compiled binary (a quick run: it downloads Deno's runtime the first time).
 */
export async function coldStart(
  n: number,
  options: { compile?: boolean } = {},
): Promise<Section> {
  const probe = new LoadProbe();
  const script = (name: string) => new URL(name, import.meta.url).pathname;
  const root = new URL("../", import.meta.url).pathname;
  const loads: [string, string][] = [
    ["Deno running an empty script", script("./empty.ts")],
    ["… loading only zod", script("./load_zod.ts")],
    [
      "… loading only the MCP SDK's protocol types (its zod schemas)",
      script("./load_sdk_types.ts"),
    ],
    [
      "… loading only the SDK modules plexmcp uses (`src/sdk.ts`: the protocol `Server` and the types)",
      script("./load_sdk_used.ts"),
    ],
    [
      "… loading only the SDK's `McpServer` module (what the one-tool SDK server loads, less its stdio transport)",
      script("./sdk_only.ts"),
    ],
    [
      "… loading only plexmcp's own start-up modules that need no SDK (configuration, Plex client, stdio transport, logger, tool index)",
      script("./load_own_start.ts"),
    ],
    [
      "… loading everything the server loads at start (`src/mod.ts`, not run)",
      script("./load_start.ts"),
    ],
    [
      "… loading every tool definition (`src/tools/mod.ts`: what the first tools/call loads, not the start)",
      script("./load_catalogue.ts"),
    ],
  ];
  const withFlag = (args: string[]) => [args[0]!, SIZE_FLAG, ...args.slice(1)];
  const run = (file: string) => [
    "run",
    "--quiet",
    "--allow-env",
    "--allow-net=127.0.0.1:32400",
    file,
  ];
  const ours = serverArgs({ allowNet: "127.0.0.1:32400" });
  const fixture = ["run", "--quiet", "--allow-env", script("./sdk_fixture.ts")];

  // The bundled forms (not targets): `deno bundle` of the same entry point,
  // as one file and with code splitting (the tools, tools_list.json and the
  // demo in chunks loaded on first use), and the compiled binary.
  // The builds are written by the child processes (the benchmark itself may
  // write only docs/BENCHMARKS.md) and removed with `rm`.
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/plexmcp-bench-${Deno.pid}`;
  const unbuilt: Unbuilt[] = [];
  const build = async (label: string, args: string[]): Promise<boolean> => {
    const built = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output().catch((error: Error) => ({
      success: false,
      stderr: encoder.encode(`error: ${error.message}`),
    }));
    if (!built.success) {
      unbuilt.push({
        label,
        why: `the build failed (${failure(built.stderr)})`,
      });
    }
    return built.success;
  };
  const bundleLabel = "plexmcp bundled (`deno bundle`, one file)";
  const splitLabel = "plexmcp bundled (`deno bundle --code-splitting`)";
  const compiledLabel =
    "plexmcp compiled (`deno task compile`: `deno compile`, with the size flag built in)";
  const bundled = await build(bundleLabel, [
    "bundle",
    "--quiet",
    "--platform=deno",
    "-o",
    `${dir}/plexmcp.js`,
    "src/mod.ts",
  ]);
  const split = await build(splitLabel, [
    "bundle",
    "--quiet",
    "--platform=deno",
    "--code-splitting",
    "--outdir",
    `${dir}/split`,
    "src/mod.ts",
  ]);
  const compiled = options.compile === false
    ? (unbuilt.push({ label: compiledLabel, why: "skipped in a quick run" }),
      false)
    : await build(compiledLabel, [
      "compile",
      "--quiet",
      SIZE_FLAG,
      "--allow-net",
      "--allow-env",
      "--output",
      `${dir}/plexmcp`,
      "src/mod.ts",
    ]);

  /** What is started, and what its times are divided by. */
  interface Form {
    label: string;
    args: string[];
    /** Key of the form it is compared with (the fixture run the same way). */
    baseline?: string;
    /** Check that it answers exactly as the shipped server. */
    same?: boolean;
    /** Executable, if not Deno. */
    command?: string;
  }
  const forms = new Map<string, Form>([
    ["ours", {
      label: "plexmcp as shipped (`deno run src/mod.ts`)",
      args: ours,
      baseline: "fixture",
    }],
    ["fixture", {
      label: "one-tool SDK server (`bench/sdk_fixture.ts`)",
      args: fixture,
    }],
    ["oursFlag", {
      label: `plexmcp with \`${SIZE_FLAG}\` (as the Desktop snippets run it)`,
      args: withFlag(ours),
      baseline: "fixtureFlag",
      same: true,
    }],
    ["fixtureFlag", {
      label: `one-tool SDK server with \`${SIZE_FLAG}\``,
      args: withFlag(fixture),
    }],
    ["zodList", {
      label:
        "(b) tools/list built from the zod registry at run time (`bench/start_zod_list.ts`)",
      args: run(script("./start_zod_list.ts")),
      baseline: "fixture",
      same: true,
    }],
    ["eager", {
      label:
        "(c) every tool definition imported at start (`bench/start_eager.ts`)",
      args: run(script("./start_eager.ts")),
      baseline: "fixture",
      same: true,
    }],
    ["nodeStdio", {
      label:
        "(d) the SDK's `StdioServerTransport` and `node:util` `parseArgs` (`bench/start_node_stdio.ts`)",
      args: run(script("./start_node_stdio.ts")),
      baseline: "fixture",
      same: true,
    }],
  ]);
  if (bundled) {
    forms.set("bundle", {
      label: bundleLabel,
      args: run(`${dir}/plexmcp.js`),
      baseline: "fixture",
      same: true,
    });
  }
  if (split) {
    forms.set("split", {
      label: splitLabel,
      args: run(`${dir}/split/mod.js`),
      baseline: "fixture",
      same: true,
    });
  }
  if (compiled) {
    forms.set("compiled", {
      label: compiledLabel,
      command: `${dir}/plexmcp`,
      args: [],
      baseline: "fixtureFlag",
      same: true,
    });
  }

  const notes: string[] = [];
  try {
    // Warm the module and code caches first, and check that every variant
    // answers exactly what the shipped server answers.
    const reference = await startUp(ours);
    for (const [key, form] of forms) {
      if (key === "ours") continue;
      const first = await startUp(form.args, form.command);
      if (
        form.same && (first.initializeText !== reference.initializeText ||
          first.toolsListText !== reference.toolsListText)
      ) {
        notes.push(
          `${form.label} did not answer initialize and tools/list exactly as the shipped server does: the sources changed after the bundles were built, or \`src/tools/catalog/tools_list.json\` is out of date (\`deno task docs\`); its figures compare unlike answers.`,
        );
      }
    }
    for (const [, file] of loads) await load(file);

    const samples = new Map<string, { init: number[]; list: number[] }>(
      [...forms.keys()].map((k) => [k, { init: [], list: [] }]),
    );
    const loaded: number[][] = loads.map(() => []);
    // Interleaved, in a new random order each round, so that a slow moment
    // of the machine hits every form alike.
    const jobs: (() => Promise<void>)[] = [
      ...[...forms].map(([key, form]) => async () => {
        const s = await startUp(form.args, form.command);
        samples.get(key)!.init.push(s.initialize);
        samples.get(key)!.list.push(s.toolsList);
      }),
      ...loads.map(([, file], j) => async () => {
        loaded[j]!.push(await load(file));
      }),
    ];
    for (let i = 0; i < n; i++) {
      const order = [...jobs];
      for (let k = order.length - 1; k > 0; k--) {
        const r = Math.floor(Math.random() * (k + 1));
        [order[k], order[r]] = [order[r]!, order[k]!];
      }
      for (const job of order) await job();
      if (i % 10 === 9) probe.sample();
    }

    const emptyMs = median(loaded[0]!);
    const m = (key: string, which: "init" | "list") =>
      median(samples.get(key)![which]);
    const ratio = (key: string, which: "init" | "list") => {
      const base = forms.get(key)?.baseline;
      return base ? m(key, which) / m(base, which) : undefined;
    };
    const x = (r: number | undefined) =>
      r === undefined ? "–" : `${r.toFixed(2)}×`;
    const row = (key: string) =>
      `| ${forms.get(key)!.label} | ${m(key, "init").toFixed(0)} | ${
        x(ratio(key, "init"))
      } | ${m(key, "list").toFixed(0)} | ${x(ratio(key, "list"))} | ${
        (m(key, "init") / emptyMs).toFixed(1)
      }× |`;
    const header = [
      "| form | spawn → initialize (ms) | / one-tool SDK server run the same way | spawn → tools/list (ms) | / one-tool SDK server run the same way | initialize / empty script |",
      "| --- | --- | --- | --- | --- | --- |",
    ];
    const mainRows = ["ours", "fixture", "oursFlag", "fixtureFlag"].map(row);
    const bundleRows = [
      ...(["bundle", "split", "compiled"].filter((k) => forms.has(k)).map(
        row,
      )),
      ...unbuilt.map(({ label, why }) =>
        `| ${label}: not measured here, ${why} | – | – | – | – | – |`
      ),
    ];
    const variantRows = ["ours", "zodList", "eager", "nodeStdio"].map(row);
    // A variant's cost, round by round: its start minus the shipped
    // server's start in the same round (so both saw the same moment).
    const paired = (key: string, which: "init" | "list") =>
      samples.get(key)![which].map((v, i) =>
        v - samples.get("ours")![which][i]!
      );
    const ms = (v: number) =>
      `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(0)} ms`;
    const saved = (key: string, what: string) => {
      const init = paired(key, "init");
      const list = paired(key, "list");
      const [low, mid, high] = [25, 50, 75].map((p) => percentile(list, p));
      return `- ${forms.get(key)!.label.split(" (`")[0]}: ${
        ms(median(init))
      } to the initialize answer and ${
        ms(mid!)
      } to the tools/list answer (p25–p75 of the ${n} rounds ${ms(low!)} to ${
        ms(high!)
      }) against the shipped server; ${x(ratio(key, "init"))} / ${
        x(ratio(key, "list"))
      } the one-tool SDK server. ${
        low! > 0
          ? `So ${what} saves about ${mid!.toFixed(0)} ms of a start.`
          : high! < 0
          ? `So ${what} saves nothing in this run: the variant started ${
            Math.abs(mid!).toFixed(0)
          } ms sooner.`
          : `So what ${what} saves is within this run's noise.`
      }`;
    };
    // Measured as shipped (issue 24): the V8 flags the printed
    // configurations use, on both sides.
    const initRatio = ratio("oursFlag", "init")!;
    const listRatio = ratio("oursFlag", "list")!;
    const busy = probe.summary();
    return {
      title: `Cold start: ${n} runs`,
      lines: [
        ...header,
        ...mainRows,
        ...bundleRows,
        "",
        "The targets compare plexmcp and the one-tool SDK server run the same way: plain `deno run` (the first two rows). The flagged rows are the same comparison with the V8 flag the Claude Desktop snippets and `deno task start` pass, on both sides. The bundled rows are informational, not targets: `deno run jsr:@plexmcp/server` and a checkout run the sources. Bundling everything, the SDK included, removes most of the per-module loading.",
        ...(unbuilt.some((u) => u.why.includes("dl.deno.land"))
          ? [
            "",
            "The compiled binary cannot be built on a machine without access to dl.deno.land: `deno compile` downloads the `denort` runtime from there for the first build of each Deno version. Where it builds, this section measures it (with the size flag built in, against the one-tool SDK server run with the same flag).",
          ]
          : []),
        "",
        "### What each start-up technique saves",
        "",
        "Each variant is the shipped server with one technique undone, a small fixture in `bench/`, measured in the same interleaved rounds; every variant answers initialize and tools/list exactly as the shipped server does (checked before the rounds).",
        "",
        ...header,
        ...variantRows,
        "",
        saved(
          "zodList",
          "the pre-built `tools_list.json` (instead of converting zod schemas on each list)",
        ),
        saved("eager", "loading tool definitions on the first call"),
        saved(
          "nodeStdio",
          "plexmcp's own stdio transport and argument parser (no `node:` imports at start)",
        ),
        ...notes.map((note) => `- ${note}`),
        "",
        "### Module loading",
        "",
        "| what `deno run` loads (then exits) | median (ms) | / empty script |",
        "| --- | --- | --- |",
        ...loads.map(([name], j) =>
          `| ${name} | ${median(loaded[j]!).toFixed(0)} | ${
            (median(loaded[j]!) / emptyMs).toFixed(1)
          }× |`
        ),
        "",
        "The baseline is `bench/sdk_fixture.ts`: one `McpServer` with one zod-described tool on the SDK's stdio transport, the least any server built on `npm:@modelcontextprotocol/sdk` loads. Most of a start is loading the SDK itself: its protocol types build a zod schema for every MCP message, and its `McpServer` module adds the ajv JSON-schema validator, zod's v3 compatibility layer and zod-to-json-schema. plexmcp uses the SDK's protocol `Server` directly. The ratios show what plexmcp adds on top.",
        "",
        busy.line,
      ],
      targets: [
        {
          name:
            `spawn → initialize ≤ 1.10× the one-tool SDK server, as shipped (\`${SIZE_FLAG}\` on both)`,
          met: initRatio <= 1.10,
          detail: `${initRatio.toFixed(2)}× (without flags on either: ${
            x(ratio("ours", "init"))
          })`,
        },
        {
          name:
            `spawn → tools/list ≤ 1.10× the one-tool SDK server, as shipped (\`${SIZE_FLAG}\` on both)`,
          met: listRatio <= 1.10,
          detail: `${listRatio.toFixed(2)}× (without flags on either: ${
            x(ratio("ours", "list"))
          })`,
        },
      ],
      warnings: busy.warning ? [busy.warning] : [],
    };
  } finally {
    await new Deno.Command("rm", { args: ["-rf", dir] }).output().catch(
      () => {},
    );
  }
}
