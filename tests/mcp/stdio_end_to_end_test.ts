import assert from "node:assert/strict";
import {
  initializeParams,
  noProxy,
  serverArgs,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";

Deno.test("stdio server lists and runs both tools against the loopback fake", async () => {
  const { served } = startFake();
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: served.host,
  });
  try {
    const info = s.client.getServerVersion();
    assert.equal(info?.name, "@plexmcp/server");
    const { tools } = await s.client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes("get_plex_status"));
    assert.ok(names.includes("get_libraries"));
    for (const t of tools) {
      assert.ok(t.title, `${t.name} has a title`);
      assert.ok(t.outputSchema, `${t.name} has an output schema`);
      assert.equal(typeof t.annotations?.readOnlyHint, "boolean");
    }

    const status = await s.client.callTool({
      name: "get_plex_status",
      arguments: {},
    });
    assert.equal(status.isError, undefined);
    const sc = status.structuredContent as Record<string, unknown>;
    assert.equal(sc.name, "Plex Demo Server");
    assert.equal(
      sc.machineIdentifier,
      "d3m0c0ffee0000000000000000000000000000a1",
    );
    assert.match(textOf(status), /Plex "Plex Demo Server" is up/);

    const libs = await s.client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    const libraries = (libs.structuredContent as {
      libraries: { title: string; itemCount: number; type: string }[];
    }).libraries;
    assert.deepEqual(
      libraries.map((l) => [l.title, l.type, l.itemCount]),
      [
        ["Classic Movies", "movie", 8],
        ["Silent Films", "movie", 6],
        ["TV Shows", "show", 4],
        ["Cartoons", "show", 2],
        ["Music", "artist", 3],
        ["Photos", "photo", 4],
      ],
    );
    assert.match(textOf(libs), /\[1\] Classic Movies · movie · 8 items/);
    assert.deepEqual(s.protocolErrors, [], "stdout held only JSON-RPC");
  } finally {
    await s.close();
    await served.close();
  }
  assert.ok(!s.stderr().includes(TEST_TOKEN), "token not on stderr");
});

Deno.test("get_libraries counts with a size-0 page, never fetching whole sections", async () => {
  const { fake, served } = startFake();
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: served.host,
  });
  try {
    await s.client.callTool({ name: "get_libraries", arguments: {} });
  } finally {
    await s.close();
    await served.close();
  }
  const all = fake.requests.filter((r) => r.path.includes("/all"));
  assert.equal(all.length, 6, "one count request per section");
  for (const r of all) {
    assert.match(r.path, /X-Plex-Container-Size=0/);
  }
  assert.ok(fake.requests.every((r) => !r.path.includes(TEST_TOKEN)));
});

Deno.test("Plex down: the server starts, each tool reports connection refused, and keeps serving", async () => {
  // Find a free port, then close it so nothing listens there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${port}`;
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: `127.0.0.1:${port}`,
  });
  try {
    for (const name of ["get_plex_status", "get_libraries"]) {
      const r = await s.client.callTool({ name, arguments: {} });
      assert.equal(r.isError, true);
      assert.match(
        textOf(r),
        new RegExp(`Cannot reach Plex at ${url}: connection refused`),
      );
    }
    // Still serving.
    const { tools } = await s.client.listTools();
    assert.ok(tools.length >= 2);
  } finally {
    await s.close();
  }
  assert.ok(!s.stderr().includes(TEST_TOKEN));
});

Deno.test("bad token: a specific 401 message, no token anywhere", async () => {
  const { served } = startFake();
  const wrong = "tok-WRONG-e2e-0000000000";
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: wrong },
    allowNet: served.host,
  });
  let texts = "";
  try {
    for (const name of ["get_plex_status", "get_libraries"]) {
      const r = await s.client.callTool({ name, arguments: {} });
      assert.equal(r.isError, true);
      assert.match(
        textOf(r),
        /Plex rejected the token \(401\).*check PLEX_TOKEN/,
      );
      texts += JSON.stringify(r);
    }
  } finally {
    await s.close();
    await served.close();
  }
  assert.ok(!texts.includes(wrong));
  assert.ok(!s.stderr().includes(wrong));
});

Deno.test("a host outside --allow-net gives a message naming the flag", async () => {
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: "http://127.0.0.1:32400", PLEX_TOKEN: TEST_TOKEN },
    allowNet: "127.0.0.1:1",
  });
  try {
    const r = await s.client.callTool({
      name: "get_plex_status",
      arguments: {},
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /--allow-net=127\.0\.0\.1:32400/);
  } finally {
    await s.close();
  }
});

Deno.test("--demo serves the built-in library with no network permission", async () => {
  const s = await spawnServer({ env: {}, args: ["--demo"] });
  try {
    const r = await s.client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined);
    assert.match(textOf(r), /Classic Movies/);
    assert.deepEqual(s.protocolErrors, []);
  } finally {
    await s.close();
  }
});

Deno.test("raw stdio: every stdout line is JSON-RPC, logs go to stderr, exit 0 on stdin close", async () => {
  const { served } = startFake();
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs({ allowNet: served.host }),
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      DEV_LOG_LEVEL: "debug",
      NO_PROXY: noProxy(),
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = [
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: initializeParams("raw"),
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "get_libraries", arguments: {} },
    },
  ];
  const writer = child.stdin.getWriter();
  const enc = new TextEncoder();
  for (const l of lines) {
    await writer.write(enc.encode(JSON.stringify(l) + "\n"));
  }
  // Wait for the tool answer before closing stdin.
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  while (!stdout.includes('"id":2')) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += value;
  }
  await writer.close();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += value;
  }
  const status = await child.status;
  const stderr = new TextDecoder().decode(
    new Uint8Array(await new Response(child.stderr).arrayBuffer()),
  );
  await served.close();
  assert.equal(status.code, 0);
  for (const line of stdout.split("\n").filter(Boolean)) {
    const msg = JSON.parse(line);
    assert.equal(msg.jsonrpc, "2.0", `not JSON-RPC: ${line}`);
  }
  assert.match(stderr, /DEBUG/);
  assert.ok(!stdout.includes(TEST_TOKEN));
  assert.ok(!stderr.includes(TEST_TOKEN));
});

Deno.test("the compiled binary's permission set (--allow-env=<our variables>) is enough", async () => {
  const denoJson = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  const allowEnv = /--allow-env=(\S+)/.exec(denoJson.tasks.compile)?.[1];
  assert.ok(allowEnv, "compile task scopes --allow-env");
  const { served } = startFake();
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: served.host,
    allowEnv,
  });
  try {
    const r = await s.client.callTool({ name: "get_libraries", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    assert.equal(s.client.getServerVersion()?.version, denoJson.version);
  } finally {
    await s.close();
    await served.close();
  }
});

Deno.test("PLEX_READ_ONLY and PLEX_TOOLSETS change tools/list", async () => {
  const count = async (env: Record<string, string>) => {
    const s = await spawnServer({ env: { ...env }, args: ["--demo"] });
    try {
      return (await s.client.listTools()).tools.map((t) => t.name);
    } finally {
      await s.close();
    }
  };
  assert.deepEqual(await count({ PLEX_TOOLSETS: "server" }), [
    "get_plex_status",
    "get_libraries",
  ]);
  assert.deepEqual(
    await count({ PLEX_TOOLSETS: "playback", PLEX_READ_ONLY: "true" }),
    [
      "list_clients",
    ],
  );
  assert.deepEqual(
    await count({ PLEX_TOOLSETS: "watch_state", PLEX_READ_ONLY: "true" }),
    [],
    "an empty selection still answers tools/list",
  );
  const all = await count({});
  const readOnly = await count({ PLEX_READ_ONLY: "true" });
  assert.equal(all.length, 34);
  assert.ok(readOnly.length < all.length);
  for (
    const name of [
      "create_playlist",
      "delete_playlist",
      "mark_watched",
      "play_media",
      "scan_library",
    ]
  ) {
    assert.ok(all.includes(name) && !readOnly.includes(name), name);
  }
});
