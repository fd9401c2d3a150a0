/**
 * The `admin` toolset: server administration. One tool per file; this face
 * lists them in catalogue order for the registry (`../mod.ts`).
 *
 * @module
 */
import type { ToolDefinition } from "../shared/define_tool.ts";
import { listButlerTasks } from "./list_butler_tasks.ts";
import { listUsers } from "./list_users.ts";
import { runButlerTask } from "./run_butler_task.ts";
import { scanLibrary } from "./scan_library.ts";

export { listButlerTasks, listUsers, runButlerTask, scanLibrary };

/** The `admin` tools, in catalogue order. */
export const ADMIN_TOOLS: readonly ToolDefinition[] = [
  scanLibrary,
  listUsers,
  listButlerTasks,
  runButlerTask,
];
