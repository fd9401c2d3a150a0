import assert from "node:assert/strict";
import { summarize } from "../tools/shared/items.ts";
import {
  accountsSchema,
  historySchema,
  itemsBriefContainerSchema,
  itemsContainerSchema,
  sessionsSchema,
} from "./schemas.ts";

Deno.test("the plain readers of sessions, history and accounts keep the structure guard", () => {
  for (const schema of [sessionsSchema, historySchema, accountsSchema]) {
    for (const bad of [null, "x", [], {}, { MediaContainer: "x" }]) {
      assert.equal(schema.safeParse(bad).success, false, JSON.stringify(bad));
      assert.throws(() => schema.parse(bad), /MediaContainer/);
    }
  }
  assert.deepEqual(
    accountsSchema.parse({
      MediaContainer: {
        Account: [
          { id: 1, name: "Ann" },
          { id: "2" },
          { name: "no id" },
          { id: { nested: true }, name: "bad id" },
          "not an object",
        ],
      },
    }),
    [{ id: "1", name: "Ann" }, { id: "2", name: "" }],
  );
  // A lone object stands for a list of one; an absent list is empty.
  assert.deepEqual(
    accountsSchema.parse({ MediaContainer: { Account: { id: 0 } } }),
    [{ id: "0", name: "" }],
  );
  const page = historySchema.parse({
    MediaContainer: {
      size: "1",
      totalSize: 9,
      Metadata: [{
        historyKey: "/h/1",
        viewedAt: 5,
        accountID: 1,
        ratingKey: "7",
        title: "T",
        type: "movie",
      }, 3],
    },
  });
  assert.equal(page.size, 1);
  assert.equal(page.totalSize, 9);
  assert.equal(page.entries.length, 1);
  assert.equal(page.entries[0]!.accountID, "1");
  assert.deepEqual(sessionsSchema.parse({ MediaContainer: {} }), []);
});

Deno.test("an item read in brief summarizes as the item read whole", () => {
  const page = {
    MediaContainer: {
      size: 2,
      totalSize: "7",
      librarySectionTitle: "Films",
      Metadata: [
        {
          ratingKey: 11,
          type: "episode",
          title: "Pilot",
          index: "1",
          parentIndex: 2,
          parentTitle: "Season 2",
          grandparentTitle: "Show",
          duration: 1_800_000.4,
          viewOffset: 60_000,
          viewCount: 2,
          year: 1999,
          Media: [{ id: 1, Part: [{ id: 2, Stream: [{ streamType: 1 }] }] }],
          Genre: [{ tag: "Drama" }],
          Role: [{ tag: "Ann" }],
        },
        {
          ratingKey: "12",
          type: "show",
          title: "S",
          leafCount: 4,
          viewedLeafCount: 4,
        },
      ],
    },
  };
  const whole = itemsContainerSchema.parse(page);
  const brief = itemsBriefContainerSchema.parse(page);
  assert.deepEqual(
    brief.Metadata.map(summarize),
    whole.Metadata.map(summarize),
  );
  assert.equal(brief.totalSize, 7);
  assert.equal(brief.librarySectionTitle, "Films");
  assert.deepEqual(brief.Metadata[0]!.media, []);
  assert.equal(whole.Metadata[0]!.media.length, 1);
});
