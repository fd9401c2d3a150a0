import { z } from "../../zod.ts";
import { butlerSchema } from "../../plex/schemas.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { safeId } from "../shared/ids.ts";
import { pick } from "../shared/resolve.ts";

/**
 * Butler tasks that delete or rewrite data, so they ask first. From the task
 * list of the community OpenAPI description (LukeHagar/plex-api-spec,
 * butler.yaml) and what each task does per Plex's support articles on
 * scheduled tasks: CleanOldBundles and CleanOldCacheFiles delete files,
 * OptimizeDatabase rewrites the database, DeepMediaAnalysis and
 * UpgradeMediaAnalysis replace stored media analysis, RefreshPeriodicMetadata
 * overwrites metadata, GenerateAutoTags and BuildGracenoteCollections add
 * tags and collections. Backups, update checks, scans and thumbnail or index
 * generation only add.
 */
export const DESTRUCTIVE_BUTLER_TASKS: ReadonlySet<string> = new Set([
  "CleanOldBundles",
  "CleanOldCacheFiles",
  "OptimizeDatabase",
  "DeepMediaAnalysis",
  "UpgradeMediaAnalysis",
  "RefreshPeriodicMetadata",
  "GenerateAutoTags",
  "BuildGracenoteCollections",
]);

/** `run_butler_task`: starts a maintenance task now. */
export const runButlerTask = defineTool({
  name: "run_butler_task",
  title: "Run a maintenance task",
  description:
    "Starts a maintenance task now, by name from list_butler_tasks; tasks that delete or rewrite data ask the user first. Reports started or already running.",
  toolset: "admin",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    name: z.string().min(1).describe("Task name, e.g. BackupDatabase"),
    confirm: confirmInput,
  },
  output: { name: z.string(), status: z.enum(["started", "already running"]) },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const tasks = await plex.getJson("/butler", butlerSchema, { signal });
    const task = pick(
      "maintenance task",
      args.name,
      tasks,
      (t) => t.name,
      (t) => t.title,
      { exact: true },
    );
    if (DESTRUCTIVE_BUTLER_TASKS.has(task.name)) {
      await requireConfirmation(
        ctx,
        `Run ${task.name} (${task.title}), which deletes or rewrites data on the server`,
        args.confirm,
      );
    }
    const { status } = await plex.request(
      `/butler/${safeId(task.name, "maintenance task")}`,
      {
        method: "POST",
        signal,
      },
    );
    const state = status === 202
      ? "already running" as const
      : "started" as const;
    return {
      structured: { name: task.name, status: state },
      text: state === "started"
        ? `Plex started ${task.name} (${task.title}).`
        : `${task.name} is already running.`,
    };
  },
});
