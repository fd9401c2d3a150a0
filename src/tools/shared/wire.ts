/**
 * A tool as `tools/list` sends it, made from its definition once (at build
 * time, by `deno task docs`), so that the server never converts zod schemas
 * at run time and sends the smallest faithful JSON Schema.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { ToolAnnotations, ToolDefinition } from "./define_tool.ts";

/** A JSON Schema object, as sent. */
export type JsonSchema = { [key: string]: unknown };

/** One entry of a `tools/list` answer. */
export interface WireTool {
  /** Tool name. */
  name: string;
  /** Human title. */
  title: string;
  /** Description for the model. */
  description: string;
  /** JSON Schema of the arguments. */
  inputSchema: JsonSchema;
  /** JSON Schema of `structuredContent`. */
  outputSchema: JsonSchema;
  /**
   * MCP annotations, without the title (the tool's own) and without hints
   * the spec implies (see {@link wireAnnotations}).
   */
  annotations: Partial<ToolAnnotations>;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** Keywords that apply to one JSON type only: they go with its branch. */
const TYPE_KEYWORDS: Record<string, readonly string[]> = {
  string: ["pattern", "minLength", "maxLength", "format", "enum"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
  integer: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
  array: ["items", "minItems", "maxItems"],
  object: ["properties", "required", "additionalProperties"],
  boolean: [],
  null: [],
};

/**
 * A `type` list (zod writes `["number", "null"]` for a nullable number) as
 * an `anyOf` of one branch per type, each with its own keywords: clients
 * with a strict schema subset (Gemini's function declarations, OpenAI's
 * strict mode) and form builders take one type per schema, and read
 * `anyOf: [T, null]` as "T or null".
 */
function splitTypeList(node: JsonSchema): JsonSchema {
  const types = node.type;
  if (!Array.isArray(types)) return node;
  const rest: JsonSchema = {};
  const owned = new Set(types.flatMap((t) => TYPE_KEYWORDS[t] ?? []));
  for (const [key, v] of Object.entries(node)) {
    if (key !== "type" && !owned.has(key)) rest[key] = v;
  }
  const branches = types.map((t: string) => {
    const branch: JsonSchema = { type: t };
    for (const key of TYPE_KEYWORDS[t] ?? []) {
      if (key in node) branch[key] = node[key];
    }
    return branch;
  });
  return { anyOf: branches, ...rest };
}

/**
 * Drops what carries no information for a client: the `$schema` tag, the
 * ±2^53 bounds zod puts on every integer, and (in output schemas, which
 * describe what the server sends) `additionalProperties: false`.
 */
function tidy(value: unknown, output: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => tidy(v, output));
  if (value === null || typeof value !== "object") return value;
  const out: JsonSchema = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "$schema") continue;
    if (key === "minimum" && v === -SAFE) continue;
    if (key === "maximum" && v === SAFE) continue;
    if (output && key === "additionalProperties" && v === false) continue;
    out[key] = tidy(v, output);
  }
  return splitTypeList(out);
}

/**
 * The annotations a client needs, without what the MCP spec already
 * implies: `openWorldHint` defaults to true, and `destructiveHint` and
 * `idempotentHint` mean something only when `readOnlyHint` is false.
 * `readOnlyHint` is always sent.
 */
export function wireAnnotations(a: ToolAnnotations): Partial<ToolAnnotations> {
  const out: Partial<ToolAnnotations> = { readOnlyHint: a.readOnlyHint };
  if (!a.readOnlyHint) {
    out.destructiveHint = a.destructiveHint;
    out.idempotentHint = a.idempotentHint;
  }
  if (!a.openWorldHint) out.openWorldHint = false;
  return out;
}

/** Converts a tool definition to its `tools/list` entry. */
export function wireTool(tool: ToolDefinition): WireTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tidy(
      z.toJSONSchema(z.strictObject(tool.input), {
        target: "draft-7",
        io: "input",
      }),
      false,
    ) as JsonSchema,
    outputSchema: tidy(
      z.toJSONSchema(z.object(tool.output), {
        target: "draft-7",
        io: "output",
      }),
      true,
    ) as JsonSchema,
    annotations: wireAnnotations(tool.annotations),
  };
}
