/**
 * Writes the way real servers take them: a playlist's summary set by an
 * edit after creation, items checked in one request, and scans reported
 * finished only when they are.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { SCAN_GRACE_MS } from "../../src/tools/admin/scan_library.ts";
import { connectStdio, TEST_TOKEN, textOf } from "../support/helpers.ts";

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
    // The edit as python-plexapi's live-tested editSummary sends it.
    const put = new URL(
      fake.requests.find((q) => q.method === "PUT")!.path,
      "http://x",
    ).searchParams;
    assert.equal(put.get("summary.value"), "Shadows and fog");
    assert.equal(put.get("summary.locked"), "1");
    assert.equal(put.get("summary"), null);
    assert.deepEqual(
      fake.library.playlists.get(s.ratingKey)!.raw.Field,
      [{ locked: true, name: "summary" }],
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

Deno.test("scan_library reports a scan queued behind another library's, though Plex marks it nowhere", async () => {
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
    // Longer than the grace period: an idle-looking library is not "done"
    // while Plex is busy with another one.
    const r = await client.callTool({
      name: "scan_library",
      arguments: { library: "1", timeout_seconds: SCAN_GRACE_MS / 1000 + 2 },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.status, "queued", textOf(r));
    assert.match(textOf(r), /queued behind another library's scan/);
    // As a real server shows a queued scan: not refreshing, not listed.
    assert.equal(fake.library.sections.get(1)!.raw.refreshing, false);
    const listed = (await (await fake.fetch("http://fake:32400/activities", {
      headers: { "X-Plex-Token": TEST_TOKEN, Accept: "application/json" },
    })).json()).MediaContainer.Activity as Any[];
    assert.deepEqual(
      listed.map((a) => a.Context.librarySectionID),
      ["2"],
    );
  } finally {
    await close();
  }
});

Deno.test("scan_library waits out the scan ahead of its own, then its own", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    fake.library.activities.set("blocker", {
      uuid: "blocker",
      type: "library.update.section",
      title: "Scanning Silent Films",
      progress: 0,
      sectionId: 2,
    });
    const before = fake.library.sections.get(1)!.raw.scannedAt;
    const r = await client.callTool({
      name: "scan_library",
      arguments: { library: "1" },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.status, "finished", textOf(r));
    assert.equal(fake.library.activities.size, 0, "both scans ran");
    assert.ok(
      Number(fake.library.sections.get(1)!.raw.scannedAt) > Number(before),
    );
  } finally {
    await close();
  }
});

Deno.test("scan_library sees a scan that finished before its first look, by the scan time read before the request", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    fake.instantScans = true;
    const started = Date.now();
    const r = await client.callTool({
      name: "scan_library",
      arguments: { library: "1" },
    });
    const s = r.structuredContent as Any;
    assert.equal(s.status, "finished", textOf(r));
    const polls = fake.requests.filter((q) => q.path === "/activities");
    assert.equal(polls.length, 1, "done at the first look, not after a grace");
    assert.ok(Date.now() - started < SCAN_GRACE_MS);
    // The scan time was read before the refresh was sent.
    const order = fake.requests.map((q) => q.path.split("?")[0]);
    const refresh = order.indexOf("/library/sections/1/refresh");
    assert.ok(order.slice(0, refresh).includes("/library/sections"));
  } finally {
    await close();
  }
});
