/**
 * How long and how often, seen through PlexClient: retries and their
 * bound, timeouts and abort, one call's shared budget and deadline, the
 * pool's queue of requests in flight.
 */
import assert from "node:assert/strict";
import { client, json } from "../../tests/support/plex_client.ts";
import { PlexApiError, PlexBusyError, PlexConnectionError } from "./errors.ts";

Deno.test("PlexClient retries idempotent reads on 503 and connection failures, then succeeds", async () => {
  let n = 0;
  const { plex, seen } = client(() => {
    n++;
    if (n === 1) {
      throw new TypeError("fetch failed", {
        cause: new Error(
          "tcp connect error: Connection refused (os error 111)",
        ),
      });
    }
    if (n === 2) return new Response("<html>busy</html>", { status: 503 });
    return json({ MediaContainer: { Directory: [] } });
  });
  assert.deepEqual(await plex.sections(), []);
  assert.equal(seen.length, 3);
});

Deno.test("PlexClient gives up after the retry budget with the last error", async () => {
  const { plex, seen } = client(() => new Response("", { status: 502 }), {
    retries: 1,
  });
  const error = await plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexApiError);
  assert.equal(error.status, 502);
  assert.equal(seen.length, 2);
});

Deno.test("PlexClient never retries a write on connection failure", async () => {
  const { plex, seen } = client(() => {
    throw new TypeError("fetch failed", {
      cause: new Error("Connection refused"),
    });
  });
  const error = await plex.send("/playlists", { method: "POST" }).catch((e) =>
    e
  );
  assert.ok(error instanceof PlexConnectionError);
  assert.equal(error.failure, "refused");
  assert.equal(seen.length, 1);
});

Deno.test("PlexClient times out a stalled server with a PlexConnectionError", async () => {
  const { plex } = client(
    (req) =>
      new Promise<Response>((_resolve, reject) => {
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
      }),
    { timeoutMs: 50, retries: 0 },
  );
  const error = await plex.serverInfo().catch((e) => e);
  assert.ok(error instanceof PlexConnectionError);
  assert.equal(error.failure, "timeout");
  assert.match(error.message, /did not answer within 0\.05 s/);
});

Deno.test("PlexClient passes the caller's abort through instead of retrying", async () => {
  const controller = new AbortController();
  const { plex, seen } = client((req) =>
    new Promise<Response>((_resolve, reject) => {
      req.signal.addEventListener("abort", () => reject(req.signal.reason));
      controller.abort(new DOMException("stop", "AbortError"));
    })
  );
  const error = await plex.serverInfo({ signal: controller.signal }).catch((
    e,
  ) => e);
  assert.equal((error as DOMException).name, "AbortError");
  assert.equal(seen.length, 1);
});

Deno.test("PlexClient: retries share one time budget, and the error says how the last try ended", async () => {
  let n = 0;
  const { plex, seen } = client(
    (req) =>
      new Promise<Response>((resolve, reject) => {
        n++;
        if (n < 3) {
          // Two refused tries, each after 150 ms...
          setTimeout(
            () =>
              reject(
                new TypeError("fetch failed", {
                  cause: new Error("Connection refused (os error 111)"),
                }),
              ),
            150,
          );
          return;
        }
        // ...then a stall that the budget cuts off at 600 ms.
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
        void resolve;
      }),
    { timeoutMs: 600, sleep: () => Promise.resolve() },
  );
  const started = performance.now();
  const error = await plex.sections().catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof PlexConnectionError, String(error));
  assert.equal(error.failure, "timeout");
  assert.match(error.message, /did not answer within 0\.6 s/);
  // The last try ran from about 300 ms to 600 ms: cut off after 0.3 s
  // (measured from the try before it, it would say 0.4 or 0.5 s).
  assert.match(
    error.message,
    /3 tries; the last was cut off after 0\.3 s, the one before ended: .*connection refused/,
  );
  assert.ok(took < 900, `took ${took} ms, more than one budget`);
  assert.equal(seen.length, 3);
});

Deno.test("PlexClient: after the last retry the error counts the tries", async () => {
  const { plex } = client(() => new Response("", { status: 502 }));
  const error = await plex.sections().catch((e) => e);
  assert.match(
    error.message,
    /Plex answered 502 .*\(3 tries; the last ended after \d\.\d s\)/,
  );
});

Deno.test("PlexClient reports 429 and 503 as busy, waiting once for a short Retry-After", async () => {
  let n = 0;
  const waits: number[] = [];
  const { plex, seen } = client(() => {
    n++;
    return n === 1
      ? new Response("", { status: 429, headers: { "retry-after": "1" } })
      : json({ MediaContainer: { Directory: [] } });
  }, { sleep: (ms) => (waits.push(ms), Promise.resolve()) });
  assert.deepEqual(await plex.sections(), []);
  assert.deepEqual(waits, [1000]);
  assert.equal(seen.length, 2);

  const long = client(() =>
    new Response("", { status: 503, headers: { "retry-after": "120" } })
  );
  const error = await long.plex.sections().catch((e) => e);
  assert.ok(error instanceof PlexBusyError);
  assert.equal(error.retryAfterSeconds, 120);
  assert.match(
    error.message,
    /^Plex is busy \(503\) for GET \/library\/sections: retry after 120 s/,
  );
  assert.equal(
    long.seen.length,
    1,
    "a long Retry-After is reported, not waited for",
  );

  const write = client(() =>
    new Response("", { status: 429, headers: { "retry-after": "1" } })
  );
  const w = await write.plex.send("/:/rate", { method: "PUT" }).catch((e) => e);
  assert.match(
    w.message,
    /Plex is busy \(429\) for PUT \/:\/rate: retry after 1 s/,
  );
  assert.equal(write.seen.length, 1);
});

Deno.test("PlexClient keeps at most maxConcurrent requests in flight; queued ones keep their timeout and cancellation", async () => {
  let inFlight = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const { plex } = client((req) =>
    new Promise<Response>((resolve, reject) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const done = () => {
        inFlight--;
        resolve(json({ MediaContainer: { Directory: [] } }));
      };
      gates.push(done);
      req.signal.addEventListener("abort", () => {
        inFlight--;
        reject(req.signal.reason);
      });
    }), { maxConcurrent: 3, timeoutMs: 2_000 });
  const calls = Array.from({ length: 10 }, () => plex.sections());
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(most, 3);
  assert.deepEqual(plex.load, { inFlight: 3, queued: 7, limit: 3 });
  // A queued call that is cancelled leaves the queue at once.
  const controller = new AbortController();
  const cancelled = plex.sections({ signal: controller.signal });
  controller.abort(new DOMException("cancelled", "AbortError"));
  await assert.rejects(cancelled, /cancelled/);
  while (gates.length) {
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(calls);
  assert.equal(most, 3);

  // A queued call whose budget runs out while it waits times out on time.
  const slow = client(
    (req) =>
      new Promise<Response>((_resolve, reject) =>
        req.signal.addEventListener("abort", () => reject(req.signal.reason))
      ),
    { maxConcurrent: 1, timeoutMs: 100, retries: 0 },
  );
  const started = performance.now();
  const [a, b] = await Promise.all([
    slow.plex.sections().catch((e) => e),
    slow.plex.sections().catch((e) => e),
  ]);
  const took = performance.now() - started;
  assert.match(a.message, /did not answer within 0\.1 s/);
  assert.match(b.message, /did not answer within 0\.1 s/);
  assert.ok(took < 400, `the queued call waited ${took} ms`);
});

Deno.test("PlexClient.shareBudget(): one call's requests share one budget, and a spent budget sends nothing", async () => {
  // Every answer takes 200 ms; the call may take 500 ms in all.
  const { plex, seen } = client(
    (req) =>
      new Promise<Response>((resolve, reject) => {
        const timer = setTimeout(
          () => resolve(json({ MediaContainer: { Directory: [] } })),
          200,
        );
        req.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(req.signal.reason);
        });
      }),
    { timeoutMs: 500 },
  );
  const call = new AbortController();
  plex.shareBudget(call.signal);
  const started = performance.now();
  await plex.sections({ signal: call.signal });
  await plex.sections({ signal: call.signal });
  // Alone it would have its own 500 ms; inside the call, 100 ms are left.
  const error = await plex.sections({ signal: call.signal }).catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof PlexConnectionError, String(error));
  assert.equal(error.failure, "timeout");
  assert.match(
    error.message,
    /did not answer within 0\.5 s \(GET \/library\/sections; this call's 3 requests share one budget of 0\.5 s, and this one started 0\.4 s into it and was cut off after 0\.1 s\)/,
  );
  assert.ok(took < 650, `the call took ${took.toFixed(0)} ms`);
  const before = seen.length;
  const spent = await plex.sections({ signal: call.signal }).catch((e) => e);
  assert.match(
    spent.message,
    /did not answer within 0\.5 s: this call's 3 earlier requests used up its time budget, so GET \/library\/sections was not sent/,
  );
  assert.equal(seen.length, before, "nothing was sent");
  // Requests without the call's signal keep their own budget.
  assert.deepEqual(await plex.sections(), []);
});

Deno.test("requests of one call sent together share its deadline: each is cut off when the call's budget ends, and nothing is left running", async () => {
  let signals = 0;
  const { plex } = client(
    (req) =>
      new Promise<Response>((_resolve, reject) => {
        signals++;
        if (req.signal.aborted) reject(req.signal.reason);
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
      }),
    { timeoutMs: 80, retries: 0 },
  );
  const call = new AbortController();
  plex.shareBudget(call.signal);
  const started = performance.now();
  const errors = await Promise.all(
    [1, 2, 3].map((i) =>
      plex.requestText(`/library/sections/${i}/all`, { signal: call.signal })
        .catch((e) => e)
    ),
  );
  const took = performance.now() - started;
  assert.equal(signals, 3);
  for (const error of errors) {
    assert.ok(error instanceof PlexConnectionError, String(error));
    assert.equal(error.failure, "timeout");
    assert.match(error.message, /did not answer within 0\.08 s/);
  }
  assert.ok(took >= 75 && took < 1_000, `took ${took.toFixed(0)} ms`);

  // The caller's abort still reaches a request in flight as itself.
  const second = new AbortController();
  plex.shareBudget(second.signal);
  const pending = plex.requestText("/x", { signal: second.signal }).catch((
    e,
  ) => e);
  second.abort(new DOMException("stop", "AbortError"));
  assert.equal(((await pending) as DOMException).name, "AbortError");
});

Deno.test("a held call budget keeps one deadline for its requests one after another, cuts each at the call's deadline, and is released when the call ends, or after the last request still in flight", async () => {
  const { plex } = client(
    (req) => {
      if (new URL(req.url).pathname === "/quick") {
        return Promise.resolve(json({ MediaContainer: {} }));
      }
      return new Promise<Response>((_resolve, reject) => {
        if (req.signal.aborted) reject(req.signal.reason);
        req.signal.addEventListener("abort", () => reject(req.signal.reason));
      });
    },
    { timeoutMs: 80, retries: 0 },
  );
  const call = new AbortController();
  plex.holdBudget(call.signal);
  const started = performance.now();
  await plex.requestText("/quick", { signal: call.signal });
  await plex.requestText("/quick", { signal: call.signal });
  const error = await plex.requestText("/stall", { signal: call.signal })
    .catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof PlexConnectionError, String(error));
  assert.equal(error.failure, "timeout");
  assert.ok(took >= 75 && took < 1_000, `took ${took.toFixed(0)} ms`);
  // Still cut off at the call's deadline, though the request came last.
  assert.match(error.message, /did not answer within 0\.08 s/);
  plex.endBudget(call.signal);

  // A request the call did not wait for keeps its deadline after the end.
  const second = new AbortController();
  plex.holdBudget(second.signal);
  const left = plex.requestText("/stall", { signal: second.signal }).catch((
    e,
  ) => e);
  plex.endBudget(second.signal);
  const late = await left;
  assert.ok(late instanceof PlexConnectionError, String(late));
  assert.equal(late.failure, "timeout");

  // The caller's abort still reaches a held call's request as itself.
  const third = new AbortController();
  plex.holdBudget(third.signal);
  const pending = plex.requestText("/stall", { signal: third.signal }).catch((
    e,
  ) => e);
  third.abort(new DOMException("stop", "AbortError"));
  assert.equal(((await pending) as DOMException).name, "AbortError");
  plex.endBudget(third.signal);
});
