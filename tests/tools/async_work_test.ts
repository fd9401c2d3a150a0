/**
 * Work Plex does after it has answered: refreshing or matching an item,
 * emptying a library's trash and optimizing the database run as
 * activities on a real server (AUDIT-2026-12 D11), and so they do in the
 * fake (work.ts): answered at once, listed in /activities, done later.
 * empty_trash says what it asked and what it saw within a short wait,
 * never "Emptied" before it has seen it; refresh_metadata and match_item
 * wait for their item's refresh before reading it back.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { fakeWork, settleWork } from "../../src/demo/fake_plex/work.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

async function get(fake: FakePlex, path: string): Promise<Any> {
  const r = await fake.handle(
    new Request(`http://fake${path}`, {
      headers: { "X-Plex-Token": "demo-token", Accept: "application/json" },
    }),
  );
  return (await r.json()).MediaContainer;
}

async function put(fake: FakePlex, path: string): Promise<number> {
  const r = await fake.handle(
    new Request(`http://fake${path}`, {
      method: "PUT",
      headers: { "X-Plex-Token": "demo-token" },
    }),
  );
  await r.body?.cancel();
  return r.status;
}

Deno.test("the fake answers refresh, match, empty trash and optimize at once and does them later, listed in /activities", async () => {
  const { fake, close } = await connectInMemory();
  try {
    fakeWork(fake).ms = 60_000;
    const charade = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Charade"
    )!;
    const stamp = charade.raw.updatedAt;
    // Refresh: the item changes only when the work is done.
    assert.equal(
      await put(fake, `/library/metadata/${charade.ratingKey}/refresh`),
      200,
    );
    const [during] = (await get(fake, `/library/metadata/${charade.ratingKey}`))
      .Metadata;
    assert.equal(during.updatedAt, stamp, "not refreshed yet");
    // Empty trash: the gone film stays until the work is done.
    const gone = fake.library.sections.get(1)!.items[0]!;
    fake.library.items.get(gone)!.raw.deletedAt = 1_763_000_000;
    assert.equal(await put(fake, "/library/sections/1/emptyTrash"), 200);
    assert.ok(fake.library.items.has(gone));
    assert.equal(await put(fake, "/library/optimize?async=1"), 200);
    const listed = (await get(fake, "/activities")).Activity as Any[];
    assert.deepEqual(listed.map((a) => a.type).sort(), [
      "database.optimize",
      "library.empty.trash",
      "library.refresh.items",
    ]);
    const refreshing = listed.find((a) => a.type === "library.refresh.items");
    assert.equal(
      refreshing.Context.key,
      `/library/metadata/${charade.ratingKey}`,
    );
    settleWork(fake);
    assert.notEqual(
      (await get(fake, `/library/metadata/${charade.ratingKey}`)).Metadata[0]
        .updatedAt,
      stamp,
      "refreshed",
    );
    assert.equal(fake.library.items.has(gone), false);
    assert.equal((await get(fake, "/activities")).Activity, undefined);
  } finally {
    await close();
  }
});

Deno.test("empty_trash says it asked and what it saw: finished within the wait, or still working", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: "empty_trash", arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const [first, second, third] = fake.library.sections.get(1)!.items;
    fake.library.items.get(first!)!.raw.deletedAt = 1_763_000_000;
    // Done within the wait: the counts after it.
    const done = await call({ library: "Classic Movies", confirm: true });
    assert.equal(done.r.isError, undefined, done.text);
    assert.equal(done.s.finished, true);
    assert.equal(done.s.removed, 1);
    assert.match(
      done.text,
      /^Asked Plex to empty the trash of \[1\] Classic Movies; Plex worked on it \("Emptying trash of Classic Movies"\) and finished within \d+ s: \d+ items before, \d+ after \(1 item removed\)\.$/,
    );
    assert.doesNotMatch(done.text, /Emptied/);

    // Plex still at it when the wait ends: said so, nothing claimed.
    fakeWork(fake).ms = 60_000;
    fake.library.items.get(second!)!.raw.deletedAt = 1_763_000_000;
    const slow = await call({ library: "Classic Movies", confirm: true });
    assert.equal(slow.r.isError, undefined, slow.text);
    assert.equal(slow.s.finished, false);
    assert.equal(slow.s.removed, 0);
    assert.match(
      slow.text,
      /^Asked Plex to empty the trash of \[1\] Classic Movies; Plex is still working on it after \d+ s \("Emptying trash of Classic Movies" \d+%; list_activities shows progress\): (\d+) items before, \1 so far\.$/,
    );
    assert.ok(fake.library.items.has(second!), "not emptied yet");
    settleWork(fake);
    assert.equal(fake.library.items.has(second!), false);
    assert.ok(fake.library.items.has(third!));
  } finally {
    await close();
  }
});
