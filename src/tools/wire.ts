/**
 * A tool as `tools/list` sends it, made from its definition once (at build
 * time, by `deno task docs`), so that the server never converts zod schemas
 * at run time and sends the smallest faithful JSON Schema.
 *
 * @module
 */
import { z } from "../zod.ts";
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

/** Keywords that apply to one JSON type only, so branches can merge. */
const TYPE_KEYWORDS: Record<string, readonly string[]> = {
  string: ["pattern", "minLength", "maxLength", "format"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
  integer: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
  boolean: [],
  null: [],
};

/**
 * `anyOf` of simple branches of different types (a string or an integer; a
 * number or null) as one schema with a `type` list: the same values, a
 * smaller schema, and a top-level `type` for clients that convert arguments
 * by it. Left alone when branches could overlap (number and integer).
 */
function mergeTypeUnion(node: JsonSchema): JsonSchema {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length < 2) return node;
  const types: string[] = [];
  const merged: JsonSchema = {};
  for (const b of branches as JsonSchema[]) {
    const type = b?.type;
    if (typeof type !== "string" || !(type in TYPE_KEYWORDS)) return node;
    if (types.includes(type)) return node;
    for (const key of Object.keys(b)) {
      if (key === "type") continue;
      if (!TYPE_KEYWORDS[type]!.includes(key) || key in merged) return node;
      merged[key] = b[key];
    }
    types.push(type);
  }
  if (types.includes("number") && types.includes("integer")) return node;
  const { anyOf: _, ...rest } = node;
  return { ...rest, type: types, ...merged };
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
  return mergeTypeUnion(out);
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
