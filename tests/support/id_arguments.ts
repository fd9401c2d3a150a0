/**
 * Which arguments are ids, read from the tools themselves: an argument the
 * listed schema declares a string (or a list of strings) that takes an
 * integer too (`ratingKey: 1003`, turned into "1003" before it is checked).
 * Tests that every id argument works as a number use this, so a new id
 * argument cannot be left out of them.
 */
import { ALL_TOOLS } from "../../src/tools/mod.ts";
import { z } from "../../src/zod.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const definitions = new Map(ALL_TOOLS.map((t) => [t.name, t]));

/** Whether `tool`'s argument `name` takes `value`, on its own. */
function takes(tool: string, name: string, value: unknown): boolean {
  const schema = definitions.get(tool)?.input[name];
  return schema !== undefined &&
    z.object({ [name]: schema }).safeParse({ [name]: value }).success;
}

/** The id arguments of a listed tool: `[name, isArray]`. */
export function idArguments(
  tool: { name: string; inputSchema: Any },
): [string, boolean][] {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, Any>;
  return Object.entries(props).flatMap(([name, schema]): [string, boolean][] =>
    schema.type === "string" && takes(tool.name, name, 1003)
      ? [[name, false]]
      : schema.type === "array" && schema.items?.type === "string" &&
          takes(tool.name, name, [1003])
      ? [[name, true]]
      : []
  );
}
