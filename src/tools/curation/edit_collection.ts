import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import { fetchEditable, resolveCollection } from "./curation_common.ts";
import {
  changedFields,
  changeLines,
  checkEdits,
  losses,
  type MetadataEdits,
  notApplied,
  sendMetadataEdits,
  viewOf,
} from "./metadata_fields.ts";
import { shown } from "../shared/ids.ts";
import { numericIdInput } from "../shared/resolve.ts";
import { notTaken } from "../shared/readback.ts";

/** `collectionSort` values (python-plexapi collection.py:219-300). */
const SORTS = { release: 0, alphabetical: 1, custom: 2 } as const;
/** `collectionMode` values (same source); −1 = the library's default. */
const MODES = {
  library_default: -1,
  hide: 0,
  hide_items: 1,
  show_items: 2,
} as const;

type Sort = keyof typeof SORTS;
type Mode = keyof typeof MODES;

function nameOf<T extends Record<string, number>>(
  values: T,
  n: number | undefined,
  fallback: keyof T,
): keyof T {
  return (Object.keys(values) as (keyof T)[]).find((k) => values[k] === n) ??
    fallback;
}

const collectionView = z.object({
  title: z.string(),
  sort_title: z.string().optional(),
  summary: z.string().optional(),
  content_rating: z.string().optional(),
  sort: z.enum(Object.keys(SORTS) as [Sort]),
  mode: z.enum(Object.keys(MODES) as [Mode]),
  locked: z.array(z.string()),
});

/** `edit_collection`: renames a collection, edits its summary and settings. */
export const editCollection = defineTool({
  name: "edit_collection",
  title: "Edit a collection",
  description:
    "Renames a collection or edits its sort title, summary and content rating (locked against the agent), its item order (sort) and where it shows (mode). Clearing asks first. Returns before and after.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: numericIdInput("ratingKey").describe(
      "Collection, from list_collections",
    ),
    title: z.string().trim().min(1).max(200).optional(),
    sort_title: z.string().max(200).optional(),
    summary: z.string().max(2000).optional(),
    content_rating: z.string().max(50).optional(),
    sort: z.enum(Object.keys(SORTS) as [Sort]).optional().describe(
      "Order of its items (regular collections only)",
    ),
    mode: z.enum(Object.keys(MODES) as [Mode]).optional().describe(
      "hide: hide it; hide_items: show it, hide its items",
    ),
    confirm: confirmInput,
  },
  output: {
    ratingKey: z.string(),
    before: collectionView,
    after: collectionView,
    changed: z.array(z.string()),
    notApplied: z.array(z.string()),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const c = await resolveCollection(plex, args.ratingKey, signal);
    const edits: MetadataEdits = { fields: {}, tags: {}, unlock: [] };
    for (
      const f of ["title", "sort_title", "summary", "content_rating"] as const
    ) {
      if (args[f] !== undefined) edits.fields[f] = args[f];
    }
    // python-plexapi refuses any order change on a smart collection
    // (collection.py:290-291): its order is its filter's sort.
    if (args.sort !== undefined && c.smart) {
      throw new ToolInputError(
        `"${c.title}" is a smart collection: its order comes from its filter's sort, so it takes no sort of its own (make it again with create_collection and filter.sort). Nothing was changed`,
      );
    }
    const prefs: Record<string, number> = {};
    if (args.sort !== undefined) prefs.collectionSort = SORTS[args.sort];
    if (args.mode !== undefined) prefs.collectionMode = MODES[args.mode];
    if (!Object.keys(edits.fields).length && !Object.keys(prefs).length) {
      throw new ToolInputError(
        "Nothing to change: give title, sort_title, summary, content_rating, sort or mode",
      );
    }
    if (Object.keys(edits.fields).length) checkEdits(c, edits);
    if (
      args.title !== undefined &&
      args.title.toLowerCase() !== c.title.trim().toLowerCase()
    ) {
      // Plex refuses a title another collection of the library has (409,
      // spec:7931); say which one before sending anything.
      const others = await plex.getJson(
        `/library/sections/${c.librarySectionID}/collections`,
        itemsContainerSchema,
        { signal, cache: false },
      );
      const clash = others.Metadata.find((o) =>
        o.ratingKey !== c.ratingKey &&
        o.title.trim().toLowerCase() === args.title!.toLowerCase()
      );
      if (clash) {
        throw new ToolInputError(
          `Collection ${
            shown(clash.title)
          } (${clash.ratingKey}) already has that title in this library; pick another. Nothing was changed`,
        );
      }
    }
    const lost = losses(c, edits);
    if (lost.length) {
      await requireConfirmation(
        ctx,
        `On collection "${c.title}", ${lost.join("; ")}`,
        args.confirm,
      );
    }
    const view = (i: typeof c) => {
      const v = viewOf(i);
      return {
        title: v.title,
        sort_title: v.sort_title,
        summary: v.summary,
        content_rating: v.content_rating,
        sort: nameOf(SORTS, i.collectionSort ?? 0, "release") as Sort,
        mode: nameOf(MODES, i.collectionMode ?? -1, "library_default") as Mode,
        locked: v.locked,
      };
    };
    const before = view(c);
    if (Object.keys(edits.fields).length) {
      // Collections are edited as type 18 in their library (API.md §19);
      // a title another collection has is refused with 409.
      await sendMetadataEdits(plex, c, edits, signal);
    }
    if (Object.keys(prefs).length) {
      // ppa AdvancedSettingsMixin: PUT /library/collections/{id}/prefs.
      await plex.send(`/library/collections/${c.ratingKey}/prefs`, {
        method: "PUT",
        query: prefs,
        signal,
      });
    }
    const back = await fetchEditable(plex, c.ratingKey, signal);
    const after = view({ ...back, librarySectionID: c.librarySectionID });
    const changed = changedFields(before, after);
    const missed = notApplied(viewOf(back), edits);
    if (args.sort !== undefined && after.sort !== args.sort) {
      missed.push("sort");
    }
    if (args.mode !== undefined && after.mode !== args.mode) {
      missed.push("mode");
    }
    if (missed.length) {
      return notTaken(
        {
          ratingKey: c.ratingKey,
          before,
          after,
          changed,
          notApplied: missed,
        },
        `the edit of collection [${c.ratingKey}] "${c.title}"`,
        `${missed.join(", ")} ${
          missed.length > 1 ? "are" : "is"
        } not what was asked (${
          missed.map((k) =>
            `${k}: ${shown(String(after[k as keyof typeof after] ?? ""))}`
          ).join(", ")
        })${changed.length ? `; changed: ${changed.join(", ")}` : ""}`,
      );
    }
    return {
      structured: {
        ratingKey: c.ratingKey,
        before,
        after,
        changed,
        notApplied: missed,
      },
      text: [
        `Collection [${c.ratingKey}] "${after.title}": ${
          changed.length ? `changed ${changed.join(", ")}` : "nothing changed"
        }.`,
        ...changeLines(before, after, changed),
        ...(missed.length ? [`Plex did not apply: ${missed.join(", ")}.`] : []),
      ].join("\n"),
    };
  },
});
