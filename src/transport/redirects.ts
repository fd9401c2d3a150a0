/**
 * Which redirects a request follows: only within the configured origin
 * (another host, port or scheme would receive the token), only a few
 * times, and a write only when its method is kept (307/308).
 *
 * @module
 */
import { PlexRedirectError } from "./errors.ts";
import type { HttpMethod } from "./types.ts";

/** The statuses that redirect. */
export const REDIRECT_STATUS: ReadonlySet<number> = new Set([
  301,
  302,
  303,
  307,
  308,
]);

/** Where a redirect stays allowed to go. */
export interface RedirectRules {
  /** The configured origin. */
  origin: string;
  /** Most redirects followed. */
  maxRedirects: number;
  /** Removes secrets from a message. */
  redact: (text: string) => string;
}

/** The address a redirect leads to, or a {@link PlexRedirectError}. */
export function redirectTarget(
  response: Response,
  from: string,
  endpoint: string,
  method: HttpMethod,
  hop: number,
  rules: RedirectRules,
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
  if (to.origin !== rules.origin) {
    throw new PlexRedirectError(
      rules.redact(
        `${rules.origin} redirected ${endpoint} to another server, ${to.host} (${
          to.protocol.slice(0, -1)
        }); not followed, so the Plex token is not sent there. A sign-in page or proxy in front of Plex (single sign-on) does this: set PLEX_SERVER_URL to an address that reaches Plex itself`,
      ),
      endpoint,
      response.status,
      to.host,
    );
  }
  if (hop + 1 > rules.maxRedirects) {
    throw new PlexRedirectError(
      `Plex redirected ${endpoint} more than ${rules.maxRedirects} times (a redirect loop); check PLEX_SERVER_URL`,
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
