import assert from "node:assert/strict";
import { RequestPool } from "./pool.ts";

Deno.test("RequestPool runs at most `size` at once, in arrival order", async () => {
  const pool = new RequestPool(2);
  const order: number[] = [];
  let running = 0;
  let most = 0;
  await Promise.all(Array.from({ length: 7 }, async (_, i) => {
    const release = await pool.acquire();
    order.push(i);
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    release();
  }));
  assert.equal(most, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(pool.busy, 0);
});

Deno.test("RequestPool: a waiting caller that aborts leaves the queue", async () => {
  const pool = new RequestPool(1);
  const first = await pool.acquire();
  const controller = new AbortController();
  const waiting = pool.acquire(controller.signal);
  assert.equal(pool.waiting, 1);
  controller.abort(new DOMException("gone", "AbortError"));
  await assert.rejects(waiting, /gone/);
  assert.equal(pool.waiting, 0);
  first();
  first(); // releasing twice is harmless
  assert.equal(pool.busy, 0);
  const again = await pool.acquire();
  assert.equal(pool.busy, 1);
  again();
});
