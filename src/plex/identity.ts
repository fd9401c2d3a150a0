/**
 * Who answers at a server's address: whether it is Plex at all (asked
 * when an answer looks like it may not be: a 401/403/404/405, XML or HTML,
 * JSON without a `MediaContainer`), and whether it is the machine the
 * server was configured with.
 *
 * @module
 */
import {
  NotPlexServerError,
  PlexError,
  PlexIdentityError,
  PlexRedirectError,
} from "../transport/errors.ts";
import { buildUrl, readBody } from "../transport/request.ts";
import { REDIRECT_STATUS } from "../transport/redirects.ts";
import type { Transport } from "../transport/transport.ts";

/** How long "this is Plex" is remembered, in milliseconds. */
const IDENTITY_VERDICT_MS = 30_000;
/** Longest wait for the `/identity` probe, in milliseconds. */
const IDENTITY_PROBE_MS = 5_000;
/** Statuses after which the client asks whether the address is Plex at all. */
const EXPLAINED_STATUS = new Set([401, 403, 404, 405]);

/** The identity of the server one client talks to. */
export class PlexIdentity {
  readonly #transport: Transport;
  readonly #configured: string | undefined;
  #machineIdentifier: string | undefined;
  /** Whether the server has confirmed `#machineIdentifier` in this process. */
  #identityConfirmed = false;
  #verdict: { at: number } | undefined;

  /** `configured`: the machine identifier the server was set up with. */
  constructor(transport: Transport, configured: string | undefined) {
    this.#transport = transport;
    this.#configured = configured;
    this.#machineIdentifier = configured;
  }

  /** The identifier the server confirmed in this process, if it has. */
  get confirmed(): string | undefined {
    return this.#identityConfirmed ? this.#machineIdentifier : undefined;
  }

  /** A status that may mean "not Plex at all", explained; else as is. */
  async explainStatus(
    error: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (
      error instanceof PlexError && error.status !== undefined &&
      EXPLAINED_STATUS.has(error.status) &&
      !(error instanceof PlexRedirectError)
    ) {
      return await this.explain(error, signal);
    }
    return error;
  }

  /**
   * Asks the configured address whether it is Plex at all (`GET /identity`
   * answers a machine identifier, without any token). Returns `error` when
   * it is Plex or cannot tell, else a {@link NotPlexServerError}.
   */
  async explain(error: PlexError, signal?: AbortSignal): Promise<PlexError> {
    // Only "it is Plex" is remembered: a server that was not Plex a moment
    // ago (or a proxy page in the way) is asked again next time.
    if (
      this.#verdict && Date.now() - this.#verdict.at < IDENTITY_VERDICT_MS
    ) {
      return error;
    }
    const verdict = await this.#probeIdentity(signal);
    if (!verdict) return error;
    if (verdict.plex) {
      this.#verdict = { at: Date.now() };
      return error;
    }
    // A status says what happened without guessing ("rejected the token").
    const failed = error.status !== undefined && error.status !== 200
      ? `${error.endpoint} answered ${error.status}`
      : `${error.endpoint} failed: ${error.message}`;
    return new NotPlexServerError(
      `${this.#transport.baseUrl} does not look like a Plex Media Server: ${verdict.why} (${failed}). Set PLEX_SERVER_URL to your Plex server's address, e.g. http://192.168.1.10:32400`,
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
    const t = this.#transport;
    const call = t.budgets.of(signal);
    const ms = Math.min(
      t.timeoutMs,
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
      release = await t.acquire(controller.signal);
      t.noteRequest("GET", "/identity");
      // Same-origin redirects are followed as for any request (the probe
      // carries no token, but only this origin can say it is Plex).
      let target = buildUrl(t.baseUrl, "/identity");
      let response: Response;
      for (let hop = 0;; hop++) {
        response = await t.fetch(target, {
          headers: { Accept: "application/json" },
          redirect: "manual",
          signal: controller.signal,
        });
        const location = response.headers.get("location");
        if (
          !REDIRECT_STATUS.has(response.status) || !location ||
          hop >= t.maxRedirects
        ) break;
        const to = new URL(location, target);
        if (to.origin !== t.origin) break;
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

  /**
   * Holds the server to one identity: the configured one, else the first it
   * gave. A server that changes it is not taken for the one it replaced.
   */
  confirm(actual: string, endpoint: string): void {
    const expected = this.#machineIdentifier;
    if (expected !== undefined && actual !== expected) {
      const was = this.#configured !== undefined
        ? "it was configured with"
        : "it answered as before";
      throw new PlexIdentityError(
        `${endpoint} at ${this.#transport.origin} answered as machine ${
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
}
