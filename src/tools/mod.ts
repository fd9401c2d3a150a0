/**
 * The tool registry: the single source of truth for which tools exist. The
 * README table and both manifests are generated from / checked against it.
 *
 * @module
 */
import type {
  ToolAnnotations,
  ToolDefinition,
  Toolset,
} from "./define_tool.ts";
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

/** The tools a server with `selection` registers, as plain descriptions. */
export function toolCatalog(selection: ToolSelection = {}): ToolInfo[] {
  return selectTools(ALL_TOOLS, selection).map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    toolset: t.toolset,
    annotations: { ...t.annotations },
  }));
}
