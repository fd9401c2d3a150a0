import assert from "node:assert/strict";
import { readEditable } from "../../plex/editable.ts";
import {
  changedFields,
  checkEdits,
  losses,
  notApplied,
  viewOf,
} from "./metadata_fields.ts";

const movie = readEditable({
  ratingKey: "1",
  type: "movie",
  title: "Detour",
  summary: "A hitchhiker",
  Genre: [{ tag: "Crime" }, { tag: "Film-Noir" }],
  Field: [{ name: "titleSort", locked: true }, { name: "genre", locked: "1" }],
}, "1");

Deno.test("viewOf() names locked fields by argument and keeps the type's tags only", () => {
  const v = viewOf(movie);
  assert.deepEqual(v.locked, ["sort_title", "genres"]);
  assert.deepEqual(v.genres, ["Crime", "Film-Noir"]);
  assert.deepEqual(v.labels, []);
  const photo = viewOf(
    readEditable({ ratingKey: "2", type: "photo", title: "P" }),
  );
  assert.equal(photo.genres, undefined);
});

Deno.test("losses() lists cleared fields and removed tags the item has, nothing else", () => {
  assert.deepEqual(
    losses(movie, {
      fields: { summary: "", tagline: "" },
      tags: { genres: { remove: ["crime", "Western"] } },
      unlock: [],
    }),
    ["clear summary", "remove genres crime"],
  );
  assert.deepEqual(
    losses(movie, { fields: { title: "X" }, tags: {}, unlock: [] }),
    [],
  );
});

Deno.test("checkEdits() refuses fields of another type, change-and-unlock, comma names and no change", () => {
  const episode = readEditable({ ratingKey: "3", type: "episode", title: "E" });
  assert.throws(
    () =>
      checkEdits(episode, { fields: { studio: "X" }, tags: {}, unlock: [] }),
    /A episode has no editable studio; it has title/,
  );
  assert.throws(
    () =>
      checkEdits(movie, {
        fields: { title: "X" },
        tags: {},
        unlock: ["title"],
      }),
    /cannot be changed and unlocked/,
  );
  assert.throws(
    () =>
      checkEdits(movie, {
        fields: {},
        tags: { genres: { remove: ["a,b"] } },
        unlock: [],
      }),
    /comma list/,
  );
  assert.throws(
    () => checkEdits(movie, { fields: {}, tags: {}, unlock: [] }),
    /Nothing to change/,
  );
});

Deno.test("notApplied() reports what the read-back does not show", () => {
  const after = viewOf(readEditable({
    ratingKey: "1",
    type: "movie",
    title: "Detour",
    summary: "Old",
    Genre: [{ tag: "Crime" }],
    Field: [{ name: "title", locked: true }],
  }));
  assert.deepEqual(
    notApplied(after, {
      fields: { title: "Detour", summary: "New" },
      tags: { genres: { add: ["Noir"], remove: ["Crime"] } },
      unlock: ["title"],
    }),
    ["summary", "genres", "unlock title"],
  );
  assert.deepEqual(
    changedFields({ title: "a", locked: ["x"] }, { title: "a", locked: [] }),
    [],
    "locks are reported apart",
  );
});
