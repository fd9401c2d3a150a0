/**
 * Bounded answers: no answer grows with what a server holds. Strings in
 * structured content were cut, arrays were not: a log archive of 40,000
 * files with long names made an 11 MB answer. Every array of structured
 * content is now bounded, the answer says how many entries were left out
 * and how to get them, and the content still matches the tool's output
 * schema (the SDK client checks it).
 */
import assert from "node:assert/strict";
import { fakeLogs } from "../../src/demo/fake_plex/logs.ts";
import { MAX_STRUCTURED_ITEMS } from "../../src/structured.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { createScaleLibrary } from "../../src/demo/scale.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer } from "../../src/server.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";
import { Client, InMemoryTransport } from "../support/sdk_client.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a log archive of 40,000 files with long names makes a small answer that says what it left out", async () => {
  const { client, fake, close } = await connectInMemory({
    toolsets: ["server_care"],
  });
  try {
    const files = new Map<string, string>([
      [
        "Plex Media Server.log",
        "Dec 01, 2026 10:00:00.000 [0x7f01] INFO - Plex Media Server v1\n",
      ],
    ]);
    const long = "x".repeat(240);
    for (let i = 0; i < 40_000; i++) {
      files.set(`Plex Transcoder Statistics ${i} ${long}.log`, "");
    }
    fakeLogs(fake).files = files;
    // Listed first, so the client checks the answer against the schema.
    await client.listTools();
    const r = await client.callTool({
      name: "get_server_logs",
      arguments: {},
    });
    assert.equal(r.isError, undefined, textOf(r).slice(0, 500));
    const bytes = JSON.stringify(r).length;
    assert.ok(bytes < 600_000, `${bytes} bytes`);
    const sc = r.structuredContent as Any;
    assert.ok(sc.files.length >= 1 && sc.files.length <= MAX_STRUCTURED_ITEMS);
    assert.equal(sc.lines.length, 1, "the lines asked for are all there");
    const left = 40_001 - sc.files.length;
    assert.match(
      textOf(r),
      new RegExp(
        `files lists ${sc.files.length.toLocaleString("en-US")} of 40,001 \\(${
          left.toLocaleString("en-US")
        } left out\\)\\. To see the rest, narrow the request`,
      ),
    );
    assert.deepEqual((r._meta as Any)["plexmcp/cut"], [
      { at: "files", kept: sc.files.length, total: 40_001 },
    ]);
  } finally {
    await close();
  }
});

Deno.test("a paged list cut by size says to page with a smaller limit", async () => {
  // 100 movies with 5,000-character titles (cut to 4,000): a page of 100
  // is over the budget of one array.
  const fake = new FakePlex({
    library: createScaleLibrary({ movies: 100, episodes: 0 }),
  });
  for (const item of fake.library.items.values()) {
    item.raw.title = `${item.raw.title} ${"y".repeat(5_000)}`;
  }
  const plex = new PlexClient({
    baseUrl: "http://fake:32400",
    token: "demo-token",
    fetch: fake.fetch,
  });
  const server = createServer({
    plex,
    logger: new Logger({ write: () => {} }),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "bounded", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    await client.listTools();
    const r = await client.callTool({
      name: "browse_library",
      arguments: { library: "Generated Movies", limit: 100 },
    });
    assert.equal(r.isError, undefined, textOf(r).slice(0, 300));
    const sc = r.structuredContent as Any;
    const cut = (r._meta as Any)?.["plexmcp/cut"];
    assert.deepEqual(cut, [{ at: "items", kept: sc.items.length, total: 100 }]);
    assert.ok(sc.items.length > 10 && sc.items.length < 100);
    assert.match(
      textOf(r),
      new RegExp(
        `items lists ${sc.items.length} of 100 \\(${
          100 - sc.items.length
        } left out\\)\\. To see the rest, ask for a smaller page \\(limit\\) and page on with offset\\.`,
      ),
    );
    assert.ok(JSON.stringify(r).length < 600_000);
  } finally {
    await client.close();
  }
});

Deno.test("a resource is bounded the same way: 1,500 sessions read as plex://sessions are cut and say so", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const one = fake.library.sessions[0]!;
    fake.library.sessions = Array.from({ length: 1_500 }, (_, i) => ({
      ...one,
      sessionKey: String(i + 1),
      Session: { id: `s${i}`, bandwidth: 1000, location: "lan" },
    }));
    const r = await client.readResource({ uri: "plex://sessions" });
    const content = r.contents[0] as Any;
    const value = JSON.parse(content.text);
    assert.ok(value.sessions.length <= MAX_STRUCTURED_ITEMS);
    assert.equal(value.total, 1_500, "the count of all of them stays");
    assert.deepEqual(content._meta["plexmcp/cut"], [
      { at: "sessions", kept: value.sessions.length, total: 1_500 },
    ]);
    assert.ok(content.text.length < 600_000);
  } finally {
    await close();
  }
});
