/**
 * A thin Plex Media Server client over web-standard `fetch`.
 *
 * - The token travels in the `X-Plex-Token` header, never in a URL.
 * - Every call has a timeout joined with the caller's abort signal.
 * - Idempotent reads retry refused/reset connections and 502/503/504 a
 *   bounded number of times with exponential backoff and jitter; timeouts
 *   and writes are never retried.
 * - Error bodies (HTML) are never parsed; failures become typed errors.
 * - Paging uses `X-Plex-Container-Start` / `X-Plex-Container-Size`.
 *
 * @module
 */
import { PlexConnectionError, PlexError, PlexResponseError } from "./errors.ts";
import type { Page, PlexItem, Section, ServerInfo } from "./models.ts";
import {
  buildUrl,
  connectionError,
  type QueryValue,
  readBody,
  statusError,
} from "./request.ts";
import {
  countSchema,
  identitySchema,
  itemsContainerSchema,
  sectionsSchema,
  serverInfoSchema,
} from "./schemas.ts";
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
  /** Per-attempt timeout in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent reads. Default 2. */
  retries?: number;
  /** Base backoff delay in milliseconds. Default 250. */
  retryDelayMs?: number;
  /** Largest accepted response body in bytes. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Stable `X-Plex-Client-Identifier`. Default `plexmcp`. */
  clientIdentifier?: string;
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
}

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
}

/** Paging options. */
export interface PageOptions extends RequestOptions {
  /** 0-based start. */
  offset?: number;
  /** Page size. */
  limit?: number;
}

const RETRY_STATUS = new Set([502, 503, 504]);

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
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #maxBodyBytes: number;
  readonly #headers: Record<string, string>;
  readonly #allHeaders: Record<string, string>;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onRequest: ((method: string, path: string) => void) | undefined;
  #machineIdentifier: string | undefined;
  #commandId = 0;
  readonly #cache: ResponseCache | undefined;

  /** Creates a client. Nothing is fetched until the first call. */
  constructor(options: PlexClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#onRequest = options.onRequest;
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
    this.#allHeaders = Object.freeze({
      ...this.#headers,
      "X-Plex-Token": this.#token,
    });
  }

  /** Per-attempt timeout in milliseconds. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** The next `commandID` for player commands (increases per client). */
  nextCommandId(): number {
    return ++this.#commandId;
  }

  /** Redacts the token from any text. */
  redact(text: string): string {
    return redact(text, [this.#token]);
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

  /** Like {@link requestText}, also returning the (2xx) status. */
  async request(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; text: string }> {
    const method = options.method ?? "GET";
    const idempotent = options.idempotent ?? method === "GET";
    const url = buildUrl(this.baseUrl, path, options.query);
    const cache = this.#cache;
    if (!cache) return this.#withRetries(path, url, options);
    if (method !== "GET" || !idempotent) {
      // A write (or a player command): whatever it touched must be re-read.
      try {
        return await this.#withRetries(path, url, options);
      } finally {
        cache.clear();
      }
    }
    if (options.cache === false || options.headers) {
      return this.#withRetries(path, url, options);
    }
    // The shared request is not tied to one caller's signal; each caller
    // still stops waiting when its own signal aborts.
    const shared = cache.get(
      url,
      () => this.#withRetries(path, url, { ...options, signal: undefined }),
    );
    return options.signal ? raceAbort(shared, options.signal) : shared;
  }

  /** Cache counters, or undefined when caching is off. */
  cacheStats(): CacheStats | undefined {
    return this.#cache && { ...this.#cache.stats };
  }

  async #withRetries(
    path: string,
    url: string,
    options: RequestOptions,
  ): Promise<{ status: number; text: string }> {
    const method = options.method ?? "GET";
    const endpoint = `${method} ${path}`;
    const attempts = (options.idempotent ?? method === "GET")
      ? this.#retries + 1
      : 1;
    let lastError: PlexError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        const backoff = this.#retryDelayMs * 2 ** (attempt - 1);
        await this.#sleep(backoff + Math.random() * backoff);
      }
      try {
        return await this.#attempt(path, url, endpoint, method, options);
      } catch (error) {
        if (!(error instanceof PlexError)) throw error;
        lastError = error;
        // Refused or reset connections and 502/503/504 are worth another try.
        // A timeout is not: a server that stalled once is likely to stall
        // again, and retrying would multiply the wait past PLEX_TIMEOUT.
        const transient = (error instanceof PlexConnectionError &&
          (error.failure === "refused" || error.failure === "network")) ||
          (error.status !== undefined && RETRY_STATUS.has(error.status));
        if (!transient || options.signal?.aborted) throw error;
      }
    }
    throw lastError;
  }

  async #attempt(
    path: string,
    url: string,
    endpoint: string,
    method: HttpMethod,
    options: RequestOptions,
  ): Promise<{ status: number; text: string }> {
    // One controller per attempt, aborted by the timeout or the caller; the
    // timer and listener are released as soon as the attempt ends, so many
    // calls do not pile up pending timers (AbortSignal.timeout would).
    const controller = new AbortController();
    const timeout = { aborted: false };
    const timer = setTimeout(() => {
      timeout.aborted = true;
      controller.abort(new DOMException("timed out", "TimeoutError"));
    }, this.#timeoutMs);
    const onCallerAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onCallerAbort();
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    try {
      this.#onRequest?.(method, path);
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method,
          headers: options.headers
            ? {
              ...this.#headers,
              ...options.headers,
              "X-Plex-Token": this.#token,
            }
            : this.#allHeaders,
          signal: controller.signal,
        });
      } catch (error) {
        throw this.#transportError(error, endpoint, options.signal, timeout);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw statusError(response.status, endpoint);
      }
      try {
        const text = await readBody(response, endpoint, this.#maxBodyBytes);
        return { status: response.status, text };
      } catch (error) {
        if (error instanceof PlexError) throw error;
        throw this.#transportError(error, endpoint, options.signal, timeout);
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  #transportError(
    error: unknown,
    endpoint: string,
    callerSignal: AbortSignal | undefined,
    timeout: { aborted: boolean },
  ): unknown {
    if (callerSignal?.aborted) return callerSignal.reason ?? error;
    if (timeout.aborted) {
      return connectionError(
        new Error("timed out"),
        this.baseUrl,
        endpoint,
        this.#timeoutMs,
      );
    }
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

  /** Sends a request and parses the JSON answer with `schema`. */
  async getJson<T>(
    path: string,
    schema: ResponseSchema<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    const endpoint = `${options.method ?? "GET"} ${path}`;
    const text = await this.requestText(path, options);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const looksXml = text.trimStart().startsWith("<");
      throw new PlexResponseError(
        looksXml
          ? `Plex answered ${endpoint} with XML or HTML instead of JSON; is PLEX_SERVER_URL a Plex Media Server?`
          : `Plex answered ${endpoint} with a body that is not valid JSON (${text.length} bytes, possibly truncated)`,
        endpoint,
        error,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue
        ? issue.path.map(String).join(".") || "(root)"
        : "(root)";
      throw new PlexResponseError(
        `Plex answered ${endpoint} with an unexpected shape at ${where}: ${
          issue?.message ?? "invalid"
        }`,
        endpoint,
        parsed.error,
      );
    }
    return parsed.data;
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
    const c = await this.getJson(path, itemsContainerSchema, {
      ...options,
      query,
    });
    let items = c.Metadata;
    let total = c.totalSize;
    if (options.limit === undefined) {
      total ??= items.length;
    } else if (items.length > options.limit) {
      // This endpoint ignored the container params: page locally.
      total ??= items.length;
      items = items.slice(offset, offset + options.limit);
    }
    return { items, total, offset };
  }

  /**
   * Counts a list without fetching it: one request with
   * `X-Plex-Container-Size=0`, reading `totalSize`.
   */
  async count(
    path: string,
    options: RequestOptions = {},
  ): Promise<number | undefined> {
    const c = await this.getJson(path, countSchema, {
      ...options,
      query: {
        ...options.query,
        "X-Plex-Container-Start": 0,
        "X-Plex-Container-Size": 0,
      },
    });
    return c.totalSize;
  }

  /** Iterates every item of a list, page by page (never one big request). */
  async *iterate(
    path: string,
    options: PageOptions = {},
  ): AsyncGenerator<PlexItem, void, undefined> {
    const limit = options.limit ?? 100;
    let offset = options.offset ?? 0;
    while (true) {
      const page = await this.listItems(path, { ...options, offset, limit });
      yield* page.items;
      offset += page.items.length;
      if (page.items.length === 0) return;
      if (page.total !== undefined && offset >= page.total) return;
    }
  }

  /** `GET /`: server name, version, platform, plex.tv state. */
  async serverInfo(options: RequestOptions = {}): Promise<ServerInfo> {
    const info = await this.getJson("/", serverInfoSchema, options);
    this.#machineIdentifier = info.machineIdentifier;
    return info;
  }

  /** The server's machine identifier (cached after the first call). */
  async machineIdentifier(options: RequestOptions = {}): Promise<string> {
    if (this.#machineIdentifier) return this.#machineIdentifier;
    const identity = await this.getJson("/identity", identitySchema, options);
    this.#machineIdentifier = identity.machineIdentifier;
    return identity.machineIdentifier;
  }

  /** `GET /library/sections`. */
  sections(options: RequestOptions = {}): Promise<Section[]> {
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
