/**
 * A small plex.tv client for sign-in and server discovery: the PIN flow
 * (`../shared/plex-api/API.md` §2.1) and the account's resources (§2.2).
 *
 * Like the Plex client, it sends tokens in headers only, to its own origin
 * only (redirects are refused), with one time budget per request, and it
 * never parses more than a bounded body.
 *
 * @module
 */
import { redact } from "../redact.ts";
import { classifyFetchError, readBody } from "../transport/request.ts";
import type { FetchLike } from "../transport/types.ts";
import { type PlexResource, readResources } from "./resources.ts";

/** The default plex.tv address (`PLEX_TV_URL` overrides it). */
export const DEFAULT_PLEX_TV_URL = "https://plex.tv";

/** Largest plex.tv answer read, in bytes. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A PIN created for the sign-in flow. */
export interface PlexPin {
  /** PIN id, for polling. */
  id: number;
  /** Code shown in the auth link. */
  code: string;
  /** When it expires (epoch ms). */
  expiresAt: number;
  /** The account token once the user has signed in. */
  authToken: string | null;
}

/** The signed-in account, as much of it as we show. */
export interface PlexAccount {
  /** Account id. */
  id: number;
  /** User name (an e-mail address for some accounts). */
  username: string;
  /** Display title. */
  title: string;
}

/** Why a plex.tv request failed. */
export type PlexTvFailure =
  | "unauthorized"
  | "expired"
  | "status"
  | "connection"
  | "permission"
  | "timeout"
  | "body";

/** A plex.tv request failed; the message says what to do. */
export class PlexTvError extends Error {
  /** The kind of failure. */
  readonly failure: PlexTvFailure;
  /** HTTP status when plex.tv answered. */
  readonly status: number | undefined;
  /** Creates the error. */
  constructor(message: string, failure: PlexTvFailure, status?: number) {
    super(message);
    this.name = "PlexTvError";
    this.failure = failure;
    this.status = status;
  }
}

/** Options for {@link PlexTvClient}. */
export interface PlexTvClientOptions {
  /** plex.tv base URL; default {@link DEFAULT_PLEX_TV_URL}. */
  baseUrl?: string;
  /** `X-Plex-Client-Identifier`: the same on PIN create and poll. */
  clientIdentifier: string;
  /** `X-Plex-Product`, shown on the sign-in page. Default `plexmcp`. */
  product?: string;
  /** `X-Plex-Version`. */
  version?: string;
  /** `fetch` to use. */
  fetch?: FetchLike;
  /** Time budget of one request, ms. Default 15,000. */
  timeoutMs?: number;
  /**
   * Stops every request at once when it aborts (Ctrl+C during `login`):
   * the request in flight is cancelled and the signal's reason thrown.
   */
  signal?: AbortSignal;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value)
    ? value
    : typeof value === "string" && /^\d+$/.test(value)
    ? Number(value)
    : undefined;
}

/** plex.tv's JSON error body: `{"errors":[{"code","message","status"}]}`. */
function plexTvErrorCode(text: string): number | undefined {
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown }[] };
    return num(body.errors?.[0]?.code);
  } catch {
    return undefined;
  }
}

/** Talks to plex.tv (or `PLEX_TV_URL`). */
export class PlexTvClient {
  /** Base URL without trailing slash. */
  readonly baseUrl: string;
  readonly #origin: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[] = [];
  readonly #signal: AbortSignal | undefined;

  /** Creates a client; nothing is sent until a call. */
  constructor(options: PlexTvClientOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_PLEX_TV_URL).replace(/\/+$/, "");
    this.#origin = new URL(this.baseUrl).origin;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#signal = options.signal;
    this.#headers = {
      Accept: "application/json",
      "X-Plex-Client-Identifier": options.clientIdentifier,
      "X-Plex-Product": options.product ?? "plexmcp",
      "X-Plex-Version": options.version ?? "0",
    };
  }

  /** The host plex.tv is reached at (for `--allow-net`). */
  get host(): string {
    return new URL(this.baseUrl).host;
  }

  /** Tokens seen so far (the account token), for redaction. */
  secrets(): readonly string[] {
    return this.#secrets;
  }

  async #request(
    method: "GET" | "POST",
    path: string,
    token?: string,
    options: { json?: boolean } = {},
  ): Promise<{ status: number; body: unknown; text: string }> {
    const url = this.baseUrl + path;
    const endpoint = `${method} ${this.baseUrl}${path.split("?")[0]}`;
    const headers: Record<string, string> = token
      ? { ...this.#headers, "X-Plex-Token": token }
      : this.#headers;
    const stop = this.#signal;
    if (stop?.aborted) throw stop.reason;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        signal: stop ? AbortSignal.any([stop, signal]) : signal,
        redirect: "manual",
      });
    } catch (error) {
      if (stop?.aborted) throw stop.reason;
      const failure = classifyFetchError(error);
      if (failure === "permission") {
        throw new PlexTvError(
          `Deno was not allowed to connect to ${this.host} (${endpoint}). Add it to the permission flag: --allow-net=${this.host}`,
          "permission",
        );
      }
      if (signal.aborted) {
        throw new PlexTvError(
          `plex.tv did not answer within ${
            this.#timeoutMs / 1000
          } s (${endpoint}). Check the internet connection and try again`,
          "timeout",
        );
      }
      throw new PlexTvError(
        redact(
          `Cannot reach plex.tv at ${this.baseUrl} (${endpoint}): ${
            error instanceof Error ? error.message : String(error)
          }`,
          this.#secrets,
        ),
        "connection",
      );
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get("location") ?? "";
      let where = "elsewhere";
      try {
        where = new URL(location, url).host;
      } catch { /* keep "elsewhere" */ }
      throw new PlexTvError(
        `plex.tv redirected ${endpoint} to ${where}; the token is not sent anywhere but ${this.#origin}. Check PLEX_TV_URL`,
        "status",
        response.status,
      );
    }
    let text: string;
    try {
      // Bounded whether or not plex.tv declares the size.
      text = await readBody(response, endpoint, MAX_BODY_BYTES);
    } catch (error) {
      if (stop?.aborted) throw stop.reason;
      throw new PlexTvError(
        signal.aborted
          ? `plex.tv did not finish answering within ${
            this.#timeoutMs / 1000
          } s (${endpoint}). Try again`
          : `plex.tv sent an answer that could not be read for ${endpoint}: ${
            redact(
              error instanceof Error ? error.message : String(error),
              this.#secrets,
            )
          }`,
        signal.aborted ? "timeout" : "body",
      );
    }
    if (!response.ok || options.json === false) {
      return { status: response.status, body: undefined, text };
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new PlexTvError(
        `plex.tv answered ${endpoint} with something that is not JSON; is PLEX_TV_URL right?`,
        "body",
        response.status,
      );
    }
    return { status: response.status, body, text };
  }

  #statusError(endpoint: string, status: number, text: string): PlexTvError {
    const code = plexTvErrorCode(text);
    if (status === 401) {
      return new PlexTvError(
        `plex.tv did not accept the token (401${
          code ? `, code ${code}` : ""
        }) for ${endpoint}: sign in again with \`plexmcp login\``,
        "unauthorized",
        401,
      );
    }
    return new PlexTvError(
      `plex.tv answered ${status}${
        code ? ` (code ${code})` : ""
      } for ${endpoint}`,
      "status",
      status,
    );
  }

  /**
   * Creates a strong PIN (`POST /api/v2/pins?strong=true`), the kind the
   * app.plex.tv sign-in link uses.
   */
  async createPin(): Promise<PlexPin> {
    const path = "/api/v2/pins?strong=true";
    const r = await this.#request("POST", path);
    if (r.status !== 201 && r.status !== 200) {
      throw this.#statusError("POST /api/v2/pins", r.status, r.text);
    }
    return this.#readPin(r.body, "POST /api/v2/pins");
  }

  #readPin(body: unknown, endpoint: string): PlexPin {
    const o = (body ?? {}) as Record<string, unknown>;
    const id = num(o.id);
    const code = str(o.code);
    if (id === undefined || !code) {
      throw new PlexTvError(
        `plex.tv answered ${endpoint} without a PIN id and code`,
        "body",
      );
    }
    const expires = Date.parse(str(o.expiresAt) ?? "");
    const expiresIn = num(o.expiresIn);
    const authToken = str(o.authToken) || null;
    if (authToken) this.#addSecret(authToken);
    return {
      id,
      code,
      expiresAt: Number.isFinite(expires)
        ? expires
        : Date.now() + (expiresIn ?? 900) * 1000,
      authToken,
    };
  }

  #addSecret(token: string): void {
    if (!this.#secrets.includes(token)) this.#secrets.push(token);
  }

  /**
   * Polls a PIN (`GET /api/v2/pins/{id}`). Throws a {@link PlexTvError}
   * with failure `expired` once plex.tv no longer knows it (404, code 1020).
   */
  async checkPin(id: number): Promise<PlexPin> {
    const r = await this.#request("GET", `/api/v2/pins/${id}`);
    if (r.status === 404) {
      throw new PlexTvError(
        "The sign-in code expired before it was used: run `plexmcp login` again",
        "expired",
        404,
      );
    }
    if (r.status !== 200) {
      throw this.#statusError("GET /api/v2/pins/{id}", r.status, r.text);
    }
    return this.#readPin(r.body, "GET /api/v2/pins/{id}");
  }

  /** The link that signs this client in (API.md §2.1 step 2). */
  authUrl(pin: PlexPin, product = "plexmcp"): string {
    const params = [
      `clientID=${
        encodeURIComponent(this.#headers["X-Plex-Client-Identifier"]!)
      }`,
      `code=${encodeURIComponent(pin.code)}`,
      `context%5Bdevice%5D%5Bproduct%5D=${encodeURIComponent(product)}`,
    ].join("&");
    return `https://app.plex.tv/auth#?${params}`;
  }

  /** The account behind `token` (`GET /api/v2/user`). */
  async user(token: string): Promise<PlexAccount> {
    this.#addSecret(token);
    const r = await this.#request("GET", "/api/v2/user", token);
    if (r.status !== 200) {
      throw this.#statusError("GET /api/v2/user", r.status, r.text);
    }
    const o = (r.body ?? {}) as Record<string, unknown>;
    return {
      id: num(o.id) ?? 0,
      username: str(o.username) ?? "",
      title: str(o.title) ?? str(o.username) ?? "",
    };
  }

  /**
   * Pings plex.tv with `token` (`GET /api/v2/ping`), which python-plexapi
   * documents as the call that "will refresh the authentication token to
   * prevent it from expiring" (ppa `MyPlexAccount.ping`, myplex.py:111,
   * 256-263; Plex's own clients and Overseerr-style services call it
   * regularly). Returns `"alive"` on any 2xx (the body is not read: ppa
   * casts an XML root's text to a boolean, and the JSON form is not
   * recorded), `"rejected"` when plex.tv no longer accepts the token (401,
   * or 498, the status Plex gives an expired JWT); throws a
   * {@link PlexTvError} when plex.tv cannot be asked or answers otherwise.
   */
  async ping(token: string): Promise<"alive" | "rejected"> {
    this.#addSecret(token);
    const r = await this.#request("GET", "/api/v2/ping", token, {
      json: false,
    });
    if (r.status >= 200 && r.status < 300) return "alive";
    if (r.status === 401 || r.status === 498) return "rejected";
    throw this.#statusError("GET /api/v2/ping", r.status, r.text);
  }

  /**
   * The account's servers (`GET /api/v2/resources`, with https, relay and
   * IPv6 connections), players left out. Each carries its own access token.
   */
  async servers(token: string): Promise<PlexResource[]> {
    this.#addSecret(token);
    const r = await this.#request(
      "GET",
      "/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1",
      token,
    );
    if (r.status !== 200) {
      throw this.#statusError("GET /api/v2/resources", r.status, r.text);
    }
    const servers = readResources(r.body).filter((s) => s.isServer);
    for (const s of servers) if (s.accessToken) this.#addSecret(s.accessToken);
    return servers;
  }
}
