/**
 * A thin Plex Media Server client over web-standard `fetch`.
 *
 * - The token travels in the `X-Plex-Token` header, never in a URL, and
 *   only to the configured origin: redirects are followed by hand, within
 *   that origin only.
 * - Every request has one time budget (`timeoutMs`) covering its queueing,
 *   retries and backoff, joined with the caller's abort signal; requests
 *   made with a signal given to {@link PlexClient.shareBudget} (one tool
 *   call's) all draw from that one budget.
 * - At most `maxConcurrent` requests are in flight; the rest queue.
 * - Idempotent reads retry refused/reset connections and 502/503/504 a
 *   bounded number of times with exponential backoff and jitter (or after a
 *   short `Retry-After`); timeouts and writes are never retried.
 * - Error bodies (HTML) are never parsed; failures become typed errors.
 *   JSON answers are checked for size and shape before they are parsed.
 * - Paging uses `X-Plex-Container-Start` / `X-Plex-Container-Size`, and a
 *   walk over pages has a hard stop.
 *
 * @module
 */
import {
  NotPlexServerError,
  PlexBusyError,
  PlexConnectionError,
  PlexError,
  PlexIdentityError,
  PlexRedirectError,
  PlexResponseError,
} from "./errors.ts";
import type {
  BytesAnswer,
  Page,
  PlexItem,
  PlexTvAccountApi,
  Section,
  ServerInfo,
} from "./models.ts";
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
import { DEFAULT_JSON_LIMITS, jsonOverLimit } from "./json_guard.ts";
import { RequestPool } from "./pool.ts";
// The response schemas load with the first request, not at start-up (and
// the import is resolved once: a dynamic import costs every time it runs).
let schemasModule: Promise<typeof import("./schemas.ts")> | undefined;
const schemas = () => schemasModule ??= import("./schemas.ts");
import { redact } from "../redact.ts";
import { type CacheStats, ResponseCache } from "./cache.ts";

/** A `fetch`-compatible function (inject one for tests or demo mode). */
export type FetchLike = (
  input: Request | URL | string,
  init?: RequestInit,
) => Promise<Response>;

/** Options for {@link PlexClient}. */
export interface PlexClientOptions {
  /** Server address, e.g. `http://192.168.1.10:32400`. */
  baseUrl: string;
  /** The Plex token (kept private, redacted from every error). */
  token: string;
  /** `fetch` to use; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /**
   * Time budget of one request in milliseconds, covering its wait for a
   * free slot, every retry and the backoff between them; also the default
   * budget of {@link PlexClient.shareBudget}. Default 30 000.
   */
  timeoutMs?: number;
  /** Extra attempts for idempotent reads. Default 2. */
  retries?: number;
  /** Base backoff delay in milliseconds. Default 250. */
  retryDelayMs?: number;
  /** Largest accepted response body in bytes. Default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * `X-Plex-Client-Identifier`. Default: derived from the token and the
   * server address by a one-way hash, so it is stable for one installation,
   * differs between installations, and never reveals the token.
   */
  clientIdentifier?: string;
  /** Most requests in flight at once; the rest wait their turn. Default 16. */
  maxConcurrent?: number;
  /** Same-origin redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Pages a walk over a list may fetch before it stops. Default 1,000. */
  maxPages?: number;
  /** `X-Plex-Product`. Default `plexmcp`. */
  product?: string;
  /** `X-Plex-Version`. */
  version?: string;
  /** Sleep used between retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Called for every request made (method and path, no token). */
  onRequest?: (method: string, path: string) => void;
  /**
   * Serve identical GETs from memory for this long (milliseconds); identical
   * GETs in flight share one request. Any write clears the cache. Default 0
   * (off); the server sets it from `PLEX_CACHE_TTL`.
   */
  cacheTtlMs?: number;
  /** Clock for the cache (tests inject one). */
  now?: () => number;
  /**
   * plex.tv's address, for the account's Plex Home users (default
   * `https://plex.tv`; `PLEX_TV_URL`).
   */
  plexTvUrl?: string;
  /**
   * plex.tv Discover's address, for the watchlist (default
   * `https://discover.provider.plex.tv`; `PLEX_DISCOVER_URL`).
   */
  discoverUrl?: string;
  /**
   * The plex.tv token of the account this client acts for, when it is not
   * `token` itself (a Plex Home user's: the server takes their server
   * token, plex.tv their account token; `PLEX_ACCOUNT_TOKEN` for a server
   * shared with the account). Default: `token`. `null`: there is none (a
   * shared server's own token is refused by plex.tv), and {@link
   * PlexClient.account} rejects with how to get one.
   */
  accountToken?: string | null;
  /**
   * The machine identifier this server was configured with (`plexmcp
   * login` records it). The client then never takes another: a server that
   * answers `/identity` or `/` as another machine gets a
   * {@link PlexIdentityError}. Without it, the first identifier the server
   * gives is kept and held to the same way.
   */
  machineIdentifier?: string;
}

/**
 * Why the plex.tv tools cannot run for a server shared with the account
 * when no account token is configured, and how to fix it.
 */
const NO_ACCOUNT_TOKEN =
  "This server is shared with you, and plex.tv (watchlist, Plex Home, sharing) refuses a shared server's own token: it needs your plex.tv account's token. Run `plexmcp login` again, which keeps it in the settings file as PLEX_ACCOUNT_TOKEN, or set PLEX_ACCOUNT_TOKEN yourself";

/** The default plex.tv Discover address (`PLEX_DISCOVER_URL` overrides it). */
export const DEFAULT_DISCOVER_URL = "https://discover.provider.plex.tv";

/**
 * A schema that validates a parsed JSON body (zod schemas fit). Kept
 * structural so the public API does not expose zod's types.
 */
export interface ResponseSchema<T> {
  /** Validates `data`. */
  safeParse(data: unknown):
    | { success: true; data: T }
    | {
      success: false;
      error: {
        issues: readonly { path: readonly PropertyKey[]; message: string }[];
      };
    };
}

/** HTTP methods the client uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

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
   * see {@link PlexClient.requestBytes}.
   */
  bytes?: number;
}

/** Paging options. */
export interface PageOptions extends RequestOptions {
  /** 0-based start. */
  offset?: number;
  /** Page size. */
  limit?: number;
  /**
   * Read each item in brief: only the fields an item summary uses (a page
   * that is only summarized need not read media, streams, roles, tags).
   */
  brief?: boolean;
}

const RETRY_STATUS = new Set([502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Longest `Retry-After` a read waits for once, in seconds. */
const MAX_RETRY_AFTER_WAIT = 2;
/** How long "this is Plex" is remembered, in milliseconds. */
const IDENTITY_VERDICT_MS = 30_000;
/** Longest wait for the `/identity` probe, in milliseconds. */
const IDENTITY_PROBE_MS = 5_000;
/**
 * A request that starts this long after its call's budget began, behind
 * earlier requests of the call, says in its timeout error that the budget
 * was shared.
 */
const SHARED_NOTE_MS = 50;

/** One tool call's time budget, shared by all its requests. */
interface CallBudget {
  /** When the budget runs out (`performance.now()` time). */
  deadline: number;
  /** Its length in milliseconds. */
  ms: number;
  /** Requests made under it so far. */
  requests: number;
  /**
   * The deadline timer and abort signal that the call's requests in
   * flight share (when the call's deadline comes before their own would),
   * released when the last of them ends: requests sent together (a count
   * per library) need one timer, not one each.
   */
  shared?: SharedDeadline;
}

/** One timer and abort signal for the requests of a call in flight. */
interface SharedDeadline {
  controller: AbortController;
  timeout: { aborted: boolean };
  inFlight: number;
  release: () => void;
}

/**
 * The shared deadline of `call`: aborts at the call's deadline (marking
 * the timeout) or when `signal`, the call's, aborts.
 */
function sharedDeadline(call: CallBudget, signal: AbortSignal): SharedDeadline {
  const controller = new AbortController();
  const timeout = { aborted: false };
  const timer = setTimeout(() => {
    timeout.aborted = true;
    controller.abort(new DOMException("timed out", "TimeoutError"));
  }, Math.max(0, call.deadline - performance.now()));
  const onCallerAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onCallerAbort();
  else signal.addEventListener("abort", onCallerAbort, { once: true });
  return {
    controller,
    timeout,
    inFlight: 0,
    release: () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** The time one request may take, and the call it belongs to, if any. */
interface Budget {
  /** Milliseconds from `started`. */
  ms: number;
  /** When the request started. */
  started: number;
  /** The call's budget, when the request belongs to one. */
  call: CallBudget | undefined;
}

/** Statuses after which the client asks whether the address is Plex at all. */
const EXPLAINED_STATUS = new Set([401, 403, 404, 405]);

/**
 * The default client identifier: `plexmcp-` and 24 hex digits of a SHA-256
 * over the server address and the token. One-way, so the token cannot be
 * recovered from it.
 */
export async function deriveClientIdentifier(
  baseUrl: string,
  token: string,
): Promise<string> {
  const bytes = new TextEncoder().encode(`plexmcp\n${baseUrl}\n${token}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = [...digest.slice(0, 12)].map((b) =>
    b.toString(16).padStart(2, "0")
  ).join("");
  return `plexmcp-${hex}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Resolves like `promise`, or rejects as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thin, typed client for one Plex Media Server. */
export class PlexClient {
  /** Server origin without trailing slash. */
  readonly baseUrl: string;
  readonly #token: string;
  readonly #origin: string;
  readonly #secrets: string[];
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #maxBodyBytes: number;
  readonly #maxRedirects: number;
  readonly #maxPages: number;
  #headers: Record<string, string>;
  #allHeaders: Record<string, string>;
  #identified: Promise<void> | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onRequest: ((method: string, path: string) => void) | undefined;
  #machineIdentifier: string | undefined;
  /** Whether the server has confirmed `#machineIdentifier` in this process. */
  #identityConfirmed = false;
  #commandId = 0;
  readonly #cache: ResponseCache | undefined;
  readonly #pool: RequestPool;
  #identity: { at: number } | undefined;
  readonly #budgets = new WeakMap<AbortSignal, CallBudget>();
  readonly #options: PlexClientOptions;
  #account: Promise<PlexTvAccountApi> | undefined;

  /** Creates a client. Nothing is fetched until the first call. */
  constructor(options: PlexClientOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#origin = new URL(this.baseUrl).origin;
    this.#token = options.token;
    this.#secrets =
      options.accountToken && options.accountToken !== options.token
        ? [options.token, options.accountToken]
        : [options.token];
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
    this.#maxRedirects = options.maxRedirects ?? 5;
    this.#maxPages = options.maxPages ?? 1_000;
    this.#pool = new RequestPool(options.maxConcurrent ?? 16);
    this.#sleep = options.sleep ?? defaultSleep;
    this.#onRequest = options.onRequest;
    this.#machineIdentifier = options.machineIdentifier;
    this.#cache = options.cacheTtlMs && options.cacheTtlMs > 0
      ? new ResponseCache({ ttlMs: options.cacheTtlMs, now: options.now })
      : undefined;
    this.#headers = {
      "Accept": "application/json",
      "X-Plex-Client-Identifier": options.clientIdentifier ?? "plexmcp",
      "X-Plex-Product": options.product ?? "plexmcp",
      "X-Plex-Version": options.version ?? "0",
      "X-Plex-Provides": "controller",
    };
    this.#allHeaders = this.#withToken(this.#headers);
    if (options.clientIdentifier === undefined) {
      this.#identified = deriveClientIdentifier(this.baseUrl, this.#token)
        .then((id) => {
          this.#headers = { ...this.#headers, "X-Plex-Client-Identifier": id };
          this.#allHeaders = this.#withToken(this.#headers);
          this.#identified = undefined;
        });
    }
  }

  #withToken(headers: Record<string, string>): Record<string, string> {
    return Object.freeze({ ...headers, "X-Plex-Token": this.#token });
  }

  /** The `X-Plex-Client-Identifier` this client sends. */
  async clientIdentifier(): Promise<string> {
    await this.#identified;
    return this.#headers["X-Plex-Client-Identifier"]!;
  }

  /** Requests in flight and waiting for a slot (see `maxConcurrent`). */
  get load(): { inFlight: number; queued: number; limit: number } {
    return {
      inFlight: this.#pool.busy,
      queued: this.#pool.waiting,
      limit: this.#pool.size,
    };
  }

  /** Time budget of one request (and of one call) in milliseconds. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /**
   * Makes every request made with `signal` from now on draw from one time
   * budget of `ms` (default `timeoutMs`): the budget of one tool call, so
   * a call that makes several requests takes at most `ms` in all, waits for
   * a free slot, retries and backoff included. Each request still takes at
   * most `timeoutMs`. A request made once the budget is spent is not sent.
   */
  shareBudget(signal: AbortSignal, ms: number = this.#timeoutMs): void {
    this.#budgets.set(signal, {
      deadline: performance.now() + ms,
      ms,
      requests: 0,
    });
  }

  /**
   * Milliseconds left of the call budget `signal` draws from (see
   * {@link shareBudget}), or undefined when it draws from none: what a
   * tool that waits for Plex may still spend.
   */
  budgetLeft(signal: AbortSignal): number | undefined {
    const call = this.#budgets.get(signal);
    return call && Math.max(0, call.deadline - performance.now());
  }

  /** What one request may take: its own budget, within its call's. */
  #budget(endpoint: string, signal: AbortSignal | undefined): Budget {
    const started = performance.now();
    const call = signal && this.#budgets.get(signal);
    if (!call) return { ms: this.#timeoutMs, started, call: undefined };
    call.requests++;
    const left = call.deadline - started;
    if (left <= 0) {
      throw new PlexConnectionError(
        `Plex at ${this.baseUrl} did not answer within ${
          call.ms / 1000
        } s: this call's ${
          call.requests - 1
        } earlier requests used up its time budget, so ${endpoint} was not sent. Check that the server is up, or raise PLEX_TIMEOUT`,
        endpoint,
        "timeout",
      );
    }
    return { ms: Math.min(this.#timeoutMs, left), started, call };
  }

  /** The next `commandID` for player commands (increases per client). */
  nextCommandId(): number {
    return ++this.#commandId;
  }

  /** Redacts the token (and every secret added) from any text. */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  /** Every secret {@link redact} removes (the token first). */
  secrets(): readonly string[] {
    return this.#secrets;
  }

  /**
   * Adds a further secret that {@link redact} removes, e.g. a transient
   * playback token from `/security/token`.
   */
  addSecret(secret: string): void {
    if (secret && !this.#secrets.includes(secret)) this.#secrets.push(secret);
  }

  /**
   * Sends a request and returns the body text of a 2xx answer. Non-2xx
   * answers and transport failures throw a {@link PlexError}.
   */
  async requestText(
    path: string,
    options: RequestOptions = {},
  ): Promise<string> {
    return (await this.request(path, options)).text;
  }

  /**
   * Like {@link requestText}, also returning the (2xx) status and, for a
   * list, its total as the `X-Plex-Container-Total-Size` header gives it.
   */
  async request(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; text: string; total?: number }> {
    const method = options.method ?? "GET";
    checkRequest(method, path, options.headers);
    const idempotent = options.idempotent ?? method === "GET";
    const url = buildUrl(this.baseUrl, path, options.query);
    const budget = this.#budget(`${method} ${path}`, options.signal);
    try {
      return await this.#cachedRequest(
        path,
        url,
        method,
        idempotent,
        options,
        budget,
      );
    } catch (error) {
      // A 404 on a path every Plex has, a 401/403 from a login page, a 405
      // from a web server that takes no writes: the URL may not be Plex at
      // all, so say so rather than "check the id" or "check the token".
      throw await this.#explainStatus(error, options.signal);
    }
  }

  /** A status that may mean "not Plex at all", explained; else as is. */
  async #explainStatus(
    error: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (
      error instanceof PlexError && error.status !== undefined &&
      EXPLAINED_STATUS.has(error.status) &&
      !(error instanceof PlexRedirectError)
    ) {
      return await this.#explain(error, signal);
    }
    return error;
  }

  async #cachedRequest(
    path: string,
    url: string,
    method: HttpMethod,
    idempotent: boolean,
    options: RequestOptions,
    budget: Budget,
  ): Promise<{ status: number; text: string; total?: number }> {
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
          ms: this.#timeoutMs,
          started: performance.now(),
          call: undefined,
        }),
    );
    const mine = options.signal ? raceAbort(shared, options.signal) : shared;
    if (!budget.call) return mine;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const endpoint = `${method} ${path}`;
    return Promise.race([
      mine,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              this.#timeoutError(
                endpoint,
                0,
                undefined,
                budget.started,
                budget,
              ),
            ),
          budget.ms,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Cache counters, or undefined when caching is off. */
  cacheStats(): CacheStats | undefined {
    return this.#cache && { ...this.#cache.stats };
  }

  async #withRetries(
    path: string,
    url: string,
    options: RequestOptions,
    budget: Budget,
  ): Promise<
    { status: number; text: string; total?: number; binary?: BytesAnswer }
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
        call.deadline - started <= this.#timeoutMs
      ? (call.shared ??= sharedDeadline(call, options.signal))
      : undefined;
    let controller: AbortController;
    let timeout: { aborted: boolean };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onCallerAbort: (() => void) | undefined;
    if (shared) {
      shared.inFlight++;
      ({ controller, timeout } = shared);
    } else {
      const own = new AbortController();
      const ownTimeout = { aborted: false };
      controller = own;
      timeout = ownTimeout;
      timer = setTimeout(() => {
        ownTimeout.aborted = true;
        own.abort(new DOMException("timed out", "TimeoutError"));
      }, Math.max(0, budget.ms - (performance.now() - started)));
      onCallerAbort = () => own.abort(options.signal?.reason);
      if (options.signal?.aborted) onCallerAbort();
      options.signal?.addEventListener("abort", onCallerAbort, { once: true });
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
        throw this.#timeoutError(
          endpoint,
          tries,
          lastError,
          tryStarted,
          budget,
        );
      }
      throw error;
    } finally {
      if (shared) {
        if (--shared.inFlight === 0) {
          shared.release();
          if (call!.shared === shared) call!.shared = undefined;
        }
      } else {
        clearTimeout(timer);
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

  /**
   * The error for a request its budget cut off: how long it could take,
   * how the last try ended (measured from that try's own start), and, when
   * earlier requests of its call used part of the budget, that they did.
   */
  #timeoutError(
    endpoint: string,
    tries: number,
    lastError: PlexError | undefined,
    lastTryStarted: number,
    budget: Budget,
  ): PlexConnectionError {
    const now = performance.now();
    const call = budget.call;
    const into = call ? budget.started - (call.deadline - call.ms) : 0;
    // When earlier requests of the call used part of the budget, say so.
    const where = call && call.requests > 1 && into >= SHARED_NOTE_MS
      ? `${endpoint}; this call's ${call.requests} requests share one budget of ${
        seconds(call.ms)
      }, and this one started ${seconds(into)} into it and was cut off after ${
        seconds(now - budget.started)
      }`
      : endpoint;
    const detail = tries > 1 && lastError
      ? ` (${tries} tries; the last was cut off after ${
        seconds(now - lastTryStarted)
      }, the one before ended: ${lastError.message})`
      : "";
    const message = `Plex at ${this.baseUrl} did not answer within ${
      this.#timeoutMs / 1000
    } s (${where}). Check that the server is up, or raise PLEX_TIMEOUT${detail}`;
    return new PlexConnectionError(
      this.redact(message),
      endpoint,
      "timeout",
    );
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
    { status: number; text: string; total?: number; binary?: BytesAnswer }
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
          response = await this.#fetch(target, {
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
        target = this.#redirectTarget(response, target, endpoint, method, hop);
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

  /**
   * Where a redirect may be followed: only within the configured origin
   * (another host, port or scheme would receive the token), only a few
   * times, and a write only when its method is kept (307/308).
   */
  #redirectTarget(
    response: Response,
    from: string,
    endpoint: string,
    method: HttpMethod,
    hop: number,
  ): string {
    const location = response.headers.get("location");
    let to: URL;
    try {
      to = new URL(location ?? "", from);
    } catch {
      throw new PlexRedirectError(
        `Plex answered ${endpoint} with a redirect (${response.status}) to an address that is not valid; not followed`,
        endpoint,
        response.status,
        "",
      );
    }
    if (!location) {
      throw new PlexRedirectError(
        `Plex answered ${endpoint} with a redirect (${response.status}) but no Location; not followed`,
        endpoint,
        response.status,
        "",
      );
    }
    if (to.origin !== this.#origin) {
      throw new PlexRedirectError(
        this.redact(
          `${this.#origin} redirected ${endpoint} to another server, ${to.host} (${
            to.protocol.slice(0, -1)
          }); not followed, so the Plex token is not sent there. A sign-in page or proxy in front of Plex (single sign-on) does this: set PLEX_SERVER_URL to an address that reaches Plex itself`,
        ),
        endpoint,
        response.status,
        to.host,
      );
    }
    if (hop + 1 > this.#maxRedirects) {
      throw new PlexRedirectError(
        `Plex redirected ${endpoint} more than ${this.#maxRedirects} times (a redirect loop); check PLEX_SERVER_URL`,
        endpoint,
        response.status,
        to.host,
      );
    }
    if (
      method !== "GET" && response.status !== 307 && response.status !== 308
    ) {
      throw new PlexRedirectError(
        `Plex redirected the write ${endpoint} (${response.status}), which would turn it into a read; not followed. Check PLEX_SERVER_URL (e.g. http vs https)`,
        endpoint,
        response.status,
        to.host,
      );
    }
    return to.href;
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
      this.#timeoutMs,
    );
    return new PlexConnectionError(
      this.redact(wrapped.message),
      endpoint,
      wrapped.failure,
      error,
    );
  }

  /**
   * Asks the configured address whether it is Plex at all (`GET /identity`
   * answers a machine identifier, without any token). Returns `error` when
   * it is Plex or cannot tell, else a {@link NotPlexServerError}.
   */
  async #explain(error: PlexError, signal?: AbortSignal): Promise<PlexError> {
    // Only "it is Plex" is remembered: a server that was not Plex a moment
    // ago (or a proxy page in the way) is asked again next time.
    if (
      this.#identity && Date.now() - this.#identity.at < IDENTITY_VERDICT_MS
    ) {
      return error;
    }
    const verdict = await this.#probeIdentity(signal);
    if (!verdict) return error;
    if (verdict.plex) {
      this.#identity = { at: Date.now() };
      return error;
    }
    // A status says what happened without guessing ("rejected the token").
    const failed = error.status !== undefined && error.status !== 200
      ? `${error.endpoint} answered ${error.status}`
      : `${error.endpoint} failed: ${error.message}`;
    return new NotPlexServerError(
      `${this.baseUrl} does not look like a Plex Media Server: ${verdict.why} (${failed}). Set PLEX_SERVER_URL to your Plex server's address, e.g. http://192.168.1.10:32400`,
      error.endpoint,
      error,
    );
  }

  /**
   * `GET /identity` without a token. Like any request it takes a slot of
   * the pool and stays within the caller's call budget (and at most
   * {@link IDENTITY_PROBE_MS}); undefined when it cannot tell.
   */
  async #probeIdentity(
    signal?: AbortSignal,
  ): Promise<{ plex: boolean; why: string } | undefined> {
    const call = signal && this.#budgets.get(signal);
    const ms = Math.min(
      this.#timeoutMs,
      IDENTITY_PROBE_MS,
      call ? call.deadline - performance.now() : Infinity,
    );
    if (ms <= 0 || signal?.aborted) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let release: (() => void) | undefined;
    try {
      release = await this.#pool.acquire(controller.signal);
      this.#onRequest?.("GET", "/identity");
      // Same-origin redirects are followed as for any request (the probe
      // carries no token, but only this origin can say it is Plex).
      let target = buildUrl(this.baseUrl, "/identity");
      let response: Response;
      for (let hop = 0;; hop++) {
        response = await this.#fetch(target, {
          headers: { Accept: "application/json" },
          redirect: "manual",
          signal: controller.signal,
        });
        const location = response.headers.get("location");
        if (
          !REDIRECT_STATUS.has(response.status) || !location ||
          hop >= this.#maxRedirects
        ) break;
        const to = new URL(location, target);
        if (to.origin !== this.#origin) break;
        await response.body?.cancel().catch(() => {});
        target = to.href;
      }
      const text = (await readBody(response, "GET /identity", 64 * 1024))
        .trim();
      if (!response.ok) {
        return {
          plex: false,
          why: `GET /identity answered ${response.status}`,
        };
      }
      if (text.startsWith("<")) {
        // Plex answers XML when a proxy drops the Accept header.
        return /<MediaContainer[^>]*machineIdentifier=/.test(text)
          ? { plex: true, why: "" }
          : { plex: false, why: "GET /identity answered an HTML or XML page" };
      }
      try {
        const id = (JSON.parse(text) as {
          MediaContainer?: { machineIdentifier?: unknown };
        })?.MediaContainer?.machineIdentifier;
        return typeof id === "string" && id ? { plex: true, why: "" } : {
          plex: false,
          why: "GET /identity answered JSON without a machine identifier",
        };
      } catch {
        return { plex: false, why: "GET /identity did not answer JSON" };
      }
    } catch {
      return undefined; // cannot tell: keep the original error
    } finally {
      release?.();
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Sends a request and parses the JSON answer with `schema`. */
  async getJson<T>(
    path: string,
    schema: ResponseSchema<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    return (await this.getJsonPaged(path, schema, options)).data;
  }

  /**
   * Like {@link getJson}, also returning the list's total from the
   * `X-Plex-Container-Total-Size` header (undefined when not sent): paged
   * lists read it when the body has no `totalSize`.
   */
  async getJsonPaged<T>(
    path: string,
    schema: ResponseSchema<T>,
    options: RequestOptions = {},
  ): Promise<{ data: T; headerTotal: number | undefined }> {
    const endpoint = `${options.method ?? "GET"} ${path}`;
    const answer = await this.request(path, options);
    try {
      return {
        data: await this.#parseJson(answer.text, endpoint, schema, options),
        headerTotal: answer.total,
      };
    } catch (error) {
      // An answer that cannot be used is not served again from the cache.
      this.#cache?.forget(buildUrl(this.baseUrl, path, options.query));
      throw error;
    }
  }

  async #parseJson<T>(
    text: string,
    endpoint: string,
    schema: ResponseSchema<T>,
    options: RequestOptions,
  ): Promise<T> {
    const over = jsonOverLimit(text, DEFAULT_JSON_LIMITS);
    if (over) {
      throw new PlexResponseError(
        `Plex answered ${endpoint} with JSON too large to handle safely (${over}); ask for a smaller page`,
        endpoint,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const looksXml = text.trimStart().startsWith("<");
      const problem = new PlexResponseError(
        looksXml
          ? `Plex answered ${endpoint} with XML or HTML instead of JSON; is PLEX_SERVER_URL a Plex Media Server?`
          : `Plex answered ${endpoint} with a body that is not valid JSON (${text.length} bytes, possibly truncated)`,
        endpoint,
        error,
      );
      throw looksXml ? await this.#explain(problem, options.signal) : problem;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue
        ? issue.path.map(String).join(".") || "(root)"
        : "(root)";
      const problem = new PlexResponseError(
        `Plex answered ${endpoint} with an unexpected shape at ${where}: ${
          issue?.message ?? "invalid"
        }`,
        endpoint,
        parsed.error,
      );
      const noContainer = json === null || typeof json !== "object" ||
        !("MediaContainer" in json);
      throw noContainer
        ? await this.#explain(problem, options.signal)
        : problem;
    }
    return parsed.data;
  }

  /**
   * Sends a GET and returns the body as bytes (an image), refusing bodies
   * over `maxBytes`. Like every request it carries the token in a header,
   * to this server only; the answer is never cached.
   */
  async requestBytes(
    path: string,
    options: RequestOptions & { maxBytes: number },
  ): Promise<BytesAnswer> {
    const { maxBytes, ...rest } = options;
    const method = "GET";
    checkRequest(method, path, rest.headers);
    const url = buildUrl(this.baseUrl, path, rest.query);
    const budget = this.#budget(`${method} ${path}`, rest.signal);
    // As for any request, a 401/403/404 that may mean "not Plex" says so.
    const answer = await this.#withRetries(path, url, {
      ...rest,
      method,
      cache: false,
      bytes: maxBytes,
    }, budget).catch(async (error: unknown) => {
      throw await this.#explainStatus(error, rest.signal);
    });
    return answer.binary ?? { bytes: new Uint8Array(), contentType: "" };
  }

  /**
   * A client for the same server acting as someone else (a Plex Home user):
   * `token` is their token for this server, `accountToken` their plex.tv
   * token. Both become secrets of this client too, so that whatever
   * redacts this client's secrets (logs, every answer) removes them.
   */
  actingAs(token: string, accountToken: string): PlexClient {
    this.addSecret(token);
    this.addSecret(accountToken);
    const client = new PlexClient({
      ...this.#options,
      token,
      accountToken,
    });
    for (const secret of this.#secrets) client.addSecret(secret);
    return client;
  }

  /** The plex.tv account this client acts for (watchlist, Plex Home). */
  account(): Promise<PlexTvAccountApi> {
    return this.#account ??= (async () => {
      if (this.#options.accountToken === null) {
        const { PlexTvError } = await import("../plextv/client.ts");
        throw new PlexTvError(NO_ACCOUNT_TOKEN, "unauthorized");
      }
      const { PlexAccountApi } = await import("../plextv/account.ts");
      const accountToken = this.#options.accountToken ?? this.#token;
      this.addSecret(accountToken);
      return new PlexAccountApi({
        token: accountToken,
        plexTvUrl: this.#options.plexTvUrl,
        discoverUrl: this.#options.discoverUrl ?? DEFAULT_DISCOVER_URL,
        fetch: this.#fetch,
        clientIdentifier: await this.clientIdentifier(),
        product: this.#options.product,
        version: this.#options.version,
        timeoutMs: this.#timeoutMs,
        secrets: () => this.#secrets,
      });
    })();
  }

  /** Sends a write (or any request whose body is ignored). */
  async send(path: string, options: RequestOptions = {}): Promise<void> {
    await this.requestText(path, options);
  }

  /** Fetches one page of a `Metadata[]` list. */
  async listItems(
    path: string,
    options: PageOptions = {},
  ): Promise<Page<PlexItem>> {
    const offset = options.offset ?? 0;
    const query = { ...options.query };
    if (options.limit !== undefined) {
      query["X-Plex-Container-Start"] = offset;
      query["X-Plex-Container-Size"] = options.limit;
    }
    const { itemsContainerSchema, itemsBriefContainerSchema } = await schemas();
    const { data: c, headerTotal } = await this.getJsonPaged(
      path,
      options.brief ? itemsBriefContainerSchema : itemsContainerSchema,
      { ...options, query },
    );
    let items = c.Metadata;
    let total = c.totalSize ??
      (options.limit === undefined ? undefined : headerTotal);
    if (options.limit === undefined) {
      total ??= items.length;
    } else if (items.length > options.limit) {
      // This endpoint ignored the container params: page locally.
      total ??= items.length;
      items = items.slice(offset, offset + options.limit);
    }
    return {
      items,
      total,
      offset,
      title: c.librarySectionTitle ?? c.title1,
    };
  }

  /**
   * Counts a list without fetching it: one request with
   * `X-Plex-Container-Size=0`, reading `totalSize`.
   */
  async count(
    path: string,
    options: RequestOptions = {},
  ): Promise<number | undefined> {
    const { countSchema } = await schemas();
    const { data: c, headerTotal } = await this.getJsonPaged(
      path,
      countSchema,
      {
        ...options,
        query: {
          ...options.query,
          "X-Plex-Container-Start": 0,
          "X-Plex-Container-Size": 0,
        },
      },
    );
    return c.totalSize ?? headerTotal;
  }

  /** Iterates every item of a list, page by page (never one big request). */
  async *iterate(
    path: string,
    options: PageOptions = {},
  ): AsyncGenerator<PlexItem, void, undefined> {
    const limit = options.limit ?? 100;
    let offset = options.offset ?? 0;
    let previous: string | undefined;
    for (let pages = 0;; pages++) {
      if (pages >= this.#maxPages) {
        throw new PlexResponseError(
          `Stopped walking GET ${path} after ${this.#maxPages} pages (${offset} items): Plex kept sending more; the list is too long to read whole`,
          `GET ${path}`,
        );
      }
      const page = await this.listItems(path, { ...options, offset, limit });
      // A server that ignores paging sends the same first page every time.
      const first = page.items[0]?.ratingKey;
      const signature = `${first}:${page.items.length}:${
        page.items.at(-1)?.ratingKey
      }`;
      if (pages > 0 && page.items.length > 0 && signature === previous) {
        throw new PlexResponseError(
          `Plex ignored paging for GET ${path}: it sent the same page again at offset ${offset}; stopped after ${
            pages + 1
          } requests`,
          `GET ${path}`,
        );
      }
      previous = signature;
      yield* page.items;
      offset += page.items.length;
      if (page.items.length === 0) return;
      if (page.total !== undefined && offset >= page.total) return;
      // Without a total, a short page is the last one.
      if (page.total === undefined && page.items.length < limit) return;
    }
  }

  /** `GET /`: server name, version, platform, plex.tv state. */
  async serverInfo(options: RequestOptions = {}): Promise<ServerInfo> {
    const { serverInfoSchema } = await schemas();
    const info = await this.getJson("/", serverInfoSchema, options);
    this.#confirmIdentity(info.machineIdentifier, "GET /");
    return info;
  }

  /**
   * The server's machine identifier, confirmed by the server once (then
   * cached). Throws {@link PlexIdentityError} when it answers as another
   * machine than the configured one (or the one it answered as before).
   */
  async machineIdentifier(options: RequestOptions = {}): Promise<string> {
    if (this.#machineIdentifier && this.#identityConfirmed) {
      return this.#machineIdentifier;
    }
    const { identitySchema } = await schemas();
    const identity = await this.getJson("/identity", identitySchema, options);
    this.#confirmIdentity(identity.machineIdentifier, "GET /identity");
    return identity.machineIdentifier;
  }

  /**
   * Holds the server to one identity: the configured one, else the first it
   * gave. A server that changes it is not taken for the one it replaced.
   */
  #confirmIdentity(actual: string, endpoint: string): void {
    const expected = this.#machineIdentifier;
    if (expected !== undefined && actual !== expected) {
      const was = this.#options.machineIdentifier !== undefined
        ? "it was configured with"
        : "it answered as before";
      throw new PlexIdentityError(
        `${endpoint} at ${this.#origin} answered as machine ${
          JSON.stringify(actual.slice(0, 64))
        }, not ${
          JSON.stringify(expected)
        } (the machine ${was}): another Plex server answers at this address now. Check the address (PLEX_SERVERS) or run plexmcp login again`,
        endpoint,
        expected,
        actual,
      );
    }
    this.#machineIdentifier = actual;
    this.#identityConfirmed = true;
  }

  /** `GET /library/sections`. */
  async sections(options: RequestOptions = {}): Promise<Section[]> {
    const { sectionsSchema } = await schemas();
    return this.getJson("/library/sections", sectionsSchema, options);
  }

  /** Number of primary items in a section, in one small request. */
  sectionItemCount(
    sectionKey: string,
    options: RequestOptions = {},
  ): Promise<number | undefined> {
    return this.count(
      `/library/sections/${encodeURIComponent(sectionKey)}/all`,
      options,
    );
  }
}
