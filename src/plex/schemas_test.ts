import assert from "node:assert/strict";
import { accountsSchema, historySchema, sessionsSchema } from "./schemas.ts";

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
