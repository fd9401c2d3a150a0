import { z } from "../zod.ts";
import { outcomeText, runMaintenance } from "./care_common.ts";
import { confirmInput, requireConfirmation } from "./confirm.ts";
import { defineTool, writes } from "./define_tool.ts";

/** `clean_bundles`: deletes metadata bundles nothing uses any more. */
export const cleanBundles = defineTool({
  name: "clean_bundles",
  title: "Clean metadata bundles",
  description:
    "Deletes the metadata bundles (posters, art, agent data) of items no longer in any library, asking the user first; reports what the server started.",
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
      "Delete the metadata bundles no library item uses any more",
      args.confirm,
    );
    // PUT /library/clean/bundles?async=1 (spec:1296; python-plexapi
    // library.py:179).
    const outcome = await runMaintenance(
      ctx.plex,
      "/library/clean/bundles",
      { async: 1 },
      ctx.signal,
    );
    return {
      structured: {
        status: "accepted" as const,
        activities: outcome.started.map(({ uuid, title }) => ({ uuid, title })),
      },
      text: `Plex accepted the bundle clean-up${outcomeText(outcome)}.`,
    };
  },
});
