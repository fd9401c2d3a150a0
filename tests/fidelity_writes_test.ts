/**
 * Writes the way real servers take them: a playlist's summary set by an
 * edit after creation, items checked in one request, and scans reported
 * finished only when they are.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../src/demo/fake_plex.ts";
import { connectStdio, textOf } from "./helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function rk(fake: FakePlex, title: string): string {
  return [...fake.library.items.values()].find((i) => i.raw.title === title)!
    .ratingKey;
}

Deno.test("create_playlist sets the summary with an edit (Plex ignores it on create) and reads it back", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const r = await client.callTool({
      name: "create_playlist",
      arguments: {
        title: "Noir",
        ratingKeys: [rk(fake, "Detour")],
        summary: "Shadows and fog",
      },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const s = r.structuredContent as Any;
    assert.equal(s.summary, "Shadows and fog");
    assert.equal(
      fake.library.playlists.get(s.ratingKey)!.raw.summary,
      "Shadows and fog",
    );
    const writes = fake.requests.filter((q) => q.method !== "GET")
      .map((q) => `${q.method} ${q.path.split("?")[0]}`);
    assert.deepEqual(writes, [
      "POST /playlists",
      `PUT /playlists/${s.ratingKey}`,
    ]);
    assert.ok(
      !fake.requests.find((q) => q.method === "POST")!.path.includes("summary"),
    );
  } finally {
    await close();
  }
});

Deno.test("items for a playlist are checked in one request; missing ones are named", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const keys = [
      rk(fake, "Detour"),
      rk(fake, "Charade"),
      rk(fake, "Nosferatu"),
    ];
    const r = await client.callTool({
      name: "create_playlist",
      arguments: { title: "Three", ratingKeys: keys },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const lookups = fake.requests.filter((q) =>
      q.path.startsWith("/library/metadata/")
    );
    assert.deepEqual(lookups.map((q) => q.path), [
      `/library/metadata/${keys.join(",")}`,
    ]);
    const bad = await client.callTool({
      name: "add_to_playlist",
      arguments: {
        playlist: "Three",
        ratingKeys: [keys[0], "999998", "999999"],
      },
    });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /No item with ratingKey 999998, 999999/);
  } finally {
    await close();
  }
});

Deno.test("scan_library waits for the scan it started, even when Plex lists it late", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    fake.scanActivityDelay = 3;
    const r = await client.callTool({
      name: "scan_library",
      arguments: { library: "1" },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.status, "finished", textOf(r));
    assert.equal(
      fake.library.activities.size,
      0,
      "the scan had really finished when reported",
    );
    const polls = fake.requests.filter((q) => q.path === "/activities");
    assert.ok(polls.length >= 6, `${polls.length} polls`);
  } finally {
    await close();
  }
});

Deno.test("scan_library reports a scan queued behind another library's", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // Another library's long scan is running.
    fake.library.activities.set("blocker", {
      uuid: "blocker",
      type: "library.update.section",
      title: "Scanning Silent Films",
      progress: -10_000,
      sectionId: 2,
    });
    const r = await client.callTool({
      name: "scan_library",
      arguments: { library: "1", timeout_seconds: 2 },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.status, "queued", textOf(r));
    assert.match(textOf(r), /queued behind another library's scan/);
  } finally {
    await close();
  }
});
