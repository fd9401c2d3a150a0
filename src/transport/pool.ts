/**
 * A first-come, first-served limit on requests to Plex in flight at once.
 * A caller waiting for a slot still stops waiting when its signal aborts
 * (cancellation, or the call's time budget running out).
 *
 * @module
 */

/** Limits concurrent work to a fixed number of slots. */
export class RequestPool {
  /** Most slots in use at once. */
  readonly size: number;
  #busy = 0;
  readonly #waiting: {
    grant: () => void;
    signal: AbortSignal | undefined;
    onAbort: () => void;
  }[] = [];

  /** Creates a pool of `size` slots (at least 1). */
  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Slots in use now. */
  get busy(): number {
    return this.#busy;
  }

  /** Callers waiting for a slot now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Waits for a slot; resolves with its release function (call it exactly
   * once). Rejects with the signal's reason if the signal aborts first.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#busy < this.size) {
      this.#busy++;
      return Promise.resolve(this.#release());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener("abort", entry.onAbort);
          resolve(this.#release());
        },
        signal,
        onAbort: () => {
          const at = this.#waiting.indexOf(entry);
          if (at >= 0) this.#waiting.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", entry.onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  #release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The slot passes straight to the next caller, so busy stays the same.
      if (next) next.grant();
      else this.#busy--;
    };
  }
}
