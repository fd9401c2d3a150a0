/**
 * A PlexClient over a handler instead of a server, for the unit tests of
 * the client and the transport under it.
 *
 * @module
 */
import { PlexClient } from "../../src/plex/client.ts";

/** The token the test client sends. */
export const TOKEN = "unit-SECRET-token-123456";
/** The test server's address. */
export const BASE = "http://plex.test:32400";

/** Answers one request. */
export type Handler = (req: Request) => Response | Promise<Response>;

/** A PlexClient whose fetch is `handler`, with the requests it saw. */
export function client(
  handler: Handler,
  extra: Partial<ConstructorParameters<typeof PlexClient>[0]> = {},
): { plex: PlexClient; seen: Request[] } {
  const seen: Request[] = [];
  const plex = new PlexClient({
    baseUrl: BASE,
    token: TOKEN,
    retryDelayMs: 1,
    sleep: () => Promise.resolve(),
    fetch: (input, init) => {
      const req = new Request(input, init);
      seen.push(req);
      return Promise.resolve(handler(req));
    },
    ...extra,
  });
  return { plex, seen };
}

/** A JSON answer. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** Answers /identity as Plex does, everything else with `other`. */
export function plexIdentity(other: Handler): Handler {
  return (req) =>
    new URL(req.url).pathname === "/identity"
      ? json({ MediaContainer: { size: 0, machineIdentifier: "abc" } })
      : other(req);
}
