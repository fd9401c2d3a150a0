/**
 * Keeps the plex.tv account token alive while a long-running server
 * (`serve --http`) runs: `GET /api/v2/ping` with the token at start and
 * then about once a day, the call python-plexapi documents as refreshing
 * the token "to prevent it from expiring" (ppa `MyPlexAccount.ping`,
 * myplex.py:256-263; its `tools/plex-refreshtoken.py` does only this), and
 * which services that hold a token for months (watchlist syncers) make on
 * a timer. When plex.tv stops accepting the token it is logged (the logger
 * redacts every token), once per check, with how to get a new one.
 *
 * @module
 */
import { PlexTvError } from "./client.ts";

/** Time between keep-alive pings: a day. */
export const KEEPALIVE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Time before another try when plex.tv could not be asked: an hour. */
export const KEEPALIVE_RETRY_MS = 60 * 60 * 1000;

/** What the keep-alive logs to. */
export interface KeepAliveLog {
  /** Routine outcomes. */
  debug(message: string): void;
  /** A token that works again. */
  info(message: string): void;
  /** A token plex.tv refuses, or plex.tv out of reach. */
  warn(message: string): void;
}

/** Options for {@link keepTokenAlive}. */
export interface KeepAliveOptions {
  /** Pings plex.tv with the token (`PlexTvClient.ping`). */
  ping(): Promise<"alive" | "rejected">;
  /** Where the token comes from, for messages (e.g. `PLEX_ACCOUNT_TOKEN`). */
  source: string;
  /** Where outcomes go. */
  log: KeepAliveLog;
  /** Ends the keep-alive (the server shuts down). */
  signal: AbortSignal;
  /** Time between pings; default {@link KEEPALIVE_INTERVAL_MS}. */
  intervalMs?: number;
  /** Time before a retry; default {@link KEEPALIVE_RETRY_MS}. */
  retryMs?: number;
}

/** Waits `ms` without keeping the process alive; false when aborted. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    Deno.unrefTimer(timer);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Math.round(h)} h` : `${Math.round(ms / 1000)} s`;
}

/**
 * Pings at once, then every `intervalMs` (sooner after a failure to reach
 * plex.tv) until `signal` aborts. Resolves when it stops: on abort, or
 * when Deno may not reach plex.tv at all (said once).
 */
export async function keepTokenAlive(options: KeepAliveOptions): Promise<void> {
  const interval = options.intervalMs ?? KEEPALIVE_INTERVAL_MS;
  const retry = options.retryMs ?? KEEPALIVE_RETRY_MS;
  const { log, source, signal } = options;
  let refused = false;
  while (!signal.aborted) {
    let wait = interval;
    try {
      const outcome = await options.ping();
      if (signal.aborted) return;
      if (outcome === "alive") {
        if (refused) {
          log.info(`plex.tv accepts the account token (${source}) again`);
        } else {
          log.debug(
            `plex.tv accepted the account token (${source}); next keep-alive in ${
              hours(interval)
            }`,
          );
        }
        refused = false;
      } else {
        refused = true;
        log.warn(
          `plex.tv no longer accepts the account token (${source}): the watchlist, Plex Home and sharing tools will fail until you sign in again with \`plexmcp login\` and restart the server`,
        );
      }
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PlexTvError && error.failure === "permission") {
        log.warn(
          `The account token (${source}) is not kept alive: ${message}`,
        );
        return;
      }
      wait = retry;
      log.warn(
        `Could not ping plex.tv to keep the account token (${source}) alive: ${message}. Trying again in ${
          hours(retry)
        }`,
      );
    }
    if (!await pause(wait, signal)) return;
  }
}
