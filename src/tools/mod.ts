/**
 * The tool registry: the single source of truth for which tools exist. The
 * README table and both manifests are generated from / checked against it.
 * The run-time catalogue (`runtime.ts`, `catalog_info.ts`) loads this module
 * lazily and is not re-exported here, so the three import no cycle.
 *
 * @module
 */
import type { ToolDefinition } from "./shared/define_tool.ts";
import { SERVER_TOOLS } from "./server/mod.ts";
import { LIBRARY_TOOLS } from "./library/mod.ts";
import { ACTIVITY_TOOLS } from "./activity/mod.ts";
import { PLAYLISTS_TOOLS } from "./playlists/mod.ts";
import { WATCH_STATE_TOOLS } from "./watch_state/mod.ts";
import { PLAYBACK_TOOLS } from "./playback/mod.ts";
import { ADMIN_TOOLS } from "./admin/mod.ts";
import { CURATION_TOOLS } from "./curation/mod.ts";
import { SERVER_CARE_TOOLS } from "./server_care/mod.ts";
import { REMOTE_TOOLS } from "./remote/mod.ts";
import { INSIGHTS_TOOLS } from "./insights/mod.ts";
import { WATCH_TOOLS } from "./watch/mod.ts";

export { selectTools, type ToolSelection } from "./shared/select.ts";
export {
  type Confirm,
  DEFAULT_TOOLSETS,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
  type ToolResult,
  type Toolset,
  TOOLSETS,
  type TypedToolDefinition,
} from "./shared/define_tool.ts";

/** Every tool, in catalogue order: the toolsets in this order, each in its own. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...SERVER_TOOLS,
  ...LIBRARY_TOOLS,
  ...ACTIVITY_TOOLS,
  ...PLAYLISTS_TOOLS,
  ...WATCH_STATE_TOOLS,
  ...PLAYBACK_TOOLS,
  ...ADMIN_TOOLS,
  ...CURATION_TOOLS,
  ...SERVER_CARE_TOOLS,
  ...REMOTE_TOOLS,
  ...INSIGHTS_TOOLS,
  ...WATCH_TOOLS,
];
