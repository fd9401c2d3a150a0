/**
 * One timer for many deadlines. Every tool call's time budget has a
 * deadline, and a timer each made every call pay for creating and
 * clearing one (in Deno 2.9 a `setTimeout` is a Node-style `Timeout`
 * object with async ids: some 7-13 µs a call, measured A/B against a
 * timer per call). Here deadlines wait in a heap under a single timer armed for
 * the earliest; most calls end long before theirs, so the timer mostly
 * fires for deadlines already cancelled, every timeout or so, and finds
 * nothing to do.
 *
 * Like a timer of its own, a deadline keeps the process alive while it
 * can fire: the timer is held (`Deno.refTimer`) while any deadline is
 * live and let go (`Deno.unrefTimer`, far cheaper than a new timer) when
 * none is, so that an idle server may exit.
 *
 * @module
 */

/** A deadline waiting in a {@link Deadlines}; cancel it when it is moot. */
export interface Deadline {
  /** When it fires (`performance.now()` time). */
  readonly at: number;
  /** Whether it can still fire. */
  live: boolean;
  /** What it does when it fires. */
  readonly fire: () => void;
}

/** Dead deadlines kept in the heap before it is compacted. */
const COMPACT_AFTER = 64;

/** Deadlines under one timer (see the module's description). */
export class Deadlines {
  readonly #heap: Deadline[] = [];
  /** Deadlines in the heap that can still fire (the rest are cancelled). */
  #live = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #held = false;
  #armedAt = Infinity;

  /** Deadlines waiting, cancelled ones included (for tests). */
  get size(): number {
    return this.#heap.length;
  }

  /** Calls `fire` at `at` (`performance.now()` time) unless cancelled. */
  add(at: number, fire: () => void): Deadline {
    const deadline: Deadline = { at, live: true, fire };
    this.#push(deadline);
    this.#live++;
    if (at < this.#armedAt) this.#arm(at);
    else this.#hold(true);
    return deadline;
  }

  /** `fire` after `ms` milliseconds unless cancelled. */
  after(ms: number, fire: () => void): Deadline {
    return this.add(performance.now() + Math.max(0, ms), fire);
  }

  /** Cancels `deadline` (fired or cancelled already: nothing happens). */
  cancel(deadline: Deadline | undefined): void {
    if (!deadline?.live) return;
    deadline.live = false;
    if (--this.#live === 0) this.#hold(false);
    const dead = this.#heap.length - this.#live;
    if (dead > COMPACT_AFTER && dead * 2 > this.#heap.length) this.#compact();
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(
      () => this.#run(),
      Math.max(0, at - performance.now()),
    );
    this.#held = true;
    this.#hold(this.#live > 0);
  }

  /** Holds the process open while a deadline is live, and only then. */
  #hold(held: boolean): void {
    if (this.#timer === undefined || held === this.#held) return;
    this.#held = held;
    // Typed as a number; Deno 2.9 hands out a Node-style `Timeout`, which
    // both functions accept as well.
    const id = this.#timer as unknown as number;
    if (held) Deno.refTimer(id);
    else Deno.unrefTimer(id);
  }

  #run(): void {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const now = performance.now();
    const heap = this.#heap;
    while (heap.length > 0 && (!heap[0]!.live || heap[0]!.at <= now)) {
      const head = this.#pop();
      if (!head.live) continue;
      head.live = false;
      this.#live--;
      try {
        head.fire();
      } catch {
        // A deadline's action must not stop the others'.
      }
    }
    if (heap.length > 0) this.#arm(heap[0]!.at);
  }

  #compact(): void {
    const live = this.#heap.filter((d) => d.live);
    this.#heap.length = 0;
    for (const d of live) this.#push(d);
  }

  #push(deadline: Deadline): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(deadline);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= deadline.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = deadline;
  }

  #pop(): Deadline {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      while (true) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && heap[right]!.at < heap[left]!.at
          ? right
          : left;
        if (heap[child]!.at >= last.at) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
