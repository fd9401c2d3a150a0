import { z } from "../../zod.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { collectionMembers, resolveCollection } from "./curation_common.ts";
import { plural } from "../shared/format.ts";
import { safeId } from "../shared/ids.ts";
import { ratingKeysInput } from "../shared/playlist_common.ts";
import { numericIdInput } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `remove_from_collection`: takes items out of a regular collection. */
export const removeFromCollection = defineTool({
  name: "remove_from_collection",
  title: "Remove from a collection",
  description:
    "Takes items (their ratingKeys, from get_collection) out of a regular collection, asking the user first; the items stay in the library. Reports the new count.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: numericIdInput("ratingKey").describe(
      "Collection, from list_collections",
    ),
    ratingKeys: ratingKeysInput,
    confirm: confirmInput,
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    removed: z.array(z.string()),
    items: z.number().int(),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const c = await resolveCollection(plex, args.ratingKey, signal);
    if (c.smart) {
      throw new ToolInputError(
        `"${c.title}" is a smart collection; Plex fills it from its filter`,
      );
    }
    const members = await collectionMembers(plex, c.ratingKey, signal);
    const byKey = new Map(members.map((m) => [m.ratingKey, m]));
    const wanted = [...new Set(args.ratingKeys)];
    const outside = wanted.filter((k) => !byKey.has(k));
    if (outside.length) {
      throw new ToolInputError(
        `"${c.title}" does not hold ${
          outside.join(", ")
        }; get_collection lists its items. Nothing was removed`,
      );
    }
    const leaving = wanted.map((k) => byKey.get(k)!);
    await requireConfirmation(
      ctx,
      `Remove ${
        leaving.map((m) => `"${m.title}"`).join(", ")
      } from collection "${c.title}"`,
      args.confirm,
    );
    // API.md §19: DELETE /library/collections/{id}/items/{itemRatingKey}
    // (python-plexapi and @ctrl/plex, both live-tested).
    for (const m of leaving) {
      await plex.send(
        `/library/collections/${c.ratingKey}/items/${
          safeId(m.ratingKey, "item")
        }`,
        { method: "DELETE", signal },
      );
    }
    const after = await collectionMembers(plex, c.ratingKey, signal);
    const still = new Set(after.map((m) => m.ratingKey));
    const removed = leaving.filter((m) => !still.has(m.ratingKey));
    if (removed.length < leaving.length) {
      return notTaken(
        {
          ratingKey: c.ratingKey,
          title: c.title,
          removed: removed.map((m) => m.ratingKey),
          items: after.length,
        },
        `the removal of ${
          leaving.map((m) => `"${m.title}"`).join(", ")
        } from collection [${c.ratingKey}] "${c.title}"`,
        `it still holds ${
          leaving.filter((m) => still.has(m.ratingKey)).map((m) =>
            `"${m.title}"`
          ).join(", ")
        } (${plural(after.length, "item")} in all)`,
      );
    }
    return {
      structured: {
        ratingKey: c.ratingKey,
        title: c.title,
        removed: removed.map((m) => m.ratingKey),
        items: after.length,
      },
      text: `Removed ${
        plural(removed.length, "item")
      } from [${c.ratingKey}] "${c.title}"; it holds ${
        plural(after.length, "item")
      }.`,
    };
  },
});
