import { z } from "../../zod.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { defineTool, ToolInputError, writes } from "../shared/define_tool.ts";
import {
  collectionMembers,
  describeFilter,
  fetchEditable,
  fetchEditables,
  filterQuery,
  sectionUri,
  sendEdit,
  smartFilterInput,
  typeNumber,
} from "./curation_common.ts";
import { plural } from "../shared/format.ts";
import { safeId, shown } from "../shared/ids.ts";
import { libraryUri, ratingKeysInput } from "../shared/playlist_common.ts";
import { libraryInput, resolveLibrary } from "../shared/resolve.ts";
import { PlexNotFoundError } from "../../transport/errors.ts";
import { notTaken, NotTakenError } from "../shared/readback.ts";

/** `create_collection`: a new regular or smart collection in one library. */
export const createCollection = defineTool({
  name: "create_collection",
  title: "Create a collection",
  description:
    "Creates a collection in one library: regular from ratingKeys (one kind), or smart from a filter that Plex keeps up to date. Reads it back.",
  toolset: "curation",
  annotations: writes({ idempotent: false }),
  input: {
    library: libraryInput,
    title: z.string().trim().min(1).max(200),
    ratingKeys: ratingKeysInput.optional(),
    filter: smartFilterInput.optional().describe(
      "Instead of ratingKeys: browse_library's filter (smart collection)",
    ),
    summary: z.string().max(2000).optional(),
  },
  output: {
    ratingKey: z.string(),
    title: z.string(),
    library: z.string(),
    smart: z.boolean(),
    items: z.number().int(),
    summary: z.string().optional(),
  },
  handler: async (args, { plex, signal }) => {
    if (!args.ratingKeys === !args.filter) {
      throw new ToolInputError(
        "Give exactly one of ratingKeys (a regular collection) or filter (a smart one)",
      );
    }
    const section = await resolveLibrary(plex, args.library, signal, {
      exact: true,
    });
    // One collection per title and library: a second one of the same name
    // would be told apart by its ratingKey only.
    const existing = await plex.getJson(
      `/library/sections/${section.key}/collections`,
      itemsContainerSchema,
      { signal, cache: false },
    );
    const clash = existing.Metadata.find((c) =>
      c.title.trim().toLowerCase() === args.title.toLowerCase()
    );
    if (clash) {
      throw new ToolInputError(
        `Library "${section.title}" already has a collection ${
          shown(clash.title)
        } (${clash.ratingKey}); add to it with add_to_collection`,
      );
    }
    const machine = await plex.machineIdentifier({ signal });
    let query: Record<string, string | number>;
    let what: string;
    if (args.ratingKeys) {
      const items = await fetchEditables(plex, args.ratingKeys, signal);
      const elsewhere = items.filter((i) => i.librarySectionID !== section.key);
      if (elsewhere.length) {
        throw new ToolInputError(
          `A collection holds items of its own library; ${
            elsewhere.map((i) => i.ratingKey).join(", ")
          } ${elsewhere.length === 1 ? "is" : "are"} not in "${section.title}"`,
        );
      }
      const types = [...new Set(items.map((i) => i.type))];
      const type = typeNumber(types[0]!);
      if (types.length > 1 || type === undefined || types[0] === "collection") {
        throw new ToolInputError(
          `A collection holds one kind of item; these are ${
            types.join(" and ")
          }`,
        );
      }
      // ppa collection.py:440: type = the items' numeric type, smart=0.
      query = {
        type,
        title: args.title,
        smart: 0,
        sectionId: section.key,
        uri: libraryUri(machine, items.map((i) => i.ratingKey)),
      };
      what = plural(items.length, types[0]!);
    } else {
      const { query: inner, resultType } = await filterQuery(
        plex,
        section,
        args.filter!,
        signal,
      );
      // ppa collection.py:467: smart=1 and a section search URI.
      query = {
        type: inner.type!,
        title: args.title,
        smart: 1,
        sectionId: section.key,
        uri: sectionUri(machine, section.key, inner),
      };
      what = describeFilter(args.filter!, resultType);
    }
    const created = await plex.getJson(
      "/library/collections",
      itemsContainerSchema,
      { method: "POST", query, signal },
    );
    const made = created.Metadata[0];
    if (!made?.ratingKey) {
      throw new Error("Plex accepted the collection but did not return it");
    }
    const id = safeId(made.ratingKey, "collection");
    if (args.summary) {
      await sendEdit(
        plex,
        {
          ratingKey: id,
          type: "collection",
          librarySectionID: section.key,
        },
        { "summary.value": args.summary, "summary.locked": 1 },
        signal,
      );
    }
    // Read it back: the collection and what it holds now.
    const request = `the ${
      args.filter ? "smart " : ""
    }collection "${args.title}" in ${section.title} (${what})`;
    const [back, members] = await Promise.all([
      fetchEditable(plex, id, signal),
      collectionMembers(plex, id, signal),
    ]).catch((e: unknown) => {
      // fetchEditable names an id Plex does not know as a bad argument.
      if (e instanceof ToolInputError || e instanceof PlexNotFoundError) {
        throw new NotTakenError(
          request,
          `it answered with collection ${id} and then has no such collection`,
        );
      }
      throw e;
    });
    const summary = back.summary || undefined;
    const structured = {
      ratingKey: id,
      title: back.title,
      library: section.title,
      smart: back.smart,
      items: members.length,
      summary,
    };
    const missed = [
      back.title !== args.title && `its title is ${shown(back.title)}`,
      back.smart !== (args.filter !== undefined) &&
      `it is ${back.smart ? "" : "not "}smart`,
      args.ratingKeys && members.length < new Set(args.ratingKeys).size &&
      `it holds ${plural(members.length, "item")}`,
      args.summary !== undefined && (summary ?? "") !== args.summary &&
      `its summary is ${shown(summary ?? "")}`,
    ].filter((m): m is string => typeof m === "string");
    if (missed.length) {
      return notTaken(
        structured,
        request,
        `collection [${id}] exists but ${missed.join(", ")}`,
      );
    }
    return {
      structured,
      text: `Created ${
        back.smart ? "smart " : ""
      }collection [${id}] "${back.title}" in ${section.title} (${what}): ${
        plural(members.length, "item")
      } now.`,
    };
  },
});
