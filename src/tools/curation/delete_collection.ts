import { z } from "../../zod.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { resolveCollection } from "./curation_common.ts";
import { plural } from "../shared/format.ts";
import { numericIdInput } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `delete_collection`: deletes a collection, not its items. */
export const deleteCollection = defineTool({
  name: "delete_collection",
  title: "Delete a collection",
  description:
    "Deletes a collection (by ratingKey from list_collections), not its items, asking the user first; checks it is gone.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: numericIdInput("ratingKey").describe(
      "Collection, from list_collections",
    ),
    confirm: confirmInput,
  },
  output: { ratingKey: z.string(), title: z.string(), deleted: z.boolean() },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const c = await resolveCollection(plex, args.ratingKey, signal);
    await requireConfirmation(
      ctx,
      `Delete ${c.smart ? "smart " : ""}collection "${c.title}" (${
        c.childCount === undefined ? "? items" : plural(c.childCount, "item")
      }; the items stay in the library)`,
      args.confirm,
    );
    // python-plexapi 4.16.1 deletes through /library/collections/{id}
    // (collection.py:88, base.py:715; API.md §9).
    await plex.send(`/library/collections/${c.ratingKey}`, {
      method: "DELETE",
      signal,
    });
    const gone = await plex.send(`/library/metadata/${c.ratingKey}`, {
      signal,
      cache: false,
    }).then(
      () => false,
      (e: unknown) => {
        if (e instanceof PlexNotFoundError) return true;
        throw e;
      },
    );
    const structured = {
      ratingKey: c.ratingKey,
      title: c.title,
      deleted: gone,
    };
    if (!gone) {
      return notTaken(
        structured,
        `the delete of collection [${c.ratingKey}] "${c.title}"`,
        "it still has the collection",
      );
    }
    return {
      structured,
      text:
        `Deleted collection [${c.ratingKey}] "${c.title}"; its items stay in the library.`,
    };
  },
});
