/**
 * Catalogue size: what `tools/list` costs on the wire, per tool and per
 * toolset. Clients such as Claude show the model each tool's name, title,
 * description, input schema and annotations; output schemas are for
 * programmatic clients. Both are measured as the server sends them.
 */
import { toolCatalog, type Toolset, TOOLSETS } from "../src/tools/mod.ts";
import { BENCH_TOKEN, type Section, WireClient } from "./lib.ts";
import { FakePlex } from "../src/demo/fake_plex.ts";
import { serveFake } from "../src/demo/serve.ts";

/** Budgets, bytes per tool on average (the performance issue's targets). */
export const MODEL_FACING_BUDGET = 600;
/** Output schema budget, bytes per tool on average. */
export const OUTPUT_SCHEMA_BUDGET = 900;

/** One tool as `tools/list` sends it. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
}

const size = (value: unknown) =>
  value === undefined ? 0 : new TextEncoder().encode(JSON.stringify(value))
    .length;

/** Bytes a model is shown for one tool, and its output schema's bytes. */
export function toolBytes(
  tool: ListedTool,
): { modelFacing: number; output: number } {
  const { outputSchema, ...rest } = tool;
  return { modelFacing: size(rest), output: size(outputSchema) };
}

/** Lists the tools of a server started with `env` and measures them. */
export async function catalogue(): Promise<Section> {
  const fake = new FakePlex({ token: BENCH_TOKEN });
  const served = serveFake(fake);
  const wire = new WireClient(
    { PLEX_SERVER_URL: served.url, PLEX_TOKEN: BENCH_TOKEN },
    served.host,
  );
  let tools: ListedTool[];
  let whole: number;
  try {
    await wire.initialize();
    const answer = await wire.request("tools/list", {}) as {
      result: { tools: ListedTool[] };
    };
    tools = answer.result.tools;
    whole = size(answer.result);
  } finally {
    await wire.close();
    await served.close();
  }
  const toolset = new Map(
    (await toolCatalog()).map((t) => [t.name, t.toolset]),
  );
  const bytes = tools.map((t) => ({ name: t.name, ...toolBytes(t) }));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const modelAvg = avg(bytes.map((b) => b.modelFacing));
  const outputAvg = avg(bytes.map((b) => b.output));
  const perToolset = (Object.keys(TOOLSETS) as Toolset[]).map((name) => {
    const mine = bytes.filter((b) => toolset.get(b.name) === name);
    const model = mine.reduce((a, b) => a + b.modelFacing, 0);
    const output = mine.reduce((a, b) => a + b.output, 0);
    return `| ${name} | ${mine.length} | ${model.toLocaleString("en")} | ${
      output.toLocaleString("en")
    } |`;
  });
  return {
    title: `Catalogue size: ${tools.length} tools`,
    lines: [
      `Whole \`tools/list\` answer: ${whole.toLocaleString("en")} bytes.`,
      "",
      "| toolset | tools | model-facing bytes | output schema bytes |",
      "| --- | --- | --- | --- |",
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
