/**
 * Optional live suite: runs every read-only tool against a real Plex server.
 *
 *   PLEX_SERVER_URL=http://192.168.1.10:32400 PLEX_TOKEN=… deno task test:live
 *
 * Skipped (with a printed reason) unless both variables are set. It changes
 * nothing on the server: only read-only tools are registered.
 */
import assert from "node:assert/strict";
import { serverArgs, textOf } from "./support/helpers.ts";
import { Client, StdioClientTransport } from "./support/sdk_client.ts";

const url = Deno.env.get("PLEX_SERVER_URL");
const token = Deno.env.get("PLEX_TOKEN");
const enabled = Boolean(url && token);
if (!enabled) {
  // deno-lint-ignore no-console
  console.warn(
    "live suite skipped: set PLEX_SERVER_URL and PLEX_TOKEN to run it against a real server",
  );
}

Deno.test({
  name: "live: every read-only tool answers a real server",
  ignore: !enabled,
  fn: async (t) => {
    const host = new URL(url!).host;
    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: serverArgs({ allowNet: host }),
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        PLEX_SERVER_URL: url!,
        PLEX_TOKEN: token!,
        PLEX_READ_ONLY: "true",
      },
      stderr: "pipe",
    });
    const client = new Client({ name: "live", version: "1" });
    await client.connect(transport);
    const outputs: string[] = [];
    // Admin-only endpoints may refuse a non-owner token; that must be a clear message.
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const r = await client.callTool({ name, arguments: args });
      outputs.push(JSON.stringify(r));
      if (r.isError) {
        assert.doesNotMatch(
          textOf(r),
          /failed unexpectedly/,
          `${name}: ${textOf(r)}`,
        );
        assert.match(textOf(r), /401|403/, `${name}: ${textOf(r)}`);
      }
      return r;
    };
    try {
      const { tools } = await client.listTools();
      assert.ok(
        tools.every((x) => x.annotations?.readOnlyHint),
        "read-only mode",
      );
      await t.step("server and libraries", async () => {
        assert.notEqual((await call("get_plex_status")).isError, true);
        const libs = await call("get_libraries");
        const libraries = (libs.structuredContent as {
          libraries: { key: string; type: string }[];
        }).libraries;
        for (const lib of libraries.slice(0, 3)) {
          const page = await call("browse_library", {
            library: lib.key,
            limit: 3,
          });
          const items = (page.structuredContent as {
            items: { ratingKey: string; type: string }[];
          }).items;
          if (items[0]) {
            await call("get_media_details", { ratingKey: items[0].ratingKey });
            if (["show", "artist", "season", "album"].includes(items[0].type)) {
              await call("get_children", {
                ratingKey: items[0].ratingKey,
                limit: 3,
              });
            }
          }
          await call("list_collections", { library: lib.key, limit: 3 });
        }
      });
      await t.step("discovery and activity", async () => {
        await call("search_media", { query: "the", limit: 5 });
        await call("get_recently_added", { limit: 5 });
        await call("get_on_deck", { limit: 5 });
        await call("get_active_sessions");
        await call("get_watch_history", { limit: 5 });
        await call("list_playlists", { limit: 5 });
        await call("list_clients");
        await call("list_users");
        await call("list_butler_tasks");
      });
    } finally {
      await client.close();
    }
    for (const o of outputs) {
      assert.ok(!o.includes(token!), "token leaked into a result");
    }
  },
});
