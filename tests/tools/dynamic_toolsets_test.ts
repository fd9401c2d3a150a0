/**
 * Dynamic mode (`PLEX_TOOLSETS=dynamic`): a small core at start, toolsets
 * turned on by the model, and the client told that the list changed.
 */
import assert from "node:assert/strict";
import { spawnServer, textOf } from "../support/helpers.ts";
import { ToolListChangedNotificationSchema } from "../support/sdk_client.ts";

Deno.test("dynamic mode starts small, enable_toolset adds tools and sends list_changed", async () => {
  const s = await spawnServer({
    env: { PLEX_TOOLSETS: "dynamic", PLEX_READ_ONLY: "true" },
    args: ["--demo"],
  });
  try {
    let changed = 0;
    s.client.setNotificationHandler(
      ToolListChangedNotificationSchema,
      () => void changed++,
    );
    const first = (await s.client.listTools()).tools.map((t) => t.name);
    assert.deepEqual(first, [
      "get_plex_status",
      "get_libraries",
      "list_toolsets",
      "enable_toolset",
    ]);
    const before = await s.client.callTool({
      name: "search_media",
      arguments: { query: "night" },
    });
    assert.equal(before.isError, true, "not offered yet");

    const listed = await s.client.callTool({
      name: "list_toolsets",
      arguments: {},
    });
    assert.match(textOf(listed), /library \(off\)/);

    const on = await s.client.callTool({
      name: "enable_toolset",
      arguments: { toolset: "library" },
    });
    assert.match(textOf(on), /Turned on library: search_media, /);
    const deadline = Date.now() + 2_000;
    while (changed === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(changed, 1, "notifications/tools/list_changed sent");
    const now = (await s.client.listTools()).tools.map((t) => t.name);
    assert.ok(now.includes("search_media"));
    const after = await s.client.callTool({
      name: "search_media",
      arguments: { query: "night" },
    });
    assert.equal(after.isError, undefined);

    // Read-only still wins: the playlists toolset adds only its reads.
    const playlists = await s.client.callTool({
      name: "enable_toolset",
      arguments: { toolset: "playlists" },
    });
    assert.match(textOf(playlists), /list_playlists, get_playlist\.$/);
    const again = await s.client.callTool({
      name: "enable_toolset",
      arguments: { toolset: "library" },
    });
    assert.match(textOf(again), /already on/);
  } finally {
    await s.close();
  }
});
