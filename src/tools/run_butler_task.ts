import { z } from "zod";
import { butlerSchema } from "../plex/schemas.ts";
import { defineTool, writes } from "./define_tool.ts";
import { pick } from "./resolve.ts";

/** `run_butler_task`: starts a maintenance task now. */
export const runButlerTask = defineTool({
  name: "run_butler_task",
  title: "Run a maintenance task",
  description:
    "Starts one of the server's maintenance (butler) tasks now, by name from list_butler_tasks (e.g. BackupDatabase, OptimizeDatabase). Reports whether it started or was already running.",
  toolset: "admin",
  annotations: writes({ idempotent: true }),
  input: { name: z.string().min(1).describe("Task name, e.g. BackupDatabase") },
  output: { name: z.string(), status: z.enum(["started", "already running"]) },
  handler: async (args, { plex, signal }) => {
    const tasks = await plex.getJson("/butler", butlerSchema, { signal });
    const task = pick(
      "maintenance task",
      args.name,
      tasks,
      (t) => t.name,
      (t) => t.title,
    );
    const { status } = await plex.request(
      `/butler/${encodeURIComponent(task.name)}`,
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
        ? `Started ${task.name} (${task.title}).`
        : `${task.name} is already running.`,
    };
  },
});
