/**
 * The editable fields and tags of each item type, how an edit of them is
 * sent (with Plex's field locks), and the before/after view the edit tools
 * return.
 *
 * @module
 */
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { EditableItem } from "../../plex/editable.ts";
import type { QueryValue } from "../../transport/request.ts";
import { ToolInputError } from "../shared/define_tool.ts";
import { sendEdit } from "./curation_common.ts";

/** Argument name → Plex's field name. */
export const FIELD_NAMES = {
  title: "title",
  sort_title: "titleSort",
  original_title: "originalTitle",
  summary: "summary",
  tagline: "tagline",
  studio: "studio",
  content_rating: "contentRating",
  year: "year",
  originally_available: "originallyAvailableAt",
} as const;

/** A field argument. */
export type FieldArg = keyof typeof FIELD_NAMES;

/** Tag argument → Plex's (singular) tag name (ppa `_tagSingular`). */
export const TAG_NAMES = {
  genres: "genre",
  labels: "label",
  collections: "collection",
} as const;

/** A tag argument. */
export type TagArg = keyof typeof TAG_NAMES;

/**
 * What each type can edit: python-plexapi's edit mixins per class
 * (mixins.py:1232-1325, API.md §20.2), and `year`, which ppa has no mixin
 * for but public scripts send with the same call (`year.value` /
 * `year.locked`) for movies, shows and albums.
 */
const EDITABLE: Record<string, { fields: FieldArg[]; tags: TagArg[] }> = {
  movie: {
    fields: [
      "title",
      "sort_title",
      "original_title",
      "summary",
      "tagline",
      "studio",
      "content_rating",
      "year",
      "originally_available",
    ],
    tags: ["genres", "labels", "collections"],
  },
  show: {
    fields: [
      "title",
      "sort_title",
      "original_title",
      "summary",
      "tagline",
      "studio",
      "content_rating",
      "year",
      "originally_available",
    ],
    tags: ["genres", "labels", "collections"],
  },
  season: { fields: ["title", "summary"], tags: ["labels", "collections"] },
  episode: {
    fields: [
      "title",
      "sort_title",
      "summary",
      "content_rating",
      "originally_available",
    ],
    tags: ["labels", "collections"],
  },
  artist: {
    fields: ["title", "sort_title", "summary"],
    tags: ["genres", "labels", "collections"],
  },
  album: {
    fields: [
      "title",
      "sort_title",
      "summary",
      "studio",
      "year",
      "originally_available",
    ],
    tags: ["genres", "labels", "collections"],
  },
  track: {
    fields: ["title", "original_title"],
    tags: ["genres", "labels", "collections"],
  },
  photo: {
    fields: ["title", "sort_title", "summary", "originally_available"],
    tags: [],
  },
  collection: {
    fields: ["title", "sort_title", "summary", "content_rating"],
    tags: ["labels"],
  },
};

/** What `type` can edit (nothing for an unknown type). */
export function editableOf(
  type: string,
): { fields: FieldArg[]; tags: TagArg[] } {
  return EDITABLE[type] ?? { fields: [], tags: [] };
}

/** The fields and tags of an item, as the edit tools show them. */
export const metadataView = z.object({
  title: z.string(),
  sort_title: z.string().optional(),
  original_title: z.string().optional(),
  summary: z.string().optional(),
  tagline: z.string().optional(),
  studio: z.string().optional(),
  content_rating: z.string().optional(),
  year: z.number().int().optional(),
  originally_available: z.string().optional(),
  genres: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  collections: z.array(z.string()).optional(),
  locked: z.array(z.string()).describe("Fields the agent will not change"),
});

/** The view type. */
export type MetadataView = z.output<typeof metadataView>;

/** What a metadata write reports: the item before and after, and what changed. */
export const metadataChangeOutput = {
  ratingKey: z.string(),
  type: z.string(),
  before: metadataView,
  after: metadataView,
  changed: z.array(z.string()),
};

/** An item's fields and tags, the ones its type has. */
export function viewOf(item: EditableItem): MetadataView {
  const { tags } = editableOf(item.type);
  const year = item.year === undefined ? undefined : Math.round(item.year);
  return {
    title: item.title,
    sort_title: item.titleSort,
    original_title: item.originalTitle,
    summary: item.summary,
    tagline: item.tagline,
    studio: item.studio,
    content_rating: item.contentRating,
    year,
    originally_available: item.originallyAvailableAt,
    genres: tags.includes("genres") ? item.genres : undefined,
    labels: tags.includes("labels") ? item.labels : undefined,
    collections: tags.includes("collections") ? item.collections : undefined,
    locked: item.locked.map((name) => ARG_OF[name] ?? name),
  };
}

/** Plex's field and tag names → argument names (`titleSort` → `sort_title`). */
const ARG_OF: Record<string, string> = Object.fromEntries([
  ...Object.entries(FIELD_NAMES).map(([arg, f]) => [f, arg]),
  ...Object.entries(TAG_NAMES).map(([arg, t]) => [t, arg]),
]);

/** A field's value in a view, as text (tags joined). */
function shownValue(v: unknown): string {
  if (v === undefined || v === "") return "(empty)";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "(none)";
  return typeof v === "string" && v.length > 60
    ? JSON.stringify(v.slice(0, 60) + "…")
    : JSON.stringify(v);
}

/** Names of the view entries that differ, locks aside. */
export function changedFields(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): string[] {
  return Object.keys({ ...a, ...b }).filter((k) =>
    k !== "locked" && JSON.stringify(a[k]) !== JSON.stringify(b[k])
  );
}

/** `title: "A" → "B"` lines for the changed fields. */
export function changeLines(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): string[] {
  return fields.map((f) =>
    `${f}: ${shownValue(before[f])} → ${shownValue(after[f])}`
  );
}

/** One tag list edit. */
export interface TagEdit {
  /** Names to add. */
  add?: string[];
  /** Names to take off. */
  remove?: string[];
}

/** The edits one call asks for. */
export interface MetadataEdits {
  /** New field values ("" clears). */
  fields: Partial<Record<FieldArg, string | number>>;
  /** Tag changes. */
  tags: Partial<Record<TagArg, TagEdit>>;
  /** Fields and tags to unlock without changing them. */
  unlock: (FieldArg | TagArg)[];
}

/** Which edits take something away (a cleared field, removed tags). */
export function losses(item: EditableItem, edits: MetadataEdits): string[] {
  const view = viewOf(item);
  const out: string[] = [];
  for (const [f, v] of Object.entries(edits.fields)) {
    const now = view[f as FieldArg];
    if (v === "" && now !== undefined && now !== "") out.push(`clear ${f}`);
  }
  for (const [t, e] of Object.entries(edits.tags)) {
    const have = (view[t as TagArg] ?? []).map((n) => n.toLowerCase());
    const gone = (e?.remove ?? []).filter((n) =>
      have.includes(n.toLowerCase())
    );
    if (gone.length) out.push(`remove ${t} ${gone.join(", ")}`);
  }
  return out;
}

/**
 * Checks `edits` fit the item's type (python-plexapi's per-type fields)
 * and do not both change and unlock one field; throws naming what fits.
 */
export function checkEdits(item: EditableItem, edits: MetadataEdits): void {
  const { fields, tags } = editableOf(item.type);
  const asked = [
    ...Object.keys(edits.fields),
    ...Object.keys(edits.tags),
    ...edits.unlock,
  ];
  const wrong = asked.filter((a) =>
    !(fields as string[]).includes(a) && !(tags as string[]).includes(a)
  );
  if (wrong.length) {
    throw new ToolInputError(
      `A ${item.type} has no editable ${[...new Set(wrong)].join(", ")}${
        fields.length || tags.length
          ? `; it has ${[...fields, ...tags].join(", ")}`
          : ""
      }. Nothing was changed`,
    );
  }
  const both = edits.unlock.filter((u) => u in edits.fields || u in edits.tags);
  if (both.length) {
    throw new ToolInputError(
      `${
        both.join(", ")
      } cannot be changed and unlocked in one call: an edited field is locked`,
    );
  }
  for (const [t, e] of Object.entries(edits.tags)) {
    const bad = (e?.remove ?? []).filter((n) => n.includes(","));
    if (bad.length) {
      throw new ToolInputError(
        `${t}: Plex takes removals as a comma list, so ${
          JSON.stringify(bad[0])
        } cannot be removed this way`,
      );
    }
  }
  if (!asked.length) {
    throw new ToolInputError(
      "Nothing to change: give a field, a tag list or unlock",
    );
  }
}

/**
 * Sends the edits (API.md §20): every changed field as `{f}.value` with
 * `{f}.locked=1`; added tags as the whole wanted list `{tag}[i].tag.tag`
 * (what python-plexapi sends, mixins.py editTags); removed ones as
 * `{tag}[].tag.tag-=a,b`, a request of their own; unlocks as
 * `{f}.locked=0` alone. Returns the number of requests sent.
 */
export async function sendMetadataEdits(
  plex: PlexClient,
  item: EditableItem,
  edits: MetadataEdits,
  signal: AbortSignal,
): Promise<number> {
  const view = viewOf(item);
  const main: Record<string, QueryValue> = {};
  for (const [arg, value] of Object.entries(edits.fields)) {
    const f = FIELD_NAMES[arg as FieldArg];
    main[`${f}.value`] = value;
    main[`${f}.locked`] = 1;
    // Retitling an album also names its artist (ppa TitleMixin).
    if (f === "title" && item.type === "album" && item.parentRatingKey) {
      main["artist.id.value"] = item.parentRatingKey;
    }
  }
  const removals: Record<string, QueryValue> = {};
  for (const [arg, e] of Object.entries(edits.tags)) {
    const tag = TAG_NAMES[arg as TagArg];
    const have = view[arg as TagArg] ?? [];
    const remove = new Set((e?.remove ?? []).map((n) => n.toLowerCase()));
    const add = (e?.add ?? []).filter((n) => n.trim() !== "");
    if (add.length) {
      const wanted = [
        ...have.filter((n) => !remove.has(n.toLowerCase())),
        ...add,
      ].filter((n, i, all) =>
        all.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i
      );
      wanted.forEach((name, i) => {
        main[`${tag}[${i}].tag.tag`] = name;
      });
      main[`${tag}.locked`] = 1;
    }
    const gone = have.filter((n) => remove.has(n.toLowerCase()));
    if (gone.length) {
      removals[`${tag}[].tag.tag-`] = gone.join(",");
      removals[`${tag}.locked`] = 1;
    }
  }
  for (const u of edits.unlock) {
    const name = u in FIELD_NAMES
      ? FIELD_NAMES[u as FieldArg]
      : TAG_NAMES[u as TagArg];
    main[`${name}.locked`] = 0;
  }
  let sent = 0;
  if (Object.keys(main).length) {
    await sendEdit(plex, item, main, signal);
    sent++;
  }
  if (Object.keys(removals).length) {
    await sendEdit(plex, item, removals, signal);
    sent++;
  }
  return sent;
}

/**
 * What did not come out as asked: fields whose read-back value is not the
 * one sent, tags still missing or still there, fields still locked.
 */
export function notApplied(
  after: MetadataView,
  edits: MetadataEdits,
): string[] {
  const out: string[] = [];
  for (const [arg, value] of Object.entries(edits.fields)) {
    const now = after[arg as FieldArg];
    const same = value === ""
      ? now === undefined || now === ""
      : String(now ?? "") === String(value);
    if (!same) out.push(arg);
  }
  for (const [arg, e] of Object.entries(edits.tags)) {
    const have = (after[arg as TagArg] ?? []).map((n) => n.toLowerCase());
    const missing = (e?.add ?? []).filter((n) =>
      !have.includes(n.toLowerCase())
    );
    const left = (e?.remove ?? []).filter((n) =>
      have.includes(n.toLowerCase())
    );
    if (missing.length || left.length) out.push(arg);
  }
  for (const u of edits.unlock) {
    const name = u in FIELD_NAMES
      ? FIELD_NAMES[u as FieldArg]
      : TAG_NAMES[u as TagArg];
    if (after.locked.includes(u) || after.locked.includes(name)) {
      out.push(`unlock ${u}`);
    }
  }
  return out;
}
