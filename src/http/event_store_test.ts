import assert from "node:assert/strict";
import { BoundedEventStore } from "./event_store.ts";

const msg = (id: number, text = "") => ({
  jsonrpc: "2.0" as const,
  id,
  result: { text },
});

Deno.test("BoundedEventStore replays what came after an event, on its stream only, skipping priming events", async () => {
  const store = new BoundedEventStore();
  const prime = await store.storeEvent("s1", {} as never);
  await store.storeEvent("s2", msg(9));
  const a = await store.storeEvent("s1", msg(1));
  await store.storeEvent("s1", msg(2));
  assert.equal(await store.getStreamIdForEventId(prime), "s1");
  const sent: unknown[] = [];
  const stream = await store.replayEventsAfter(prime, {
    send: (_id, m) => Promise.resolve(void sent.push(m)),
  });
  assert.equal(stream, "s1");
  assert.deepEqual(sent, [msg(1), msg(2)]);
  const after: unknown[] = [];
  await store.replayEventsAfter(a, {
    send: (_id, m) => Promise.resolve(void after.push(m)),
  });
  assert.deepEqual(after, [msg(2)]);
  assert.equal(await store.getStreamIdForEventId("nope"), undefined);
  await assert.rejects(() =>
    store.replayEventsAfter("nope", { send: () => Promise.resolve() })
  );
});

Deno.test("BoundedEventStore keeps at most its count and its bytes: the oldest go first", async () => {
  const byCount = new BoundedEventStore(3, 1_000_000);
  const first = await byCount.storeEvent("s", msg(0));
  for (let i = 1; i < 10; i++) await byCount.storeEvent("s", msg(i));
  assert.equal(byCount.size, 3);
  assert.equal(await byCount.getStreamIdForEventId(first), undefined);

  const bySize = new BoundedEventStore(1000, 1000);
  for (let i = 0; i < 20; i++) {
    await bySize.storeEvent("s", msg(i, "x".repeat(200)));
  }
  assert.ok(bySize.bytes <= 1000, `${bySize.bytes}`);
  assert.ok(bySize.size >= 3 && bySize.size < 20);
  // One event larger than the whole bound is still kept (the newest).
  const huge = new BoundedEventStore(10, 100);
  const id = await huge.storeEvent("s", msg(1, "y".repeat(500)));
  assert.equal(huge.size, 1);
  assert.equal(await huge.getStreamIdForEventId(id), "s");
});
