/**
 * The transport under the Plex server client: headers and token, the
 * request pool, the read cache, time budgets and abort, retries with
 * backoff, same-origin redirects, body caps and typed errors. It knows
 * nothing of what the answers mean.
 *
 * - The token travels in the `X-Plex-Token` header, never in a URL, and
 *   only to the configured origin: redirects are followed by hand, within
 *   that origin only.
 * - Every request has one time budget covering its queueing, retries and
 *   backoff, joined with the caller's abort signal; requests made with a
 *   signal given to {@link Transport.shareBudget} (one tool call's) all
 *   draw from that one budget.
 * - At most `maxConcurrent` requests are in flight; the rest queue.
 * - Idempotent reads retry refused/reset connections and 502/503/504 a
 *   bounded number of times with exponential backoff and jitter (or after a
 *   short `Retry-After`); timeouts and writes are never retried.
 *
 * @module
 */
import { PlexBusyError, PlexConnectionError, PlexError } from "./errors.ts";
import {
  buildUrl,
  checkRequest,
  connectionError,
  type QueryValue,
  readBody,
  readBodyBytes,
  retryAfterSeconds,
  statusError,
} from "./request.ts";
import { RequestPool } from "./pool.ts";
import {
  type Budget,
  Budgets,
  raceAbort,
  seconds,
  sharedDeadline,
} from "./budget.ts";
import { REDIRECT_STATUS, redirectTarget } from "./redirects.ts";
import type { Deadline } from "./deadlines.ts";
import type { BytesAnswer, FetchLike, HttpMethod } from "./types.ts";
import { redact } from "../redact.ts";
import { type CacheStats, ResponseCache } from "./cache.ts";

/** Options for one request. */
export interface RequestOptions {
  /** Method; default `GET`. */
  method?: HttpMethod;
  /** Query parameters; arrays repeat the key. */
  query?: Record<string, QueryValue | QueryValue[]>;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Caller's abort signal. */
  signal?: AbortSignal;
  /** Retry on transient failures; default true for GET, false otherwise. */
  idempotent?: boolean;
  /** Allow a cached answer (GET only). Default true; polling passes false. */
  cache?: boolean;
  /**
   * Read the body as bytes of at most this many (images), not as text;
   * see `PlexClient.requestBytes`.
   */
  bytes?: number;
}

/** A 2xx answer: its status, text and the header's list total. */
export interface TextAnswer {
  /** The status. */
  status: number;
  /** The body. */
  text: string;
  /** `X-Plex-Container-Total-Size`, when sent. */
  total?: number;
}

/** How a {@link Transport} is set up (defaults applied by its owner). */
export interface TransportSettings {
  /** Server address without trailing slash. */
  baseUrl: string;
  /** The token. */
  token: string;
  /** Secrets to redact, the token first. */
  secrets: string[];
  /** `fetch`. */
  fetch: FetchLike;
  /** One request's budget, ms. */
  timeoutMs: number;
  /** Extra attempts for idempotent reads. */
  retries: number;
  /** Base backoff delay, ms. */
  retryDelayMs: number;
  /** Largest body, bytes. */
  maxBodyBytes: number;
  /** Same-origin redirects followed. */
  maxRedirects: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
  /** Headers every request carries (not the token). */
  headers: Record<string, string>;
  /** A client identifier still being derived; headers change when it is. */
  identifier: Promise<string> | undefined;
  /** Sleep between retries. */
  sleep: (ms: number) => Promise<void>;
  /** Called for every request made. */
  onRequest: ((method: string, path: string) => void) | undefined;
  /** Read cache lifetime, ms (0: off). */
  cacheTtlMs: number;
  /** Clock for the cache. */
  now: (() => number) | undefined;
}

const RETRY_STATUS = new Set([502, 503, 504]);
/** Longest `Retry-After` a read waits for once, in seconds. */
const MAX_RETRY_AFTER_WAIT = 2;

/** Sends requests to one server; see the module documentation. */
export class Transport {
  /** Server origin without trailing slash. */
  readonly baseUrl: string;
  /** The server's origin. */
  readonly origin: string;
  /** The `fetch` used. */
  readonly fetch: FetchLike;
  /** One request's budget, ms. */
  readonly timeoutMs: number;
  /** Same-origin redirects followed. */
  readonly maxRedirects: number;
  /** The call budgets of this client. */
  readonly budgets: Budgets;
  readonly #token: string;
  readonly #secrets: string[];
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #maxBodyBytes: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onRequest: ((method: string, path: string) => void) | undefined;
  readonly #cache: ResponseCache | undefined;
  readonly #pool: RequestPool;
  #headers: Record<string, string>;
  #allHeaders: Record<string, string>;
  #identified: Promise<void> | undefined;

  /** Creates the transport. Nothing is sent until the first request. */
  constructor(settings: TransportSettings) {
    this.baseUrl = settings.baseUrl;
    this.origin = new URL(settings.baseUrl).origin;
    this.fetch = settings.fetch;
    this.timeoutMs = settings.timeoutMs;
    this.maxRedirects = settings.maxRedirects;
    this.budgets = new Budgets(settings.timeoutMs, settings.baseUrl);
    this.#token = settings.token;
    this.#secrets = settings.secrets;
    this.#retries = settings.retries;
    this.#retryDelayMs = settings.retryDelayMs;
    this.#maxBodyBytes = settings.maxBodyBytes;
    this.#sleep = settings.sleep;
    this.#onRequest = settings.onRequest;
    this.#pool = new RequestPool(settings.maxConcurrent);
    this.#cache = settings.cacheTtlMs > 0
      ? new ResponseCache({ ttlMs: settings.cacheTtlMs, now: settings.now })
      : undefined;
    this.#headers = settings.headers;
    this.#allHeaders = this.#withToken(this.#headers);
    if (settings.identifier) {
      this.#identified = settings.identifier.then((id) => {
        this.#headers = { ...this.#headers, "X-Plex-Client-Identifier": id };
        this.#allHeaders = this.#withToken(this.#headers);
        this.#identified = undefined;
      });
    }
  }

  #withToken(headers: Record<string, string>): Record<string, string> {
    return Object.freeze({ ...headers, "X-Plex-Token": this.#token });
  }

  /** The `X-Plex-Client-Identifier` sent. */
  async clientIdentifier(): Promise<string> {
    await this.#identified;
    return this.#headers["X-Plex-Client-Identifier"]!;
  }

  /** Requests in flight and waiting for a slot. */
  get load(): { inFlight: number; queued: number; limit: number } {
    return {
      inFlight: this.#pool.busy,
      queued: this.#pool.waiting,
      limit: this.#pool.size,
    };
  }

  /** Waits for a slot of the pool; call the result to give it back. */
  acquire(signal: AbortSignal): Promise<() => void> {
    return this.#pool.acquire(signal);
  }

  /** Reports a request to the `onRequest` hook. */
  noteRequest(method: string, path: string): void {
    this.#onRequest?.(method, path);
  }

  /** Redacts every secret from `text`. */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  /** Every secret {@link redact} removes (the token first). */
  secrets(): readonly string[] {
    return this.#secrets;
  }

  /** Adds a secret. */
  addSecret(secret: string): void {
    if (secret && !this.#secrets.includes(secret)) this.#secrets.push(secret);
  }

  /** Cache counters, or undefined when caching is off. */
  cacheStats(): CacheStats | undefined {
    return this.#cache && { ...this.#cache.stats };
  }

  /** Drops a cached answer (one that could not be used). */
  forget(path: string, query: RequestOptions["query"]): void {
    this.#cache?.forget(buildUrl(this.baseUrl, path, query));
  }

  /** Sends a request; the 2xx answer's text, or a {@link PlexError}. */
  request(path: string, options: RequestOptions = {}): Promise<TextAnswer> {
    const method = options.method ?? "GET";
    checkRequest(method, path, options.headers);
    const idempotent = options.idempotent ?? method === "GET";
    const url = buildUrl(this.baseUrl, path, options.query);
    const budget = this.budgets.forRequest(`${method} ${path}`, options.signal);
    return this.#cachedRequest(path, url, method, idempotent, options, budget);
  }

  /** Sends a GET and returns the body as bytes, never cached. */
  async requestBytes(
    path: string,
    options: RequestOptions & { maxBytes: number },
  ): Promise<BytesAnswer> {
    const { maxBytes, ...rest } = options;
    const method = "GET";
    checkRequest(method, path, rest.headers);
    const url = buildUrl(this.baseUrl, path, rest.query);
    const budget = this.budgets.forRequest(`${method} ${path}`, rest.signal);
    const answer = await this.#withRetries(path, url, {
      ...rest,
      method,
      cache: false,
      bytes: maxBytes,
    }, budget);
    return answer.binary ?? { bytes: new Uint8Array(), contentType: "" };
  }

  async #cachedRequest(
    path: string,
    url: string,
    method: HttpMethod,
    idempotent: boolean,
    options: RequestOptions,
    budget: Budget,
  ): Promise<TextAnswer> {
    const cache = this.#cache;
    if (!cache) return this.#withRetries(path, url, options, budget);
    if (method !== "GET" || !idempotent) {
      // A write (or a player command): whatever it touched must be re-read.
      try {
        return await this.#withRetries(path, url, options, budget);
      } finally {
        cache.clear();
      }
    }
    if (options.cache === false || options.headers) {
      return this.#withRetries(path, url, options, budget);
    }
    // The shared request is not tied to one caller's signal or call budget;
    // each caller still stops waiting when its own signal aborts or its
    // call's budget runs out.
    const shared = cache.get(
      url,
      () =>
        this.#withRetries(path, url, { ...options, signal: undefined }, {
          ms: this.timeoutMs,
          started: performance.now(),
          call: undefined,
        }),
    );
    const mine = options.signal ? raceAbort(shared, options.signal) : shared;
    if (!budget.call) return mine;
    let deadline: Deadline | undefined;
    const endpoint = `${method} ${path}`;
    const deadlines = this.budgets.deadlines;
    return Promise.race([
      mine,
      new Promise<never>((_, reject) => {
        deadline = deadlines.after(
          budget.ms,
          () =>
            reject(
              this.budgets.timeoutError(
                endpoint,
                0,
                undefined,
                budget.started,
                budget,
                (text) => this.redact(text),
              ),
            ),
        );
      }),
    ]).finally(() => deadlines.cancel(deadline));
  }

  async #withRetries(
    path: string,
    url: string,
    options: RequestOptions,
    budget: Budget,
  ): Promise<
    TextAnswer & { binary?: BytesAnswer }
  > {
    if (this.#identified) await this.#identified;
    const method = options.method ?? "GET";
    const endpoint = `${method} ${path}`;
    const attempts = (options.idempotent ?? method === "GET")
      ? this.#retries + 1
      : 1;
    // One budget for the whole request: queueing, every try and the backoff
    // between tries (within the call's budget, when it is part of a call).
    // Aborted by the budget's timer or by the caller.
    const started = budget.started;
    // Within a call whose deadline comes first, the call's requests in
    // flight share one timer (it fires at the same moment each one's
    // would); otherwise the request has its own.
    const call = budget.call;
    const shared = call && options.signal &&
        call.deadline - started <= this.timeoutMs
      ? (call.shared ??= sharedDeadline(
        call,
        options.signal,
        this.budgets.deadlines,
      ))
      : undefined;
    let controller: AbortController;
    let timeout: { aborted: boolean };
    let deadline: Deadline | undefined;
    let onCallerAbort: (() => void) | undefined;
    if (shared) {
      shared.inFlight++;
      ({ controller, timeout } = shared);
    } else {
      const own = new AbortController();
      const ownTimeout = { aborted: false };
      controller = own;
      timeout = ownTimeout;
      deadline = this.budgets.deadlines.add(started + budget.ms, () => {
        ownTimeout.aborted = true;
        own.abort(new DOMException("timed out", "TimeoutError"));
      });
      onCallerAbort = () => own.abort(options.signal?.reason);
      if (options.signal?.aborted) onCallerAbort();
      options.signal?.addEventListener("abort", onCallerAbort);
    }
    let lastError: PlexError | undefined;
    let lastTry = { ms: 0 };
    // When the try in progress (the one a timeout cuts off) started.
    let tryStarted = started;
    let tries = 0;
    try {
      for (let attempt = 0; attempt < attempts; attempt++) {
        if (attempt > 0) {
          const base = this.#retryDelayMs * 2 ** (attempt - 1);
          let wait = base + Math.random() * base;
          if (lastError instanceof PlexBusyError) {
            const after = lastError.retryAfterSeconds;
            if (after !== undefined) {
              // Wait once for a short Retry-After; a long one is reported.
              if (after > MAX_RETRY_AFTER_WAIT || attempt > 1) break;
              wait = after * 1000;
            }
          }
          const left = budget.ms - (performance.now() - started);
          if (wait >= left) break;
          await raceAbort(this.#sleep(wait), controller.signal);
        }
        tryStarted = performance.now();
        tries++;
        try {
          return await this.#attempt(path, url, endpoint, method, options, {
            signal: controller.signal,
            callerSignal: options.signal,
            timeout,
          });
        } catch (error) {
          if (!(error instanceof PlexError)) throw error;
          lastError = error;
          lastTry = { ms: performance.now() - tryStarted };
          // Refused or reset connections and 502/503/504 are worth another
          // try, within the budget. A timeout is not: our budget is spent,
          // or (an OS connect timeout, failure "timeout" too) nothing
          // answers at the address, and another try would wait as long.
          const transient = (error instanceof PlexConnectionError &&
            (error.failure === "refused" || error.failure === "network")) ||
            (error.status !== undefined && RETRY_STATUS.has(error.status)) ||
            error.status === 429;
          if (!transient || controller.signal.aborted) throw error;
        }
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (timeout.aborted && !(error instanceof PlexError)) {
        throw this.budgets.timeoutError(
          endpoint,
          tries,
          lastError,
          tryStarted,
          budget,
          (text) => this.redact(text),
        );
      }
      throw error;
    } finally {
      if (shared) {
        // A held call's deadline is kept for its next requests until the
        // call ends (Budgets.end).
        if (--shared.inFlight === 0 && !call!.held) {
          shared.release();
          if (call!.shared === shared) call!.shared = undefined;
        }
      } else {
        this.budgets.deadlines.cancel(deadline);
        if (onCallerAbort) {
          options.signal?.removeEventListener("abort", onCallerAbort);
        }
      }
    }
    throw this.#withTries(lastError!, tries, lastTry);
  }

  /** Adds how many tries were made, and how the last one ended, to an error. */
  #withTries(
    error: PlexError,
    tries: number,
    lastTry: { ms: number },
  ): PlexError {
    if (tries < 2) return error;
    const note = ` (${tries} tries; the last ended after ${
      seconds(lastTry.ms)
    })`;
    // A fresh error from this request's last try: safe to extend.
    error.message += note;
    return error;
  }

  async #attempt(
    path: string,
    url: string,
    endpoint: string,
    method: HttpMethod,
    options: RequestOptions,
    ctx: {
      signal: AbortSignal;
      callerSignal: AbortSignal | undefined;
      timeout: { aborted: boolean };
    },
  ): Promise<
    TextAnswer & { binary?: BytesAnswer }
  > {
    let release: () => void;
    try {
      release = await this.#pool.acquire(ctx.signal);
    } catch (error) {
      throw this.#transportError(
        error,
        endpoint,
        ctx.callerSignal,
        ctx.timeout,
      );
    }
    try {
      this.#onRequest?.(method, path);
      const headers = options.headers
        ? { ...this.#headers, ...options.headers, "X-Plex-Token": this.#token }
        : this.#allHeaders;
      let target = url;
      let response: Response;
      for (let hop = 0;; hop++) {
        try {
          response = await this.fetch(target, {
            method,
            headers,
            signal: ctx.signal,
            redirect: "manual",
          });
        } catch (error) {
          throw this.#transportError(
            error,
            endpoint,
            ctx.callerSignal,
            ctx.timeout,
          );
        }
        if (!REDIRECT_STATUS.has(response.status)) break;
        await response.body?.cancel().catch(() => {});
        target = redirectTarget(response, target, endpoint, method, hop, {
          origin: this.origin,
          maxRedirects: this.maxRedirects,
          redact: (text) => this.redact(text),
        });
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw statusError(
          response.status,
          endpoint,
          retryAfterSeconds(response.headers.get("retry-after")),
        );
      }
      try {
        if (options.bytes !== undefined) {
          return {
            status: response.status,
            text: "",
            binary: {
              bytes: await readBodyBytes(response, endpoint, options.bytes),
              contentType: (response.headers.get("content-type") ?? "")
                .split(";")[0]!.trim().toLowerCase(),
            },
          };
        }
        const text = await readBody(response, endpoint, this.#maxBodyBytes);
        // A list's total also travels as a header (Plex's OpenAPI
        // description lists X-Plex-Container-Total-Size on the paged
        // endpoints), for answers whose body leaves `totalSize` out.
        const total = Number(
          response.headers.get("X-Plex-Container-Total-Size") ?? NaN,
        );
        return Number.isSafeInteger(total) && total >= 0
          ? { status: response.status, text, total }
          : { status: response.status, text };
      } catch (error) {
        if (error instanceof PlexError) throw error;
        throw this.#transportError(
          error,
          endpoint,
          ctx.callerSignal,
          ctx.timeout,
        );
      }
    } finally {
      release();
    }
  }

  #transportError(
    error: unknown,
    endpoint: string,
    callerSignal: AbortSignal | undefined,
    timeout: { aborted: boolean },
  ): unknown {
    if (callerSignal?.aborted) return callerSignal.reason ?? error;
    if (timeout.aborted) return error;
    const wrapped = connectionError(
      error,
      this.baseUrl,
      endpoint,
      this.timeoutMs,
    );
    return new PlexConnectionError(
      this.redact(wrapped.message),
      endpoint,
      wrapped.failure,
      error,
    );
  }
}
