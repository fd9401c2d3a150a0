import { z } from "../../zod.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import {
  collectionMembers,
  fetchEditables,
  resolveCollection,
} from "./curation_common.ts";
import { plural } from "../shared/format.ts";
import { libraryUri, ratingKeysInput } from "../shared/playlist_common.ts";
import { numericIdInput } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `add_to_collection`: adds items to a regular collection. */
export const addToCollection = defineTool({
  name: "add_to_collection",
  title: "Add to a collection",
  description:
    "Adds items of the collection's library to a regular collection (by ratingKey from list_collections); items already in it are skipped. Reports the new count.",
  toolset: "curation",
  annotations: writes({ idempotent: true }),
  input: {
    ratingKey: numericIdInput("ratingKey").describe(
      "Collection, from list_collections",
    ),
    ratingKeys: ratingKeysInput,
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    added: z.array(z.string()),
    skipped: z.array(z.string()).describe("Already in it"),
    items: z.number().int(),
  },
  handler: async (args, { plex, signal }) => {
    const c = await resolveCollection(plex, args.ratingKey, signal);
    if (c.smart) {
      throw new ToolInputError(
        `"${c.title}" is a smart collection; Plex fills it from its filter`,
      );
    }
    const [items, members] = await Promise.all([
      fetchEditables(plex, args.ratingKeys, signal),
      collectionMembers(plex, c.ratingKey, signal),
    ]);
    const elsewhere = items.filter((i) =>
      i.librarySectionID !== c.librarySectionID
    );
    if (elsewhere.length) {
      throw new ToolInputError(
        `A collection holds items of its own library; ${
          elsewhere.map((i) => i.ratingKey).join(", ")
        } ${elsewhere.length === 1 ? "is" : "are"} in another library`,
      );
    }
    const inside = new Set(members.map((m) => m.ratingKey));
    const added = items.filter((i) => !inside.has(i.ratingKey));
    const skipped = items.filter((i) => inside.has(i.ratingKey)).map((i) =>
      i.ratingKey
    );
    let count = members.length;
    if (added.length) {
      const machine = await plex.machineIdentifier({ signal });
      // API.md §19: PUT /library/collections/{id}/items?uri=server://…
      await plex.send(`/library/collections/${c.ratingKey}/items`, {
        method: "PUT",
        query: {
          uri: libraryUri(machine, added.map((i) => i.ratingKey)),
        },
        signal,
      });
      const now = await collectionMembers(plex, c.ratingKey, signal);
      count = now.length;
      const held = new Set(now.map((m) => m.ratingKey));
      const missing = added.filter((i) => !held.has(i.ratingKey));
      if (missing.length) {
        return notTaken(
          {
            ratingKey: c.ratingKey,
            title: c.title,
            added: added.filter((i) => held.has(i.ratingKey)).map((i) =>
              i.ratingKey
            ),
            skipped,
            items: count,
          },
          `${
            added.map((i) => `"${i.title}"`).join(", ")
          } for collection [${c.ratingKey}] "${c.title}"`,
          `it does not hold ${
            missing.map((i) => `"${i.title}"`).join(", ")
          } (it holds ${plural(count, "item")})`,
        );
      }
    }
    return {
      structured: {
        ratingKey: c.ratingKey,
        title: c.title,
        added: added.map((i) => i.ratingKey),
        skipped,
        items: count,
      },
      text: `${
        added.length
          ? `Added ${added.map((i) => `"${i.title}"`).join(", ")} to`
          : "Nothing to add to"
      } [${c.ratingKey}] "${c.title}"${
        skipped.length ? ` (${skipped.length} already in it)` : ""
      }; it holds ${plural(count, "item")}.`,
    };
  },
});
