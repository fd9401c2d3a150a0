/**
 * `plexmcp serve --http` end to end: the real server as a process, a fake
 * Plex on loopback, and the SDK's Streamable HTTP client (or raw requests
 * where the client hides what is tested): initialize, lists, calls,
 * resources, prompts and completion; progress during scan_library;
 * cancellation; two clients in separate sessions; DELETE; a broken
 * stream resumed with Last-Event-ID; log notifications per session.
 */
import assert from "node:assert/strict";
import {
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
} from "../support/sdk_client.ts";
import { textOf, within } from "../support/helpers.ts";
import {
  connectHttp,
  HTTP_TOKEN,
  initializeBody,
  mcpHeaders,
  openRawSession,
  scanHttp,
  sseMessages,
  startHttpRig,
} from "../support/http_helpers.ts";

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("HTTP: initialize, tools/list, a call, resources, templates, prompts and completion through the SDK's Streamable HTTP client", async () => {
  const rig = await startHttpRig();
  try {
    const { client, transport } = await connectHttp(rig.server.url, HTTP_TOKEN);
    assert.match(transport.sessionId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(client.getServerVersion()?.name, "@plexmcp/server");

    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes("get_libraries") && names.length > 20, `${names}`);

    const libs = await client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(libs.isError, undefined, textOf(libs));
    assert.match(textOf(libs), /Classic Movies/);
    assert.ok(
      rig.fake.requests.some((r) => r.path.startsWith("/library/sections")),
      "the call reached Plex",
    );
    // A tool error is a result, as over stdio.
    const bad = await client.callTool({
      name: "browse_library",
      arguments: { library: "Nope" },
    });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /No library matches/);

    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === "plex://libraries"));
    const read = await client.readResource({ uri: "plex://libraries" });
    assert.match(
      (read.contents[0] as { text: string }).text,
      /Classic Movies/,
    );
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(
      resourceTemplates.some((t) =>
        t.uriTemplate.startsWith("plex://library/{key}")
      ),
    );
    const section = await client.readResource({ uri: "plex://library/1" });
    assert.match((section.contents[0] as { text: string }).text, /"key"/);

    const { prompts } = await client.listPrompts();
    assert.ok(prompts.some((p) => p.name === "what_should_i_watch"));
    const prompt = await client.getPrompt({
      name: "what_should_i_watch",
      arguments: { mood: "funny" },
    });
    assert.match(JSON.stringify(prompt.messages), /funny/);

    const completion = await client.complete({
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "" },
    });
    assert.ok(
      completion.completion.values.includes("1"),
      `${completion.completion.values}`,
    );
    assert.deepEqual(await client.ping(), {});
    await client.setLoggingLevel("info");
    await client.close();
  } finally {
    assert.equal(await rig.close(), 0, "SIGTERM: a clean stop");
  }
});

Deno.test("HTTP: scan_library sends progress notifications on the call's stream", async () => {
  const rig = await startHttpRig();
  try {
    const { client } = await connectHttp(rig.server.url, HTTP_TOKEN);
    const progress: number[] = [];
    const r = await client.callTool(
      { name: "scan_library", arguments: { library: "Classic Movies" } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    assert.equal(r.isError, undefined, textOf(r));
    assert.equal(
      (r.structuredContent as { status: string }).status,
      "finished",
    );
    assert.ok(progress.length >= 3, `progress ${progress}`);
    assert.equal(progress.at(-1), 100);
    await client.close();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: a call the client cancels stops its Plex request, and the session goes on", async () => {
  const rig = await startHttpRig();
  try {
    const { client } = await connectHttp(rig.server.url, HTTP_TOKEN);
    rig.fake.fault = "stall";
    const from = rig.fake.requests.length;
    const c = new AbortController();
    const call = client.callTool(
      { name: "get_libraries", arguments: {} },
      undefined,
      { signal: c.signal },
    ).then(() => "answered", (e: Error) => `rejected: ${e.message}`);
    await until(
      () => rig.fake.requests.length > from,
      5_000,
      "the call to reach Plex",
    );
    c.abort();
    assert.match(await call, /^rejected: /);
    // notifications/cancelled reached the server: it gave up on Plex.
    await until(() => rig.fake.aborted >= 1, 5_000, "Plex's request aborted");
    rig.fake.fault = undefined;
    const again = await client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(again.isError, undefined, textOf(again));
    await client.close();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: two clients at once get separate sessions: their own tool lists and list-change notifications, their own log notifications", async () => {
  const rig = await startHttpRig({ PLEX_TOOLSETS: "dynamic" });
  try {
    const a = await connectHttp(rig.server.url, HTTP_TOKEN, { name: "a" });
    const b = await connectHttp(rig.server.url, HTTP_TOKEN, { name: "b" });
    assert.ok(a.transport.sessionId && b.transport.sessionId);
    assert.notEqual(a.transport.sessionId, b.transport.sessionId);
    const logsA: string[] = [];
    const logsB: string[] = [];
    a.client.setNotificationHandler(
      LoggingMessageNotificationSchema,
      (n) => void logsA.push(String(n.params.data)),
    );
    b.client.setNotificationHandler(
      LoggingMessageNotificationSchema,
      (n) => void logsB.push(String(n.params.data)),
    );

    // Both call at once.
    const [ra, rb] = await Promise.all([
      a.client.callTool({ name: "get_libraries", arguments: {} }),
      b.client.callTool({ name: "get_plex_status", arguments: {} }),
    ]);
    assert.match(textOf(ra), /Classic Movies/);
    assert.equal(rb.isError, undefined, textOf(rb));

    // A toolset turned on in one session is on in that session only, and
    // only that session's client hears of it (on its GET stream).
    let changedA = 0;
    let changedB = 0;
    a.client.setNotificationHandler(
      ToolListChangedNotificationSchema,
      () => void changedA++,
    );
    b.client.setNotificationHandler(
      ToolListChangedNotificationSchema,
      () => void changedB++,
    );
    const before = (await b.client.listTools()).tools.length;
    const on = await a.client.callTool({
      name: "enable_toolset",
      arguments: { toolset: "library" },
    });
    assert.equal(on.isError, undefined, textOf(on));
    await until(() => changedA > 0, 5_000, "A's tools/list_changed");
    assert.ok((await a.client.listTools()).tools.length > before);
    assert.equal((await b.client.listTools()).tools.length, before);
    assert.equal(changedB, 0, "B heard of A's toolset");

    // A failure in A is logged to A's client, not to B's.
    const failed = await a.client.callTool({
      name: "browse_library",
      arguments: { library: "Nope" },
    });
    assert.equal(failed.isError, true);
    await until(
      () => logsA.some((l) => /browse_library failed/.test(l)),
      5_000,
      "A's log notification",
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      logsB.filter((l) => /browse_library/.test(l)),
      [],
      "B saw A's log",
    );
    await a.client.close();
    await b.client.close();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: DELETE ends a session; its id is then unknown (404 with a JSON-RPC error)", async () => {
  const rig = await startHttpRig();
  try {
    const { client, transport } = await connectHttp(rig.server.url, HTTP_TOKEN);
    const id = transport.sessionId!;
    await transport.terminateSession();
    const after = await fetch(rig.server.url, {
      method: "POST",
      headers: {
        ...mcpHeaders(HTTP_TOKEN, id),
        "Mcp-Protocol-Version": "2025-11-25",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    const body = await after.json();
    assert.equal(after.status, 404);
    assert.equal(body.error.code, -32001);
    assert.match(body.error.message, /Session not found/);
    await client.close();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: a stream broken mid-call is resumed with Last-Event-ID: the answer is replayed from the session's event store", async () => {
  const rig = await startHttpRig({ PLEX_TIMEOUT: "1" });
  try {
    const url = rig.server.url;
    const session = await openRawSession(url, HTTP_TOKEN);
    rig.fake.fault = "stall";
    const call = await fetch(url, {
      method: "POST",
      headers: {
        ...mcpHeaders(HTTP_TOKEN, session),
        "Mcp-Protocol-Version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "get_libraries", arguments: {} },
      }),
    });
    assert.equal(call.status, 200);
    // Read the priming event (its id is the resumption point), then drop
    // the connection before the answer.
    const reader = call.body!.getReader();
    let seen = "";
    while (!/^id: (\S+)$/m.test(seen)) {
      const { value, done } = await within(
        reader.read(),
        5_000,
        "priming event",
      );
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    const lastEventId = /^id: (\S+)$/m.exec(seen)![1]!;
    await reader.cancel();
    // PLEX_TIMEOUT=1 ends the call while nobody is listening.
    await new Promise((r) => setTimeout(r, 1_800));
    rig.fake.fault = undefined;

    const resumed = await fetch(url, {
      method: "GET",
      headers: {
        Accept: "text/event-stream",
        Authorization: `Bearer ${HTTP_TOKEN}`,
        "Mcp-Session-Id": session,
        "Mcp-Protocol-Version": "2025-11-25",
        "Last-Event-ID": lastEventId,
      },
    });
    assert.equal(resumed.status, 200);
    const r2 = resumed.body!.getReader();
    let text = "";
    while (!sseMessages(text).some((m) => m.id === 7)) {
      const { value, done } = await within(
        r2.read(),
        5_000,
        "the replayed answer",
      );
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await r2.cancel();
    scanHttp(text, "replayed stream", HTTP_TOKEN);
    const answer = sseMessages(text).find((m) => m.id === 7) as {
      result: { isError?: boolean; content: { text: string }[] };
    };
    assert.ok(answer, `no replayed answer in ${text}`);
    assert.equal(answer.result.isError, true);
    assert.match(answer.result.content[0]!.text, /1 s|time|answer/i);

    // An event id the store never had (or no longer has) is refused.
    const unknown = await fetch(url, {
      method: "GET",
      headers: {
        Accept: "text/event-stream",
        Authorization: `Bearer ${HTTP_TOKEN}`,
        "Mcp-Session-Id": session,
        "Last-Event-ID": "no-such-stream_99",
      },
    });
    assert.equal(unknown.status, 400);
    await unknown.body?.cancel();
  } finally {
    await rig.close();
  }
});

Deno.test("HTTP: the path prefix of a reverse proxy (--path) is the only endpoint; other paths get 404", async () => {
  const rig = await startHttpRig({}, ["--path", "/plex/mcp"]);
  try {
    assert.match(rig.server.url, /\/plex\/mcp$/);
    const { client } = await connectHttp(rig.server.url, HTTP_TOKEN);
    assert.ok((await client.listTools()).tools.length > 0);
    await client.close();
    const other = await fetch(rig.server.url.replace(/\/plex\/mcp$/, "/mcp"), {
      method: "POST",
      headers: mcpHeaders(HTTP_TOKEN),
      body: initializeBody(),
    });
    const body = await other.json();
    assert.equal(other.status, 404);
    assert.match(body.error.message, /the MCP endpoint is \/plex\/mcp/);
  } finally {
    await rig.close();
  }
});
