/**
 * Destructive writes ask first, over the real stdio server, with a client
 * that answers MCP elicitation: declined, nothing is sent to Plex; accepted,
 * the write happens. A question the client gives up on changes nothing, and
 * no log notification carries a stack or a local path.
 */
import assert from "node:assert/strict";
import { startFake, TEST_TOKEN } from "../support/helpers.ts";
import { type Message, RawServer } from "../support/raw_server.ts";

/** The server over a fresh fake, initialized by a client that can elicit. */
async function elicitingServer() {
  const { fake, served } = startFake();
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
    PLEX_CACHE_TTL: "0",
    DEV_LOG_LEVEL: "debug",
  }, served.host);
  await s.send({
    jsonrpc: "2.0",
    id: "init",
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: { elicitation: {} },
      clientInfo: { name: "eliciting", version: "1" },
    },
  });
  await s.answer("init");
  await s.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await s.send({
    jsonrpc: "2.0",
    id: "level",
    method: "logging/setLevel",
    params: { level: "debug" },
  });
  await s.answer("level");
  let id = 1;
  const answered = new Set<unknown>();
  /**
   * Calls `tool`; when the server asks, answers with `reply` (the
   * elicitation's result or error) and returns the question and the result.
   */
  const call = async (
    tool: string,
    args: Record<string, unknown>,
    reply: (question: Message) => Record<string, unknown>,
  ): Promise<{ question: Message | undefined; result: Message }> => {
    const n = id++;
    await s.send({
      jsonrpc: "2.0",
      id: n,
      method: "tools/call",
      params: { name: tool, arguments: args },
    });
    const first = await s.wait(
      (m) =>
        (m.method === "elicitation/create" && !answered.has(m.id)) ||
        (m.id === n && "result" in m),
      10_000,
    );
    if (first.id === n) return { question: undefined, result: first.result };
    answered.add(first.id);
    await s.send({ jsonrpc: "2.0", id: first.id, ...reply(first) });
    return { question: first, result: (await s.answer(n, 10_000)).result };
  };
  return {
    s,
    fake,
    call,
    close: async () => {
      await s.dispose();
      await served.close();
    },
  };
}

const decline = () => ({ result: { action: "decline" } });
const accept = () => ({
  result: { action: "accept", content: { confirm: true } },
});

Deno.test("mark_unwatched, clearing a rating, a forced scan and a destructive butler task ask through elicitation over stdio", async () => {
  const { fake, call, close } = await elicitingServer();
  const writes = (from: number) =>
    fake.requests.slice(from).filter((r) =>
      r.method !== "GET" || /\/refresh|scrobble/.test(r.path)
    ).map((r) => `${r.method} ${r.path.split("?")[0]}`);
  try {
    const items = [...fake.library.items.values()];
    const watched = items.find((i) =>
      i.raw.type === "movie" && Number(i.raw.viewCount ?? 0) > 0
    )!;
    const rated = items.find((i) => i.raw.type === "movie")!;
    // Give the item a rating to clear (no question for setting one).
    const set = await call(
      "rate_media",
      { ratingKey: rated.ratingKey, rating: 6 },
      accept,
    );
    assert.equal(set.question, undefined, "setting a rating does not ask");
    const cases: [string, Record<string, unknown>, RegExp, string][] = [
      [
        "mark_unwatched",
        { ratingKey: watched.ratingKey },
        /unwatched|view count|resume/i,
        "PUT /:/unscrobble",
      ],
      [
        "rate_media",
        { ratingKey: rated.ratingKey, rating: -1 },
        /Clear your 6\/10 rating/,
        "PUT /:/rate",
      ],
      [
        "scan_library",
        { library: "1", force: true, wait: false },
        /Refresh all metadata of library/,
        "GET /library/sections/1/refresh",
      ],
      [
        "run_butler_task",
        { name: "OptimizeDatabase" },
        /OptimizeDatabase/,
        "POST /butler/OptimizeDatabase",
      ],
    ];
    for (const [tool, args, asks, write] of cases) {
      let from = fake.requests.length;
      const no = await call(tool, args, decline);
      assert.ok(no.question, `${tool} asked`);
      assert.match(no.question.params.message, asks, tool);
      assert.equal(no.result.isError, true, tool);
      assert.match(
        no.result.content[0].text,
        /Cancelled: the user did not confirm. Nothing was changed/,
      );
      assert.deepEqual(writes(from), [], `${tool}: nothing sent when declined`);
      from = fake.requests.length;
      const yes = await call(tool, args, accept);
      assert.ok(yes.question, `${tool} asked again`);
      assert.equal(yes.result.isError, undefined, JSON.stringify(yes.result));
      assert.ok(
        writes(from).some((w) => w.startsWith(write)),
        `${tool}: ${writes(from).join(", ")}`,
      );
    }
  } finally {
    await close();
  }
});

Deno.test("over stdio, a confirmation the client gives up on ends with 'nothing was changed'; no notification carries a stack or local path", async () => {
  const { s, fake, call, close } = await elicitingServer();
  try {
    const before = fake.library.playlists.size;
    // The client's dialog timed out: it answers the question with an
    // error (as the SDK's own request timeout does), naming its own file.
    const r = await call(
      "delete_playlist",
      { playlist: "Halloween Night" },
      () => ({
        error: {
          code: -32001,
          message:
            "Request timed out after 120000 ms\n    at Dialog.wait (/home/ann/client/ui.js:12:5)",
        },
      }),
    );
    assert.ok(r.question, "the server asked");
    assert.equal(r.result.isError, true);
    assert.match(
      r.result.content[0].text,
      /^No answer to the confirmation question, so nothing was changed/,
    );
    assert.equal(fake.library.playlists.size, before, "nothing deleted");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const notes = s.messages.filter((m) =>
      m.method === "notifications/message"
    );
    assert.ok(
      notes.some((n) => /delete_playlist failed/.test(n.params.data)),
      "the failure was logged",
    );
    for (const n of notes) {
      assert.doesNotMatch(
        JSON.stringify(n.params),
        /\\n\s+at\s|file:\/\/|\/home\/|\.[jt]s:\d+/,
      );
    }
  } finally {
    await close();
  }
});
