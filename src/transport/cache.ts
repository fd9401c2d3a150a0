/**
 * A short-lived cache of successful GET answers, with in-flight sharing of
 * identical requests. Any write clears it: writes are rare, and clearing
 * everything is always at least as fresh as guessing what a write touched.
 *
 * @module
 */

/** A cached answer. */
export interface CachedAnswer {
  /** HTTP status (2xx). */
  status: number;
  /** Body text. */
  text: string;
  /** The list's total from `X-Plex-Container-Total-Size`, when sent. */
  total?: number;
}

/** Options for {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** How long an answer stays fresh, in milliseconds. */
  ttlMs: number;
  /** Most entries kept (oldest dropped first). Default 500. */
  maxEntries?: number;
  /** Largest body kept, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock (tests inject one). */
  now?: () => number;
}

/** Cache statistics. */
export interface CacheStats {
  /** Answers served from the cache. */
  hits: number;
  /** Requests that joined an identical request already in flight. */
  shared: number;
  /** Requests that went to Plex. */
  misses: number;
  /** Times a write cleared the cache. */
  invalidations: number;
}

/** TTL cache of GET answers keyed by URL. */
export class ResponseCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxBodyBytes: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; answer: CachedAnswer }>();
  readonly #inflight = new Map<string, Promise<CachedAnswer>>();
  #generation = 0;
  /** Counters since creation. */
  readonly stats: CacheStats = {
    hits: 0,
    shared: 0,
    misses: 0,
    invalidations: 0,
  };

  /** Creates the cache. */
  constructor(options: ResponseCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 500;
    this.#maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Returns a fresh cached answer, joins an identical request in flight, or
   * runs `load` and caches its answer (unless a write cleared the cache
   * meanwhile).
   */
  get(
    key: string,
    load: () => Promise<CachedAnswer>,
  ): Promise<CachedAnswer> {
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.at < this.#ttlMs) {
      this.stats.hits++;
      return Promise.resolve(entry.answer);
    }
    if (entry) this.#entries.delete(key);
    const pending = this.#inflight.get(key);
    if (pending) {
      this.stats.shared++;
      return pending;
    }
    this.stats.misses++;
    const generation = this.#generation;
    const promise = load().then((answer) => {
      if (
        generation === this.#generation &&
        answer.text.length <= this.#maxBodyBytes
      ) {
        this.#entries.set(key, { at: this.#now(), answer });
        while (this.#entries.size > this.#maxEntries) {
          this.#entries.delete(this.#entries.keys().next().value!);
        }
      }
      return answer;
    }).finally(() => {
      if (this.#inflight.get(key) === promise) this.#inflight.delete(key);
    });
    this.#inflight.set(key, promise);
    return promise;
  }

  /** Drops one answer (one that turned out not to be usable). */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops everything (called on every write). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#inflight.clear();
    this.stats.invalidations++;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }
}
