/**
 * The boundary where messages enter and leave the server: argument keys
 * the SDK would lose are refused whatever the transport, client-supplied
 * text is quoted back short (in answers and on stderr), and notifications
 * never carry a local path.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { clipStrings, Logger, MAX_STRUCTURED_STRING } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer, stripLocalDetails } from "../../src/server.ts";
import { textOf } from "../support/helpers.ts";
import { RawServer } from "../support/raw_server.ts";
import { Client, InMemoryTransport } from "../support/sdk_client.ts";

Deno.test("createServer refuses an argument named __proto__ over the SDK's in-memory transport too", async () => {
  const fake = new FakePlex();
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
  const client = new Client({ name: "embedder", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    // As a client that parses JSON sends it: an own key named __proto__.
    const proto = await client.callTool({
      name: "get_libraries",
      arguments: JSON.parse('{"__proto__": {"x": 1}}'),
    });
    const bogus = await client.callTool({
      name: "get_libraries",
      arguments: { bogus: 1 },
    });
    assert.equal(proto.isError, true, "refused, not run without the key");
    assert.equal(
      textOf(proto),
      textOf(bogus).replace('"bogus"', '"__proto__"'),
    );
    // Other calls are untouched.
    const ok = await client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(ok.isError, undefined);
  } finally {
    await client.close();
  }
});

Deno.test("client-supplied text is quoted back at most 60 characters long, in answers and on stderr; a validation error lists ten problems", async () => {
  const s = new RawServer(["--demo"], { DEV_LOG_LEVEL: "debug" });
  const long = (c: string) => c.repeat(5_000);
  try {
    await s.initialize();
    const requests: [string, unknown][] = [
      ["tools/call", { name: long("T"), arguments: {} }],
      [
        "tools/call",
        { name: "get_libraries", arguments: { [long("K")]: 1 } },
      ],
      [
        "tools/call",
        {
          name: "get_libraries",
          arguments: Object.fromEntries(
            Array.from({ length: 100 }, (_, i) => [`${long("X")}${i}`, i]),
          ),
        },
      ],
      // A hundred bad values (the most ratingKeys takes): ten listed.
      ["tools/call", {
        name: "create_playlist",
        arguments: { title: "x", ratingKeys: Array(100).fill(false) },
      }],
      ["tools/call", {
        name: "delete_playlist",
        arguments: { playlist: long("N"), confirm: true },
      }],
      ["resources/read", { uri: `plex://${long("U")}` }],
      ["resources/read", { uri: `plex://media/${long("M")}` }],
      ["resources/read", { uri: `plex://library/${long("L")}` }],
      ["prompts/get", { name: long("P") }],
      [
        "prompts/get",
        { name: "library_report", arguments: { [long("A")]: "x" } },
      ],
      ["completion/complete", {
        ref: { type: "ref/prompt", name: long("C") },
        argument: { name: "x", value: "" },
      }],
      ["completion/complete", {
        ref: { type: "ref/resource", uri: long("R") },
        argument: { name: "key", value: "" },
      }],
    ];
    let id = 1;
    for (const [method, params] of requests) {
      await s.send({ jsonrpc: "2.0", id, method, params });
      const answer = await s.answer(id++);
      const text = JSON.stringify(answer);
      assert.ok(answer.error || answer.result?.isError, `${method}: refused`);
      assert.ok(
        !/(.)\1{60}/.test(text),
        `${method} echoed more than 60 characters: ${text.slice(0, 300)}`,
      );
      assert.ok(text.length < 2_000, `${method}: ${text.length} characters`);
    }
    // The 100 unknown keys: five named, the rest counted.
    const many = textOf(s.messages.find((m) => m.id === 3).result);
    assert.match(
      textOf(s.messages.find((m) => m.id === 4).result),
      /at ratingKeys\.9\nand 90 more problems at ratingKeys$/,
    );
    assert.match(
      many,
      /Unrecognized keys: ("X{60}…\d*", ){4}"X{60}…" and 95 more/,
    );
    await s.closeStdin();
    await s.exit(performance.now());
    assert.ok(s.stderr.length > 0, "the server logged");
    assert.ok(
      !/(.)\1{60}/.test(s.stderr),
      `stderr echoed more than 60 characters: ${s.stderr.slice(0, 300)}`,
    );
  } finally {
    await s.dispose();
  }
});

Deno.test("stripLocalDetails() removes stack frames, file URLs and absolute local paths, not Plex's API paths", () => {
  const text = [
    "get_libraries failed unexpectedly: ENOENT: no such file, open '/home/ann/.cache/plex/x.json'",
    "    at readFile (file:///work/app/src/tools/get_libraries.ts:12:5)",
    "config at /Users/bob/Library/Preferences/plexmcp.json and C:\\Users\\Ann\\plexmcp\\.env",
    "share \\\\nas\\media\\movies, module /work/app/src/server.ts:310:17, temp /tmp/x",
    "Plex has nothing at GET /library/metadata/9 (404); see /hubs/search and /:/scrobble",
  ].join("\n");
  const out = stripLocalDetails(text);
  for (
    const local of [
      "/home/ann",
      "file://",
      "/Users/bob",
      "C:\\Users",
      "\\\\nas",
      "/work/app/src/server.ts",
      "/tmp/x",
    ]
  ) {
    assert.ok(!out.includes(local), `${local} left in: ${out}`);
  }
  assert.ok(!/^\s*at\s/m.test(out), "stack frame left");
  assert.match(
    out,
    /GET \/library\/metadata\/9 \(404\); see \/hubs\/search and \/:\/scrobble/,
  );
  assert.match(out, /\[local path\]/);
});

Deno.test("clipStrings() cuts long strings at any depth and returns short values without a copy", () => {
  const value = {
    items: [{ title: "t".repeat(10_000), year: 1999 }, { title: "ok" }],
    total: 2,
  };
  const clipped = clipStrings(value);
  assert.equal(clipped.items[0]!.title.length, MAX_STRUCTURED_STRING + 1);
  assert.equal(clipped.items[1], value.items[1], "untouched branch shared");
  const short = { items: [{ title: "a" }], total: 1 };
  assert.equal(clipStrings(short), short, "nothing to cut: no copy");
});
