import { z } from "../../zod.ts";
import { sendAndSettle } from "../shared/care_common.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { plural } from "../shared/format.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";

/**
 * How long to wait for Plex to empty the trash: it answers at once and
 * works on in an activity.
 */
const TRASH_WAIT_MS = 5_000;

/** `empty_trash`: deletes a library's entries for media that is gone. */
export const emptyTrash = defineTool({
  name: "empty_trash",
  title: "Empty a library's trash",
  description:
    "Deletes the entries one library keeps for media whose files are gone (its trash), with their watch state and edits, asking the user first; waits a few seconds and reports the item count before and after.",
  toolset: "server_care",
  annotations: writes({ idempotent: true, destructive: true }),
  input: { library: libraryInput, confirm: confirmInput },
  output: {
    library: z.string(),
    itemsBefore: z.number().int().nullable(),
    itemsAfter: z.number().int().nullable(),
    removed: z.number().int().nullable(),
    finished: z.boolean().describe(
      "Plex's work on it ended within the wait (else it goes on)",
    ),
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
    // loops over the sections, library.py:189): answered at once, the work
    // done in an activity; wait a little for it.
    const work = await sendAndSettle(
      plex,
      () =>
        plex.send(`/library/sections/${section.key}/emptyTrash`, {
          method: "PUT",
          signal,
        }),
      signal,
      { waitMs: TRASH_WAIT_MS },
    );
    const itemsAfter = await count() ?? null;
    const removed = itemsBefore === null || itemsAfter === null
      ? null
      : itemsBefore - itemsAfter;
    const finished = work.running.length === 0;
    const waited = `${Math.max(1, Math.round(work.waitedMs / 1000))} s`;
    const seen = !work.started.length
      ? "Plex listed no activity for it"
      : finished
      ? `Plex worked on it (${
        work.started.map((a) => `"${a.title}"`).join(", ")
      }) and finished within ${waited}`
      : `Plex is still working on it after ${waited} (${
        work.running.map((a) =>
          `"${a.title}"${
            a.progress === undefined || a.progress < 0
              ? ""
              : ` ${Math.round(a.progress)}%`
          }`
        ).join(", ")
      }; list_activities shows progress)`;
    return {
      structured: {
        library: section.title,
        itemsBefore,
        itemsAfter,
        removed,
        finished,
      },
      text:
        `Asked Plex to empty the trash of [${section.key}] ${section.title}; ${seen}: ${
          itemsBefore == null ? "? items" : plural(itemsBefore, "item")
        } before, ${itemsAfter ?? "?"} ${finished ? "after" : "so far"}${
          removed ? ` (${plural(removed, "item")} removed)` : ""
        }.`,
    };
  },
});
