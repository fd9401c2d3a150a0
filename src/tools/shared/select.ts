/**
 * Which tools a server offers: toolsets, read-only mode, dynamic mode.
 *
 * @module
 */
import type { ToolDefinition, Toolset } from "./define_tool.ts";

/** Which tools to register. */
export interface ToolSelection {
  /**
   * Toolsets to include; undefined means all. In dynamic mode, the toolsets
   * that are on at the start (besides `server`).
   */
  toolsets?: readonly Toolset[];
  /** Register no tool that changes anything. Wins over `toolsets`. */
  readOnly?: boolean;
  /**
   * Dynamic mode: start with the `server` toolset (plus `toolsets`) and the
   * tools `list_toolsets` and `enable_toolset`, which turn others on.
   */
  dynamic?: boolean;
}

/** Filters `tools` by toolset and read-only mode (read-only always wins). */
export function selectTools(
  tools: readonly ToolDefinition[],
  selection: ToolSelection = {},
): ToolDefinition[] {
  return tools.filter((tool) =>
    (!selection.toolsets || selection.toolsets.includes(tool.toolset)) &&
    (!selection.readOnly || tool.annotations.readOnlyHint)
  );
}
