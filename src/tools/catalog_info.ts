/**
 * What each tool is (name, title, description, toolset, annotations), from
 * the pre-built catalogue: no tool module is loaded to answer.
 *
 * @module
 */
import type { ToolAnnotations, Toolset } from "./shared/define_tool.ts";
import { loadWire, TOOL_INDEX } from "./runtime.ts";
import type { ToolSelection } from "./shared/select.ts";

/** What a tool is, without its schemas and handler. */
export interface ToolInfo {
  /** Tool name. */
  name: string;
  /** Human title. */
  title: string;
  /** Description for a model. */
  description: string;
  /** Toolset. */
  toolset: Toolset;
  /** MCP annotations. */
  annotations: ToolAnnotations;
}

/** The full annotations back from the short form `tools/list` sends (see `wireAnnotations`). */
export function fullAnnotations(a: Partial<ToolAnnotations>): ToolAnnotations {
  const readOnly = a.readOnlyHint === true;
  return {
    readOnlyHint: readOnly,
    destructiveHint: readOnly ? false : a.destructiveHint ?? true,
    idempotentHint: readOnly ? true : a.idempotentHint ?? false,
    openWorldHint: a.openWorldHint ?? true,
  };
}

/**
 * The tools a server with `selection` offers, as plain descriptions (in
 * dynamic mode: the ones on at the start, without the two switches).
 */
export async function toolCatalog(
  selection: ToolSelection = {},
): Promise<ToolInfo[]> {
  const wire = await loadWire();
  return TOOL_INDEX.filter(({ toolset, readOnly }) =>
    (!selection.toolsets || selection.toolsets.includes(toolset)) &&
    (!selection.readOnly || readOnly)
  ).map(({ name, toolset }) => {
    const tool = wire.get(name)!;
    return {
      name,
      title: tool.title,
      description: tool.description,
      toolset,
      annotations: fullAnnotations(tool.annotations),
    };
  });
}
