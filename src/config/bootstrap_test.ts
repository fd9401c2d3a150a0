import assert from "node:assert/strict";
import { plexTvHosts } from "./bootstrap.ts";

const urls = {
  plexTvUrl: "https://plex.tv",
  discoverUrl: "https://discover.provider.plex.tv",
};

Deno.test("plexTvHosts(): plex.tv always (per-user views), Discover only when the watchlist tools can be on", () => {
  assert.deepEqual(
    plexTvHosts({
      ...urls,
      toolsets: ["server", "library"],
      dynamicToolsets: false,
    }),
    ["plex.tv"],
  );
  for (
    const on of [
      { toolsets: ["server", "insights"] as const, dynamicToolsets: false },
      // where_to_watch asks Discover too.
      { toolsets: ["server", "watch"] as const, dynamicToolsets: false },
      { toolsets: undefined, dynamicToolsets: false },
      { toolsets: ["server"] as const, dynamicToolsets: true },
    ]
  ) {
    assert.deepEqual(
      plexTvHosts({
        ...urls,
        ...on,
        toolsets: on.toolsets && [...on.toolsets],
      }),
      ["plex.tv", "discover.provider.plex.tv"],
    );
  }
  // A stand-in plex.tv (tests, PLEX_TV_URL) is named with its port.
  assert.deepEqual(
    plexTvHosts({
      plexTvUrl: "http://127.0.0.1:4100",
      discoverUrl: "http://127.0.0.1:4100",
      toolsets: undefined,
      dynamicToolsets: false,
    }),
    ["127.0.0.1:4100"],
  );
});
