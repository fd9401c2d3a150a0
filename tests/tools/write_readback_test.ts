/**
 * A write that did not take says so. Against a Plex that accepts every
 * write (2xx, its usual answer) and keeps nothing (the fake's
 * `forget-writes` fault), every write tool of every toolset either reads
 * its result back and answers an error that says the change did not take
 * and what Plex holds now, or, where nothing can be read back (a command
 * to a player, a task Plex runs on its own), says only what it knows:
 * what it sent and what Plex or the player answered. Without the fault
 * the same calls succeed, so the error is the read-back's doing.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { SCAN_GRACE_MS } from "../../src/tools/admin/scan_library.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";
import { playOnLivingRoomTv, validArgs } from "../support/tool_args.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/**
 * Writes that cannot read their result back, and what each may say: the
 * request it sent, as sent, or as Plex (or the player) acknowledged it.
 */
const SAYS_ONLY_WHAT_IT_SENT: Record<string, RegExp> = {
  play_media:
    /^Sent \[\d+\] .* to Living Room TV to play \(play queue \d+\)\.$/,
  control_playback: /^Sent pause to Living Room TV\.$/,
  navigate_player: /^Sent down ×2 to Living Room TV\.$/,
  scan_library: /^Asked Plex to scan \[1\] Classic Movies \(not waited for/,
  run_butler_task: /^Plex started BackupDatabase \(Backup Database\)\.$/,
  refresh_metadata:
    /^Asked Plex to refresh \[\d+\] movie "Detour"; nothing changed yet/,
  empty_trash:
    /^Asked Plex to empty the trash of \[1\] Classic Movies; Plex listed no activity for it: 8 items before, 8 after\.$/,
  clean_bundles: /^Plex accepted the bundle clean-up;/,
  optimize_database: /^Plex accepted the database optimization;/,
};

/** Arguments besides the valid ones: a change the read-back can see. */
const OVERRIDES: Record<string, Record<string, unknown>> = {
  scan_library: { wait: false },
  set_player_streams: { audio: "eng", subtitle: undefined },
  control_playback: { action: "pause" },
};

Deno.test("every write tool, against a Plex that accepts every write and keeps nothing, says the change did not take or claims only what it sent", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const tools = (await client.listTools()).tools.filter((t) =>
      t.annotations?.readOnlyHint === false
    );
    assert.ok(tools.length >= 30, `${tools.length} write tools`);
    const run = async (tool: Any, forget: boolean) => {
      // A fresh library for each call, a film playing on the TV.
      Object.assign(fake.library, new FakePlex().library);
      playOnLivingRoomTv(fake.library);
      const args: Record<string, unknown> = {
        ...validArgs(fake.library)[tool.name],
        ...OVERRIDES[tool.name],
      };
      if ("confirm" in (tool.inputSchema.properties ?? {})) args.confirm = true;
      fake.fault = forget ? "forget-writes" : undefined;
      try {
        return await client.callTool({ name: tool.name, arguments: args });
      } finally {
        fake.fault = undefined;
      }
    };
    const readBack: string[] = [];
    for (const tool of tools) {
      const forgotten = await run(tool, true);
      const text = textOf(forgotten);
      const said = SAYS_ONLY_WHAT_IT_SENT[tool.name];
      if (said) {
        assert.equal(forgotten.isError, undefined, `${tool.name}: ${text}`);
        assert.match(text, said, `${tool.name}: ${text}`);
        continue;
      }
      readBack.push(tool.name);
      assert.equal(forgotten.isError, true, `${tool.name}: ${text}`);
      assert.match(
        text,
        /^(Plex|plex\.tv|Living Room TV) accepted .+, but the change did not take: .+\./,
        tool.name,
      );
      // Without the fault, the same call succeeds.
      const kept = await run(tool, false);
      assert.equal(kept.isError, undefined, `${tool.name}: ${textOf(kept)}`);
      assert.doesNotMatch(textOf(kept), /did not take/, tool.name);
    }
    // Every write tool is one or the other, and these read back.
    for (
      const name of [
        "rate_media",
        "mark_watched",
        "mark_unwatched",
        "create_playlist",
        "add_to_playlist",
        "remove_from_playlist",
        "delete_playlist",
        "move_playlist_item",
        "edit_playlist",
        "update_metadata",
        "set_artwork",
        "match_item",
        "create_collection",
        "set_player_volume",
        "set_player_streams",
        "add_to_watchlist",
        "copy_playlist_to_user",
        "set_subtitles",
      ]
    ) {
      assert.ok(readBack.includes(name), `${name} reads back`);
    }
    assert.equal(
      readBack.length + Object.keys(SAYS_ONLY_WHAT_IT_SENT).length,
      tools.length,
    );
  } finally {
    await close();
  }
});

Deno.test("rate_media on a Plex that keeps nothing: says the 8/10 did not take and what Plex holds, as an error with the item", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!;
    detour.raw.userRating = 4;
    fake.fault = "forget-writes";
    const r = await client.callTool({
      name: "rate_media",
      arguments: { ratingKey: detour.ratingKey, rating: 8 },
    });
    assert.equal(r.isError, true);
    assert.equal(
      textOf(r),
      `Plex accepted your 8/10 for [${detour.ratingKey}] Detour (1945), but the change did not take: your rating of it is 4/10.`,
    );
    const s = r.structuredContent as Any;
    assert.equal(s.rating, 4);
    assert.equal(s.previous, 4);
    assert.equal(detour.raw.userRating, 4, "nothing was kept");
  } finally {
    await close();
  }
});

Deno.test("scan_library waiting on a Plex that keeps nothing does not claim the scan ran", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    fake.fault = "forget-writes";
    const r = await client.callTool({
      name: "scan_library",
      arguments: { library: "1", timeout_seconds: SCAN_GRACE_MS / 1000 + 3 },
    });
    assert.equal(r.isError, undefined, textOf(r));
    assert.match(
      textOf(r),
      /^Plex listed no scan of \[1\] Classic Movies and kept its last scan time: it scanned too quickly to see, or not at all: 8 items before, 8 after\.$/,
    );
  } finally {
    await close();
  }
});
