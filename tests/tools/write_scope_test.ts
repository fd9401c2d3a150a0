/**
 * Writes touch only what the user named: exact names, safe ids, destructive
 * writes that ask first, a confirmation nobody answers, and the read-back
 * rules of mark_watched. Each check reads the fake's request log, so "no
 * request was made" is proven, not assumed.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer } from "../../src/server.ts";
import { connectStdio, textOf } from "../support/helpers.ts";
import {
  Client,
  ElicitRequestSchema,
  InMemoryTransport,
  LoggingMessageNotificationSchema,
} from "../support/sdk_client.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function writes(fake: FakePlex): string[] {
  return fake.requests.filter((r) => r.method !== "GET").map((r) =>
    `${r.method} ${r.path}`
  );
}

Deno.test("write tools take an id or a whole name only; reads still take a part", async () => {
  const { client, fake, close } = await connectStdio();
  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  try {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "delete_playlist",
        { playlist: "Halloween", confirm: true },
        /No playlist is named exactly "Halloween"; changes need the id or the full name. Did you mean "Halloween Night" \(\d+\)\?/,
      ],
      [
        "add_to_playlist",
        { playlist: "  ", ratingKeys: ["1000"] },
        /The playlist name is blank: give its id or full name. Choices: "Halloween Night"/,
      ],
      [
        "scan_library",
        { library: "Classic", wait: false },
        /No library is named exactly "Classic".*"Classic Movies" \(1\)/,
      ],
      [
        "run_butler_task",
        { name: "backup" },
        /No maintenance task is named exactly "backup".*BackupDatabase/,
      ],
      [
        "play_media",
        { client: "Living", ratingKey: "1000" },
        /No player is named exactly "Living".*"Living Room TV"/,
      ],
    ];
    for (const [tool, args, message] of cases) {
      const r = await call(tool, args);
      assert.equal(r.isError, true, tool);
      assert.match(textOf(r), message, tool);
    }
    assert.deepEqual(writes(fake), [], "no write was sent");
    // A whole name, any case, with spaces around, is fine for a write.
    const ok = await call("delete_playlist", {
      playlist: "  halloween NIGHT ",
      confirm: true,
    });
    assert.equal(ok.isError, undefined, textOf(ok));
    // Reads keep matching a unique part of a name.
    const read = await call("list_collections", { library: "classic" });
    assert.equal(read.isError, undefined, textOf(read));
    // What the user typed is quoted short, however long it is.
    const long = await call("delete_playlist", {
      playlist: "x".repeat(1_000_000),
      confirm: true,
    });
    assert.ok(textOf(long).length < 1_000);
  } finally {
    await close();
  }
});

Deno.test("ids from Plex that could leave their endpoint are refused before any request", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    // A server (or something in front of it) answers with a hostile id.
    const [key, playlist] = [...fake.library.playlists.entries()][0]!;
    fake.library.playlists.delete(key);
    const evil = "1/../../library/sections/1";
    fake.library.playlists.set(evil, playlist);
    const before = fake.requests.length;
    const r = await client.callTool({
      name: "delete_playlist",
      arguments: { playlist: String(playlist.raw.title), confirm: true },
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /playlist id that is not safe to use in a request/);
    assert.deepEqual(
      fake.requests.slice(before).map((q) => `${q.method} ${q.path}`),
      ["GET /playlists"],
      "only the listing was read",
    );
    // A player whose identifier would inject a header line.
    fake.library.clients[0]!.raw.machineIdentifier = "tv\r\nX-Evil: 1";
    const p = await client.callTool({
      name: "control_playback",
      arguments: { client: "Living Room TV", action: "pause" },
    });
    assert.match(textOf(p), /player id that is not safe/);
    assert.deepEqual(writes(fake), []);
  } finally {
    await close();
  }
});

Deno.test("destructive maintenance asks first; harmless tasks and plain scans do not", async () => {
  const { client, fake, close } = await connectStdio();
  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  try {
    const optimize = await call("run_butler_task", {
      name: "OptimizeDatabase",
    });
    assert.match(
      textOf(optimize),
      /Run OptimizeDatabase .* deletes or rewrites data .* cannot be undone/,
    );
    const force = await call("scan_library", {
      library: "1",
      force: true,
      wait: false,
    });
    assert.match(textOf(force), /Refresh all metadata .* cannot be undone/);
    assert.deepEqual(writes(fake), [], "nothing ran without consent");
    const backup = await call("run_butler_task", { name: "BackupDatabase" });
    assert.equal(backup.isError, undefined, textOf(backup));
    const scan = await call("scan_library", { library: "1", wait: false });
    assert.equal(scan.isError, undefined, textOf(scan));
    const forced = await call("scan_library", {
      library: "1",
      force: true,
      wait: false,
      confirm: true,
    });
    assert.equal(forced.isError, undefined, textOf(forced));
    assert.deepEqual(writes(fake).map((w) => w.replace(/\?.*/, "")), [
      "POST /butler/BackupDatabase",
    ]);
    // Scans are GET refreshes in the fake's log: check them by path.
    const refreshes = fake.requests.filter((q) => q.path.includes("/refresh"))
      .map((q) => q.path);
    assert.deepEqual(refreshes, [
      "/library/sections/1/refresh",
      "/library/sections/1/refresh?force=1",
    ]);
  } finally {
    await close();
  }
});

Deno.test("mark_watched leaves a watched item alone unless forced", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const watched = [...fake.library.items.values()].find((i) =>
      i.raw.type === "movie" && Number(i.raw.viewCount ?? 0) > 0
    )!;
    const scrobbles = () =>
      fake.requests.filter((r) => r.path.startsWith("/:/scrobble")).length;
    const r = await client.callTool({
      name: "mark_watched",
      arguments: { ratingKey: watched.ratingKey },
    });
    assert.equal((r.structuredContent as Any).changed, false);
    assert.equal(scrobbles(), 0, "no scrobble for an already-watched item");
    await client.callTool({
      name: "mark_watched",
      arguments: { ratingKey: watched.ratingKey, force: true },
    });
    assert.equal(scrobbles(), 1, "force: true scrobbles");
  } finally {
    await close();
  }
});

Deno.test("a confirmation nobody answers ends with 'nothing was changed', and notifications carry no stack", async () => {
  const fake = new FakePlex();
  const plex = new PlexClient({
    baseUrl: "http://fake:32400",
    token: "demo-token",
    fetch: fake.fetch,
  });
  const server = createServer(
    { plex, logger: new Logger({ write: () => {}, level: "debug" }) },
    { confirmTimeoutMs: 200 },
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "silent", version: "1" }, {
    capabilities: { elicitation: {} },
  });
  // The client shows the question and the user walks away.
  client.setRequestHandler(ElicitRequestSchema, () => new Promise(() => {}));
  const notes: string[] = [];
  client.setNotificationHandler(
    LoggingMessageNotificationSchema,
    (n) => void notes.push(JSON.stringify(n.params)),
  );
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    const r = await client.callTool({
      name: "delete_playlist",
      arguments: { playlist: "Halloween Night" },
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      /No answer to the confirmation question, so nothing was changed/,
    );
    assert.equal(fake.library.playlists.size, 1, "nothing deleted");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(notes.length > 0, "the failure was logged");
    for (const n of notes) {
      assert.doesNotMatch(n, /\\n\s+at\s|file:\/\/|\.ts:\d+/);
    }
  } finally {
    await client.close();
  }
});

Deno.test("get_watch_history refuses a since it cannot read, naming the forms", async () => {
  const { client, close } = await connectStdio();
  try {
    const r = await client.callTool({
      name: "get_watch_history",
      arguments: { since: "March 7" },
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      /since "March 7" is not a date or span: use a date/,
    );
  } finally {
    await close();
  }
});
