import { z } from "../zod.ts";
import { outcomeText, runMaintenance } from "./care_common.ts";
import { confirmInput, requireConfirmation } from "./confirm.ts";
import { defineTool, writes } from "./define_tool.ts";

/** `optimize_database`: compacts and re-indexes the server's database. */
export const optimizeDatabase = defineTool({
  name: "optimize_database",
  title: "Optimize the database",
  description:
    "Rewrites the server's database to compact and re-index it, asking the user first (the server is slower meanwhile); reports what the server started.",
  toolset: "server_care",
  annotations: writes({ idempotent: true, destructive: true }),
  input: { confirm: confirmInput },
  output: {
    status: z.literal("accepted"),
    activities: z.array(z.object({ uuid: z.string(), title: z.string() })),
  },
  handler: async (args, ctx) => {
    await requireConfirmation(
      ctx,
      "Optimize the server's database, which rewrites it",
      args.confirm,
    );
    // PUT /library/optimize?async=1: answers at once, progress as an
    // activity (spec:1517; python-plexapi library.py:195).
    const outcome = await runMaintenance(
      ctx.plex,
      "/library/optimize",
      { async: 1 },
      ctx.signal,
    );
    return {
      structured: {
        status: "accepted" as const,
        activities: outcome.started.map(({ uuid, title }) => ({ uuid, title })),
      },
      text: `Plex accepted the database optimization${outcomeText(outcome)}.`,
    };
  },
});
