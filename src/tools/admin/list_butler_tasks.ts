import { z } from "../../zod.ts";
import { butlerSchema } from "../../plex/schemas.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { parts } from "../shared/format.ts";

/** `list_butler_tasks`: scheduled maintenance tasks. */
export const listButlerTasks = defineTool({
  name: "list_butler_tasks",
  title: "List maintenance tasks",
  description:
    "Lists the server's maintenance (butler) tasks: name, title, description, interval and whether enabled.",
  toolset: "admin",
  annotations: READ_ONLY,
  input: {},
  output: {
    tasks: z.array(z.object({
      name: z.string(),
      title: z.string(),
      description: z.string().optional(),
      intervalDays: z.number().optional(),
      enabled: z.boolean().optional(),
    })),
    total: z.number().int(),
  },
  handler: async (_args, { plex, signal }) => {
    const tasks = await plex.getJson("/butler", butlerSchema, { signal });
    return {
      structured: { tasks, total: tasks.length },
      text: `${tasks.length} maintenance tasks:\n` + tasks.map((t) =>
        parts([
          `${t.name}: ${t.title}`,
          t.intervalDays !== undefined && `every ${t.intervalDays} d`,
          t.enabled === false && "disabled",
        ])
      ).join("\n"),
    };
  },
});
