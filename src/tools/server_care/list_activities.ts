import { z } from "../../zod.ts";
import { activityListSchema } from "../../plex/care.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { parts, plural } from "../shared/format.ts";

/** `list_activities`: what the server is busy with. */
export const listActivities = defineTool({
  name: "list_activities",
  title: "List server activities",
  description:
    "Lists what the server is busy with now (scans, metadata refreshes, database work, media analysis): title, progress and whether it can be cancelled.",
  toolset: "server_care",
  annotations: READ_ONLY,
  input: {},
  output: {
    activities: z.array(z.object({
      uuid: z.string(),
      type: z.string(),
      title: z.string(),
      subtitle: z.string().optional(),
      progress: z.number().nullable().describe("0-100; null when unknown"),
      cancellable: z.boolean(),
      library: z.string().optional().describe("Library key, for scans"),
    })),
    total: z.number().int(),
  },
  handler: async (_args, { plex, signal }) => {
    const list = await plex.getJson("/activities", activityListSchema, {
      signal,
      cache: false,
    });
    const activities = list.map((a) => ({
      uuid: a.uuid,
      type: a.type,
      title: a.title,
      subtitle: a.subtitle,
      // −1 means Plex cannot tell (API.md §13).
      progress: a.progress === undefined || a.progress < 0
        ? null
        : Math.min(100, a.progress),
      cancellable: a.cancellable ?? false,
      library: a.librarySectionID,
    }));
    return {
      structured: { activities, total: activities.length },
      text: activities.length
        ? `${plural(activities.length, "activity", "activities")}:\n` +
          activities.map((a) =>
            parts([
              `${a.title} (${a.type})`,
              a.subtitle,
              a.progress === null
                ? "progress unknown"
                : `${Math.round(a.progress)}%`,
              a.library && `library ${a.library}`,
              a.cancellable && "cancellable",
            ])
          ).join("\n")
        : "The server is not busy with anything now.",
    };
  },
});
