/**
 * MCP answers keep text readable: a friend who shares a server chooses its
 * name, and whoever runs a server chooses its titles. An escape sequence in
 * them (OSC 52 writes the clipboard, CSI 2J clears the screen, a bidi
 * override turns text around) reaches no client: the server's boundary
 * shows every control character (printable(), newline and tab kept) in
 * tool text, structured content, errors, resources, prompts, completions
 * and log notifications, in the same walk as redaction.
 */
import assert from "node:assert/strict";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer } from "../../src/server.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import {
  Client,
  InMemoryTransport,
  LoggingMessageNotificationSchema,
} from "../support/sdk_client.ts";
import { textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** What a terminal would obey: C0 but newline/tab, DEL, C1, bidi controls. */
const UNSAFE =
  // deno-lint-ignore no-control-regex
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const OSC52 = "\x1b]52;c;ZXZpbA==\x07";
const CLEAR = "\x1b[2J\x1b[H";

/** Every string in `value`, object keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

Deno.test("escape sequences in a server's name and titles reach no client: tools, errors, resources, prompts, completions, logs", async () => {
  const fake = new FakePlex();
  const lib = fake.library;
  lib.name = `Cabin${OSC52}`;
  const section = lib.sections.get(1)!;
  section.raw.title = `Classic${CLEAR} Movies`;
  const movie = [...lib.items.values()].find((i) => i.raw.title === "Detour")!;
  movie.raw.title = `Detour\x9b2J\u202eevil`;
  movie.raw.summary = `Line one\r\nline two\rOVERWRITTEN\ttab`;
  const playlist = [...lib.playlists.values()].find((p) =>
    p.raw.title === "Halloween Night"
  )!;
  playlist.raw.title = `Halloween${CLEAR} Night`;
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
  const client = new Client({ name: "terminal", version: "1" });
  const logs: unknown[] = [];
  client.setNotificationHandler(
    LoggingMessageNotificationSchema,
    (n) => void logs.push(n),
  );
  await Promise.all([server.connect(a), client.connect(b)]);
  const received: unknown[] = [];
  const deliver = b.onmessage;
  b.onmessage = (message, extra) => {
    received.push(message);
    deliver?.(message, extra);
  };
  try {
    await client.setLoggingLevel("debug");
    const call = (name: string, args: Record<string, unknown> = {}) =>
      client.callTool({ name, arguments: args });
    const status = await call("get_plex_status");
    assert.match(textOf(status), /Cabin␛\]52;c;ZXZpbA==␇/, "shown, not run");
    await call("get_libraries");
    const search = await call("search_media", { query: "Detour" });
    assert.match(textOf(search), /Detour\\u\{9b\}2J\\u\{202e\}evil/);
    const details = await call("get_media_details", {
      ratingKey: movie.ratingKey,
    });
    const summary = (details.structuredContent as Any).summary as string;
    assert.equal(summary, "Line one\nline two␍OVERWRITTEN\ttab");
    // An error quoting a title (a partial name a write refuses).
    const refused = await call("delete_playlist", {
      playlist: "Halloween",
      confirm: true,
    });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /Did you mean "Halloween␛\[2J␛\[H Night"/);
    await client.listResources();
    await client.readResource({ uri: "plex://libraries" });
    await client.readResource({ uri: "plex://library/1" });
    await client.readResource({ uri: `plex://media/${movie.ratingKey}` });
    const completion = await client.complete({
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "Cla" },
    });
    assert.deepEqual(completion.completion.values, [
      "Classic␛[2J␛[H Movies",
    ]);
    // The client sends back what it was offered.
    await client.getPrompt({
      name: "library_report",
      arguments: { library: section.raw.title as string },
    });
    // A JSON-RPC error quoting what the client sent.
    await client.readResource({ uri: `plex://nothing/${CLEAR}` }).catch(
      () => {},
    );
    assert.ok(logs.length > 0, "the refused write was logged to the client");
    assert.ok(received.length >= 12, `${received.length} messages`);
    const unsafe = received.flatMap((m) => strings(m)).filter((s) =>
      UNSAFE.test(s)
    );
    assert.deepEqual(unsafe, []);
  } finally {
    await client.close();
  }
});
