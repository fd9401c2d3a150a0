/**
 * The tool registry: the single source of truth for which tools exist. The
 * README table and both manifests are generated from / checked against it.
 *
 * @module
 */
import type { ToolDefinition, Toolset } from "./define_tool.ts";
import { getLibraries } from "./get_libraries.ts";
import { getPlexStatus } from "./get_plex_status.ts";

export {
  type Confirm,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
  type ToolResult,
  type Toolset,
  TOOLSETS,
  type TypedToolDefinition,
} from "./define_tool.ts";

/** Every tool, in catalogue order. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  getPlexStatus,
  getLibraries,
];

/** Which tools to register. */
export interface ToolSelection {
  /** Toolsets to include; undefined means all. */
  toolsets?: readonly Toolset[];
  /** Register no tool that changes anything. Wins over `toolsets`. */
  readOnly?: boolean;
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
