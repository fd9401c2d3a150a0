import { z } from "../../zod.ts";
import { confirmInput, requireConfirmation } from "../shared/confirm.ts";
import { defineTool, writes } from "../shared/define_tool.ts";
import { fetchEditable } from "./curation_common.ts";
import {
  changedFields,
  changeLines,
  checkEdits,
  FIELD_NAMES,
  type FieldArg,
  losses,
  metadataChangeOutput,
  type MetadataEdits,
  notApplied,
  sendMetadataEdits,
  TAG_NAMES,
  type TagArg,
  viewOf,
} from "./metadata_fields.ts";
import { ratingKeyInput } from "../shared/resolve.ts";
import { notTakenText } from "../shared/readback.ts";

const text = (max: number) => z.string().max(max).optional();
const tagEdit = z.strictObject({
  add: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  remove: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
}).optional();

/** `update_metadata`: edits an item's fields and tags, locking them. */
export const updateMetadata = defineTool({
  name: "update_metadata",
  title: "Edit metadata",
  description:
    "Edits an item's fields and genres/labels/collections, locking each edited field so Plex's agent keeps it; unlock hands fields back to the agent. Clearing or removing asks first. Returns before and after.",
  toolset: "curation",
  annotations: writes({ idempotent: true, destructive: true }),
  input: {
    ratingKey: ratingKeyInput,
    title: z.string().trim().min(1).max(500).optional(),
    sort_title: text(500),
    original_title: text(500),
    summary: text(10_000),
    tagline: text(1000),
    studio: text(500),
    content_rating: text(50),
    year: z.number().int().min(1800).max(2200).optional(),
    originally_available: z.string().regex(
      /^\d{4}-\d{2}-\d{2}$/,
      "must be a date such as 1968-10-01",
    ).optional().describe("Release date YYYY-MM-DD"),
    genres: tagEdit,
    labels: tagEdit,
    collections: tagEdit.describe("Adding a new name creates that collection"),
    unlock: z.array(
      z.enum([
        ...Object.keys(FIELD_NAMES),
        ...Object.keys(TAG_NAMES),
      ] as [FieldArg | TagArg, ...(FieldArg | TagArg)[]]),
    ).max(12).optional().describe("Let the agent update these again"),
    confirm: confirmInput,
  },
  output: {
    ...metadataChangeOutput,
    notApplied: z.array(z.string()).describe("Asked for, not what Plex shows"),
  },
  handler: async (args, ctx) => {
    const { plex, signal } = ctx;
    const edits: MetadataEdits = { fields: {}, tags: {}, unlock: [] };
    for (const arg of Object.keys(FIELD_NAMES) as FieldArg[]) {
      const value = args[arg];
      if (value !== undefined) edits.fields[arg] = value;
    }
    for (const arg of Object.keys(TAG_NAMES) as TagArg[]) {
      const e = args[arg];
      if (e && (e.add?.length || e.remove?.length)) edits.tags[arg] = e;
    }
    edits.unlock = [...new Set(args.unlock ?? [])];
    const item = await fetchEditable(plex, args.ratingKey, signal);
    checkEdits(item, edits);
    const lost = losses(item, edits);
    if (lost.length) {
      await requireConfirmation(
        ctx,
        `On "${item.title}", ${lost.join("; ")}`,
        args.confirm,
      );
    }
    const before = viewOf(item);
    await sendMetadataEdits(plex, item, edits, signal);
    const after = viewOf(await fetchEditable(plex, args.ratingKey, signal));
    const changed = changedFields(before, after);
    const missed = notApplied(after, edits);
    const lockedNow = after.locked.filter((l) => !before.locked.includes(l));
    const unlockedNow = before.locked.filter((l) => !after.locked.includes(l));
    const lines = [
      `[${args.ratingKey}] ${item.type} "${after.title}": ${
        changed.length ? `changed ${changed.join(", ")}` : "no field changed"
      }${lockedNow.length ? `; locked ${lockedNow.join(", ")}` : ""}${
        unlockedNow.length ? `; unlocked ${unlockedNow.join(", ")}` : ""
      }.`,
      ...changeLines(before, after, changed),
      ...(missed.length
        ? [
          `Plex did not apply: ${
            missed.join(", ")
          } (read back after the edit).`,
        ]
        : []),
    ];
    const structured = {
      ratingKey: args.ratingKey,
      type: item.type,
      before,
      after,
      changed,
      notApplied: missed,
    };
    if (missed.length) {
      // The sentence first, then what did change and what Plex holds.
      return {
        structured,
        text: [
          notTakenText(
            `the edit of [${args.ratingKey}] ${item.type} "${item.title}"`,
            `it does not show ${missed.join(", ")} as asked`,
          ),
          // Its own last line says what was not applied.
          ...lines.slice(0, -1),
        ].join("\n"),
        notTaken: true,
      };
    }
    return { structured, text: lines.join("\n") };
  },
});
