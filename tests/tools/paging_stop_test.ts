/**
 * A walk over pages has a hard stop even when the caller names none: a
 * PlexClient made without `maxPages` (as the server makes it) stops after
 * 1,000 pages of a list that never ends, instead of walking forever. (A
 * default of "no limit" passed every other test.)
 */
import assert from "node:assert/strict";
import { PlexClient } from "../../src/plex/client.ts";
import { PlexResponseError } from "../../src/transport/errors.ts";

Deno.test("PlexClient.iterate() stops after 1,000 pages by default", async () => {
  let served = 0;
  // Every page a new full page and no totalSize: a list that goes on.
  const plex = new PlexClient({
    baseUrl: "http://fake:32400",
    token: "demo-token",
    fetch: (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === "/identity") {
        return Promise.resolve(Response.json({ MediaContainer: {} }));
      }
      // Past 1,500 pages the list ends, so a walk without a stop ends too
      // (and fails the test) instead of hanging it.
      if (served >= 1_500) {
        return Promise.resolve(
          Response.json({ MediaContainer: { size: 0, Metadata: [] } }),
        );
      }
      const key = String(served++);
      return Promise.resolve(Response.json({
        MediaContainer: {
          size: 1,
          Metadata: [{ ratingKey: key, title: key, type: "movie" }],
        },
      }));
    },
  });
  let walked = 0;
  const error = await (async () => {
    for await (const _ of plex.iterate("/playlists/1/items", { limit: 1 })) {
      walked++;
    }
  })().catch((e) => e);
  assert.ok(error instanceof PlexResponseError, String(error));
  assert.match(
    error.message,
    /^Stopped walking GET \/playlists\/1\/items after 1000 pages \(1000 items\)/,
  );
  assert.equal(served, 1_000);
  assert.equal(walked, 1_000);
});
