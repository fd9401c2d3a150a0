import { z } from "../zod.ts";
import { outcomeText, runMaintenance } from "./care_common.ts";
import { confirmInput, requireConfirmation } from "./confirm.ts";
import { defineTool, writes } from "./define_tool.ts";
import { plural } from "./format.ts";
import { libraryInput, resolveLibrary } from "./resolve.ts";

/** `empty_trash`: deletes a library's entries for media that is gone. */
export const emptyTrash = defineTool({
  name: "empty_trash",
  title: "Empty a library's trash",
  description:
    "Deletes the entries one library keeps for media whose files are gone (its trash), with their watch state and edits, asking the user first; reports the item count before and after.",
  toolset: "server_care",
  annotations: writes({ idempotent: true, destructive: true }),
  input: { library: libraryInput, confirm: confirmInput },
  output: {
    library: z.string(),
    itemsBefore: z.number().int().nullable(),
    itemsAfter: z.number().int().nullable(),
    removed: z.number().int().nullable(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const section = await resolveLibrary(plex, args.library, signal, {
      exact: true,
    });
    const count = () =>
      plex.sectionItemCount(section.key, { signal, cache: false });
    const itemsBefore = await count() ?? null;
    await requireConfirmation(
      ctx,
      `Empty the trash of library "${section.title}", deleting what Plex keeps of media whose files are gone`,
      args.confirm,
    );
    // PUT /library/sections/{id}/emptyTrash (spec:8522; python-plexapi
    // loops over the sections, library.py:189).
    const outcome = await runMaintenance(
      plex,
      `/library/sections/${section.key}/emptyTrash`,
      {},
      signal,
    );
    const itemsAfter = await count() ?? null;
    const removed = itemsBefore === null || itemsAfter === null
      ? null
      : itemsBefore - itemsAfter;
    return {
      structured: {
        library: section.title,
        itemsBefore,
        itemsAfter,
        removed,
      },
      text:
        `Plex accepted emptying the trash of [${section.key}] ${section.title}: ${
          itemsBefore == null ? "? items" : plural(itemsBefore, "item")
        } before, ${itemsAfter ?? "?"} after${
          removed ? ` (${plural(removed, "item")} removed)` : ""
        }${outcome.started.length ? outcomeText(outcome) : ""}.`,
    };
  },
});
