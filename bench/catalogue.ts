/**
 * Catalogue size: what `tools/list` costs on the wire, per tool and per
 * toolset. Clients such as Claude show the model each tool's name, title,
 * description, input schema and annotations; output schemas are for
 * programmatic clients. Both are measured as the server sends them.
 */
import { type Toolset, TOOLSETS } from "../src/tools/mod.ts";
import { toolCatalog } from "../src/tools/catalog_info.ts";
import { BENCH_TOKEN, type Section, WireClient } from "./lib.ts";
import { FakePlex } from "../src/demo/fake_plex/mod.ts";
import { serveFake } from "../src/demo/serve.ts";

/** Budgets, bytes per tool on average (the performance issue's targets). */
export const MODEL_FACING_BUDGET = 600;
/** Output schema budget, bytes per tool on average. */
export const OUTPUT_SCHEMA_BUDGET = 900;

export { type ListedTool, toolBytes } from "../docs/catalog.ts";
import { jsonBytes, type ListedTool, toolBytes } from "../docs/catalog.ts";

type Listing = { tools: ListedTool[]; whole: number };

/**
 * Starts a server with `env`, runs `steps` (each may call tools) and
 * returns the `tools/list` answer (and its size) after each step.
 */
async function listings(
  env: Record<string, string>,
  steps: ((call: (name: string, args: unknown) => Promise<void>) => Promise<
    void
  >)[] = [],
): Promise<Listing[]> {
  const fake = new FakePlex({ token: BENCH_TOKEN });
  const served = serveFake(fake);
  const wire = new WireClient(
    { PLEX_SERVER_URL: served.url, PLEX_TOKEN: BENCH_TOKEN, ...env },
    served.host,
  );
  const list = async () => {
    const answer = await wire.request("tools/list", {}) as {
      result: { tools: ListedTool[] };
    };
    return { tools: answer.result.tools, whole: jsonBytes(answer.result) };
  };
  const call = async (name: string, args: unknown) => {
    const r = await wire.request("tools/call", { name, arguments: args }) as {
      result?: { isError?: boolean };
    };
    if (!r.result || r.result.isError) throw new Error(`${name} failed`);
  };
  try {
    await wire.initialize();
    const out = [await list()];
    for (const step of steps) {
      await step(call);
      out.push(await list());
    }
    return out;
  } finally {
    await wire.close();
    await served.close();
  }
}

/** Lists the tools of a server, all toolsets and dynamic, and measures them. */
export async function catalogue(): Promise<Section> {
  const { tools, whole } = (await listings({}))[0]!;
  const names = Object.keys(TOOLSETS) as Toolset[];
  // Dynamic mode: the list at start, then after enabling each toolset that
  // is not on at start, one at a time.
  const later = names.filter((n) => n !== "server");
  const dynamicLists = await listings(
    { PLEX_TOOLSETS: "dynamic" },
    later.map((name) => (call) => call("enable_toolset", { toolset: name })),
  );
  const dynamic = dynamicLists[0]!;
  const growth = new Map<Toolset, number>(
    later.map((name, i) => [
      name,
      dynamicLists[i + 1]!.whole - dynamicLists[i]!.whole,
    ]),
  );
  const toolset = new Map(
    (await toolCatalog()).map((t) => [t.name, t.toolset]),
  );
  const bytes = tools.map((t) => ({ name: t.name, ...toolBytes(t) }));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const modelAvg = avg(bytes.map((b) => b.modelFacing));
  const outputAvg = avg(bytes.map((b) => b.output));
  const perToolset = names.map((name) => {
    const mine = bytes.filter((b) => toolset.get(b.name) === name);
    const model = mine.reduce((a, b) => a + b.modelFacing, 0);
    const output = mine.reduce((a, b) => a + b.output, 0);
    const grew = growth.get(name);
    return `| ${name} | ${mine.length} | ${model.toLocaleString("en")} | ${
      output.toLocaleString("en")
    } | ${
      grew === undefined ? "on at start" : `+${grew.toLocaleString("en")}`
    } |`;
  });
  const dynamicBytes = dynamic.tools.map(toolBytes);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    title: `Catalogue size: ${tools.length} tools`,
    lines: [
      `Whole \`tools/list\` answer: ${whole.toLocaleString("en")} bytes.`,
      "",
      `With \`PLEX_TOOLSETS=dynamic\`, the \`tools/list\` answer at start: ${
        dynamic.whole.toLocaleString("en")
      } bytes, ${dynamic.tools.length} tools (${
        dynamic.tools.map((t) => t.name).join(", ")
      }), ${
        sum(dynamicBytes.map((b) => b.modelFacing)).toLocaleString("en")
      } model-facing bytes and ${
        sum(dynamicBytes.map((b) => b.output)).toLocaleString("en")
      } of output schema. Enabling all the other toolsets one by one brings it to ${
        dynamicLists[dynamicLists.length - 1]!.whole.toLocaleString("en")
      } bytes (the last column: what each \`enable_toolset\` adds).`,
      "",
      "| toolset | tools | model-facing bytes | output schema bytes | dynamic mode: tools/list grows by (bytes) |",
      "| --- | --- | --- | --- | --- |",
      ...perToolset,
      "",
      "| tool | model-facing bytes | output schema bytes |",
      "| --- | --- | --- |",
      ...bytes.map((b) => `| ${b.name} | ${b.modelFacing} | ${b.output} |`),
      "",
      "Model-facing = name, title, description, input schema and annotations (what clients such as Claude show the model); output schemas are for programmatic clients.",
    ],
    targets: [
      {
        name:
          `model-facing catalogue ≤ ${MODEL_FACING_BUDGET} bytes per tool on average`,
        met: modelAvg <= MODEL_FACING_BUDGET,
        detail: `${modelAvg.toFixed(0)} bytes`,
      },
      {
        name:
          `output schemas ≤ ${OUTPUT_SCHEMA_BUDGET} bytes per tool on average`,
        met: outputAvg <= OUTPUT_SCHEMA_BUDGET,
        detail: `${outputAvg.toFixed(0)} bytes`,
      },
    ],
  };
}
