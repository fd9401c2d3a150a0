/** The one timer of many deadlines: order, cancelling, holding the process. */
import assert from "node:assert/strict";
import { Deadlines } from "./deadlines.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("Deadlines fire in the order of their times, once each, and a cancelled one never fires", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.after(30, () => fired.push("c"));
  deadlines.after(10, () => fired.push("a"));
  const cancelled = deadlines.after(20, () => fired.push("cancelled"));
  deadlines.after(20, () => fired.push("b"));
  deadlines.cancel(cancelled);
  deadlines.cancel(cancelled);
  await sleep(80);
  assert.deepEqual(fired, ["a", "b", "c"]);
  assert.deepEqual(deadlines.size, 0);
});

Deno.test("Deadlines: an earlier deadline added later re-arms the timer for it", async () => {
  const deadlines = new Deadlines();
  const fired: number[] = [];
  const started = performance.now();
  const later = deadlines.after(5_000, () => fired.push(5_000));
  deadlines.after(10, () => fired.push(performance.now() - started));
  await sleep(60);
  assert.deepEqual(fired.length, 1);
  assert(fired[0]! >= 9, `fired after ${fired[0]} ms`);
  deadlines.cancel(later);
});

Deno.test("Deadlines: cancelled deadlines do not pile up, and a deadline that throws does not stop the others", async () => {
  const deadlines = new Deadlines();
  for (let i = 0; i < 10_000; i++) {
    deadlines.cancel(deadlines.after(60_000, () => {}));
  }
  assert(deadlines.size <= 2 * 64 + 1, `${deadlines.size} kept`);
  const fired: string[] = [];
  deadlines.after(5, () => {
    throw new Error("boom");
  });
  deadlines.after(6, () => fired.push("after"));
  await sleep(40);
  assert.deepEqual(fired, ["after"]);
});

Deno.test("Deadlines hold the process open only while one is live", async () => {
  // A child whose only pending work is a live deadline stays until it
  // fires; one whose deadlines are all cancelled exits at once.
  const script = (cancel: boolean) => `
    import { Deadlines } from ${
    JSON.stringify(import.meta.resolve("./deadlines.ts"))
  };
    const d = new Deadlines();
    const x = d.after(300, () => console.log("fired"));
    ${cancel ? "d.cancel(x);" : ""}
  `;
  for (const cancel of [false, true]) {
    const started = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", script(cancel)],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const ms = performance.now() - started;
    const text = new TextDecoder().decode(out.stdout).trim();
    if (cancel) {
      assert.deepEqual(text, "");
    } else {
      assert.deepEqual(text, "fired");
      assert(ms >= 300, `exited after ${ms.toFixed(0)} ms`);
    }
  }
});
