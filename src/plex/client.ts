/**
 * The Plex Media Server client: the calls every part of plexmcp makes
 * (requests with a budget, JSON answers checked against a schema, pages
 * and walks over lists, the server's identity), on the shared transport
 * (`src/transport/`: headers and token, budgets and abort, retries,
 * same-origin redirects, body caps, the JSON structure guard, errors).
 *
 * - Error bodies (HTML) are never parsed; failures become typed errors.
 *   JSON answers are checked for size and shape before they are parsed.
 * - An answer that may mean the address is not Plex at all (a 401/403/
 *   404/405, a page instead of JSON) asks `/identity` and says so.
 * - Paging uses `X-Plex-Container-Start` / `X-Plex-Container-Size`, and a
 *   walk over pages has a hard stop.
 *
 * @module
 */
import { PlexResponseError } from "../transport/errors.ts";
import type {
  BytesAnswer,
  Page,
  PlexItem,
  Section,
  ServerInfo,
} from "./models.ts";
import type {
  FetchLike,
  HttpMethod,
  ResponseSchema,
} from "../transport/types.ts";
import {
  type RequestOptions,
  type TextAnswer,
  Transport,
} from "../transport/transport.ts";
import { readJsonAnswer } from "../transport/json_answer.ts";
import type { CacheStats } from "../transport/cache.ts";
import { PlexIdentity } from "./identity.ts";
// The response schemas load with the first request, not at start-up (and
// the import is resolved once: a dynamic import costs every time it runs).
let schemasModule: Promise<typeof import("./schemas.ts")> | undefined;
const schemas = () => schemasModule ??= import("./schemas.ts");

export type { FetchLike, HttpMethod, RequestOptions, ResponseSchema };

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

/** The default plex.tv Discover address (`PLEX_DISCOVER_URL` overrides it). */
export const DEFAULT_DISCOVER_URL = "https://discover.provider.plex.tv";

/** What a plex.tv client needs to act for a server's account. */
export interface PlexTvAccess {
  /** The account's plex.tv token (a secret). */
  token: string;
  /** plex.tv's address, when not the default. */
  plexTvUrl: string | undefined;
  /** Discover's address. */
  discoverUrl: string;
  /** The `fetch` the server client uses. */
  fetch: FetchLike;
  /** The installation's `X-Plex-Client-Identifier`. */
  clientIdentifier: () => Promise<string>;
  /** `X-Plex-Product`. */
  product: string | undefined;
  /** `X-Plex-Version`. */
  version: string | undefined;
  /** Time budget of one request, ms. */
  timeoutMs: number;
  /** Every secret to keep out of messages. */
  secrets: () => readonly string[];
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

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thin, typed client for one Plex Media Server. */
export class PlexClient {
  /** Server origin without trailing slash. */
  readonly baseUrl: string;
  readonly #token: string;
  readonly #secrets: string[];
  readonly #maxPages: number;
  readonly #transport: Transport;
  readonly #identity: PlexIdentity;
  #commandId = 0;
  readonly #options: PlexClientOptions;

  /** Creates a client. Nothing is fetched until the first call. */
  constructor(options: PlexClientOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#secrets =
      options.accountToken && options.accountToken !== options.token
        ? [options.token, options.accountToken]
        : [options.token];
    this.#maxPages = options.maxPages ?? 1_000;
    this.#transport = new Transport({
      baseUrl: this.baseUrl,
      token: options.token,
      secrets: this.#secrets,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 250,
      maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
      maxRedirects: options.maxRedirects ?? 5,
      maxConcurrent: options.maxConcurrent ?? 16,
      headers: {
        "Accept": "application/json",
        "X-Plex-Client-Identifier": options.clientIdentifier ?? "plexmcp",
        "X-Plex-Product": options.product ?? "plexmcp",
        "X-Plex-Version": options.version ?? "0",
        "X-Plex-Provides": "controller",
      },
      identifier: options.clientIdentifier === undefined
        ? deriveClientIdentifier(this.baseUrl, options.token)
        : undefined,
      sleep: options.sleep ?? defaultSleep,
      onRequest: options.onRequest,
      cacheTtlMs: options.cacheTtlMs ?? 0,
      now: options.now,
    });
    this.#identity = new PlexIdentity(
      this.#transport,
      options.machineIdentifier,
    );
  }

  /** The `X-Plex-Client-Identifier` this client sends. */
  clientIdentifier(): Promise<string> {
    return this.#transport.clientIdentifier();
  }

  /** Requests in flight and waiting for a slot (see `maxConcurrent`). */
  get load(): { inFlight: number; queued: number; limit: number } {
    return this.#transport.load;
  }

  /** Time budget of one request (and of one call) in milliseconds. */
  get timeoutMs(): number {
    return this.#transport.timeoutMs;
  }

  /** How long a GET answer stays cached, in ms; 0 when caching is off. */
  get cacheTtlMs(): number {
    return Math.max(0, this.#options.cacheTtlMs ?? 0);
  }

  /**
   * Makes every request made with `signal` from now on draw from one time
   * budget of `ms` (default `timeoutMs`): the budget of one tool call, so
   * a call that makes several requests takes at most `ms` in all, waits for
   * a free slot, retries and backoff included. Each request still takes at
   * most `timeoutMs`. A request made once the budget is spent is not sent.
   */
  shareBudget(signal: AbortSignal, ms: number = this.timeoutMs): void {
    this.#transport.budgets.share(signal, ms);
  }

  /**
   * Like {@link shareBudget}, for a call that ends it with
   * {@link endBudget} (a tool call): its requests one after another share
   * one deadline timer and abort signal instead of one each.
   */
  holdBudget(signal: AbortSignal, ms: number = this.timeoutMs): void {
    this.#transport.budgets.share(signal, ms, true);
  }

  /** Ends the budget of {@link holdBudget}: its timer is cleared. */
  endBudget(signal: AbortSignal): void {
    this.#transport.budgets.end(signal);
  }

  /**
   * Milliseconds left of the call budget `signal` draws from (see
   * {@link shareBudget}), or undefined when it draws from none: what a
   * tool that waits for Plex may still spend.
   */
  budgetLeft(signal: AbortSignal): number | undefined {
    return this.#transport.budgets.left(signal);
  }

  /** The next `commandID` for player commands (increases per client). */
  nextCommandId(): number {
    return ++this.#commandId;
  }

  /** Redacts the token (and every secret added) from any text. */
  redact(text: string): string {
    return this.#transport.redact(text);
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
    this.#transport.addSecret(secret);
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
    let answer: TextAnswer;
    try {
      answer = await this.#transport.request(path, options);
    } catch (error) {
      // A 404 on a path every Plex has, a 401/403 from a login page, a 405
      // from a web server that takes no writes: the URL may not be Plex at
      // all, so say so rather than "check the id" or "check the token".
      throw await this.#identity.explainStatus(error, options.signal);
    }
    return answer;
  }

  /** Cache counters, or undefined when caching is off. */
  cacheStats(): CacheStats | undefined {
    return this.#transport.cacheStats();
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
        data: await this.#parseJson(
          answer.text,
          endpoint,
          schema,
          options.signal,
        ),
        headerTotal: answer.total,
      };
    } catch (error) {
      // An answer that cannot be used is not served again from the cache.
      this.#transport.forget(path, options.query);
      throw error;
    }
  }

  async #parseJson<T>(
    text: string,
    endpoint: string,
    schema: ResponseSchema<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const answer = readJsonAnswer(text, endpoint, schema);
    if (answer.ok) return answer.data;
    throw answer.maybeNotPlex
      ? await this.#identity.explain(answer.error, signal)
      : answer.error;
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
    // As for any request, a 401/403/404 that may mean "not Plex" says so.
    try {
      return await this.#transport.requestBytes(path, options);
    } catch (error) {
      throw await this.#identity.explainStatus(error, options.signal);
    }
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

  /**
   * What a plex.tv client acting for this server's account needs (the
   * account's token, addresses, identity and budget), or `undefined` when
   * the server has no account token (a shared server's own token, which
   * plex.tv refuses). The token becomes a secret of this client. The
   * plex.tv account itself is built above both clients: `accountOf()` in
   * `src/account/`.
   */
  plexTvAccess(): PlexTvAccess | undefined {
    if (this.#options.accountToken === null) return undefined;
    const token = this.#options.accountToken ?? this.#token;
    this.addSecret(token);
    return {
      token,
      plexTvUrl: this.#options.plexTvUrl,
      discoverUrl: this.#options.discoverUrl ?? DEFAULT_DISCOVER_URL,
      fetch: this.#transport.fetch,
      clientIdentifier: () => this.clientIdentifier(),
      product: this.#options.product,
      version: this.#options.version,
      timeoutMs: this.timeoutMs,
      secrets: () => this.#secrets,
    };
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
    this.#identity.confirm(info.machineIdentifier, "GET /");
    return info;
  }

  /**
   * The server's machine identifier, confirmed by the server once (then
   * cached). Throws {@link PlexIdentityError} when it answers as another
   * machine than the configured one (or the one it answered as before).
   */
  async machineIdentifier(options: RequestOptions = {}): Promise<string> {
    const confirmed = this.#identity.confirmed;
    if (confirmed) return confirmed;
    const { identitySchema } = await schemas();
    const identity = await this.getJson("/identity", identitySchema, options);
    this.#identity.confirm(identity.machineIdentifier, "GET /identity");
    return identity.machineIdentifier;
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
