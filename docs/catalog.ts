/**
 * Generates the README tool table and both manifests' tool lists from the
 * tool registry, so they never drift. `docs/generate.ts` writes the files;
 * `tests/docs/generated_docs_test.ts` regenerates in memory and compares.
 *
 * @module
 */
import { ALL_TOOLS, type ToolDefinition, TOOLSETS } from "../src/tools/mod.ts";
import { VERSION } from "../src/version.ts";
import { PROMPTS } from "../src/server/prompts.ts";
import { DEFAULT_TOOLSETS } from "../src/tools/shared/define_tool.ts";
import { wireTool } from "../src/tools/shared/wire.ts";

/** One tool as `tools/list` sends it. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
}

/** UTF-8 bytes of `value` as JSON (0 for undefined). */
export function jsonBytes(value: unknown): number {
  return value === undefined
    ? 0
    : new TextEncoder().encode(JSON.stringify(value)).length;
}

/** Bytes a model is shown for one tool, and its output schema's bytes. */
export function toolBytes(
  tool: ListedTool,
): { modelFacing: number; output: number } {
  const { outputSchema, ...rest } = tool;
  return { modelFacing: jsonBytes(rest), output: jsonBytes(outputSchema) };
}

/** Markers around the generated README table. */
export const TABLE_START = "<!-- START GENERATED TOOLS -->";
/** End marker. */
export const TABLE_END = "<!-- END GENERATED TOOLS -->";

/** `read`, `write` or `write, destructive`. */
export function access(tool: ToolDefinition): string {
  if (tool.annotations.readOnlyHint) return "read";
  return tool.annotations.destructiveHint ? "write, destructive" : "write";
}

/** First sentence of a description. */
export function summary(description: string): string {
  // The first full stop that ends a sentence (not "e.g." or "i.e.").
  const m = /^(.+?(?<!\be\.g|\bi\.e)[.!?])(\s|$)/.exec(description);
  return (m ? m[1]! : description).replaceAll("|", "\\|");
}

/** The README table (without markers). */
export function toolTable(
  tools: readonly ToolDefinition[] = ALL_TOOLS,
): string {
  const rows = tools.map((t) =>
    `| \`${t.name}\` | ${t.toolset} | ${access(t)} | ${summary(t.description)}${
      t.severalServersOnly
        ? " (Offered when several servers are configured.)"
        : ""
    }${t.spansServers ? " Takes `server: all`." : ""} |`
  );
  const sets = Object.entries(TOOLSETS).map(([k, v]) =>
    `\`${k}\` (${v.toLowerCase()})`
  )
    .join(", ");
  return [
    `${tools.length} tools. Toolsets: ${sets}. With several servers configured, every tool that talks to one server takes an optional \`server\` (a name or machine identifier; the default server without it), and its answer names the server.`,
    "",
    "| Tool | Toolset | Access | What it does |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    toolsetSizes(tools),
  ].join("\n");
}

/**
 * What each toolset adds to `tools/list` with one server, as the server
 * sends it: the bytes clients show the model (name, title, description,
 * input schema, annotations) and the output schemas' bytes.
 */
export function toolsetSizes(
  tools: readonly ToolDefinition[] = ALL_TOOLS,
): string {
  const rows = Object.keys(TOOLSETS).map((set) => {
    const mine = tools.filter((t) =>
      t.toolset === set && !t.severalServersOnly
    );
    const bytes = mine.map((t) => toolBytes(wireTool(t)));
    const sum = (k: "modelFacing" | "output") =>
      bytes.reduce((a, b) => a + b[k], 0).toLocaleString("en-US");
    const on = DEFAULT_TOOLSETS.includes(set as never) ? "yes" : "no";
    return `| ${set} | ${on} | ${mine.length} | ${sum("modelFacing")} | ${
      sum("output")
    } |`;
  });
  return [
    "What each toolset adds to `tools/list` (one server; `deno task bench` measures the same over the wire):",
    "",
    "| Toolset | On by default | Tools | Bytes the model reads | Output schema bytes |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** Replaces the generated section of a README. */
export function withToolTable(
  readme: string,
  tools: readonly ToolDefinition[] = ALL_TOOLS,
): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README has no ${TABLE_START} … ${TABLE_END} section`);
  }
  return readme.slice(0, start + TABLE_START.length) + "\n\n" +
    toolTable(tools) + "\n\n" + readme.slice(end);
}

/** `{name, description}` entries as both manifests list them. */
export function manifestTools(
  tools: readonly ToolDefinition[] = ALL_TOOLS,
): { name: string; description: string }[] {
  return tools.map((t) => ({
    name: t.name,
    description: summary(t.description),
  }));
}

/** The MCPB manifest's prompt template text (a pointer to the live prompt). */
function promptText(name: string): string {
  return `Use the plexmcp "${name}" prompt: ${
    PROMPTS.find((p) => p.name === name)!.description
  }`;
}

/**
 * The manifests' `toolsets` setting: `default` unless the user changes it
 * (so the opt-in toolsets, destructive tools among them, stay off), and a
 * description naming every toolset, from the registry.
 */
export function toolsetsUserConfig(): Record<string, unknown> {
  const optIn = Object.keys(TOOLSETS).filter((t) =>
    !(DEFAULT_TOOLSETS as readonly string[]).includes(t)
  );
  return {
    type: "string",
    title: "Toolsets",
    description: `Comma list of toolsets to offer: default (${
      DEFAULT_TOOLSETS.join(", ")
    }), all, or names that add up, e.g. default,curation; the opt-in ones: ${
      optIn.join(", ")
    }. dynamic starts small and lets the assistant turn toolsets on`,
    default: "default",
    required: false,
  };
}

/** Returns `manifest` (MCPB) with version, tools and prompts regenerated. */
export function updateManifest(
  manifest: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...manifest,
    user_config: {
      ...(manifest.user_config as Record<string, unknown> | undefined),
      toolsets: toolsetsUserConfig(),
    },
    version: VERSION,
    tools: manifestTools(),
    prompts: PROMPTS.map((p) => ({
      name: p.name,
      description: p.description,
      text: promptText(p.name),
    })),
  };
}

/**
 * The DXT 0.1 manifest (`dxt_manifest.json`, the format before MCPB; checked
 * by `npx @anthropic-ai/dxt validate`), made from the MCPB manifest: the
 * same fields, with `dxt_version` for `manifest_version`.
 */
export function dxtFromManifest(
  manifest: Record<string, unknown>,
): Record<string, unknown> {
  const { manifest_version: _, ...rest } = manifest;
  return { dxt_version: "0.1", ...rest };
}

/**
 * Markdown with table padding folded, so text that `deno fmt` aligned compares
 * equal to freshly generated text.
 */
export function normalizeMarkdown(text: string): string {
  return text.split("\n").map((line) =>
    line.startsWith("|")
      ? line.replace(/\s*\|\s*/g, "|").replace(/-{3,}/g, "---")
      : line
  ).join("\n");
}

/** JSON as the files store it. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
