/**
 * One redaction pass at the boundary: a fake Plex that writes the token into
 * every human-readable string and image URL of every answer, driven through
 * the real stdio server by every tool, the resources and the prompts, with
 * log notifications on. Nothing the client receives may hold the token.
 */
import assert from "node:assert/strict";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { startFake, TEST_TOKEN } from "./helpers.ts";
import { RawServer } from "./raw_server.ts";
import { validArgs } from "./tool_args.ts";

Deno.test("a Plex that echoes the token into every string: no result, resource, prompt or notification carries it", async () => {
  const { fake, served } = startFake();
  fake.echoToken = true;
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
    DEV_LOG_LEVEL: "debug",
  }, served.host);
  try {
    await s.initialize();
    let id = 100;
    const ask = async (method: string, params: unknown) => {
      const n = id++;
      await s.send({ jsonrpc: "2.0", id: n, method, params });
      return await s.answer(n, 10_000);
    };
    await ask("logging/setLevel", { level: "debug" });
    const args = validArgs(fake.library);
    for (const tool of ALL_TOOLS) {
      await ask("tools/call", { name: tool.name, arguments: args[tool.name] });
    }
    await ask("resources/list", {});
    const movie = args.get_media_details!.ratingKey as string;
    for (
      const uri of [
        "plex://libraries",
        "plex://library/1",
        `plex://media/${movie}`,
      ]
    ) {
      await ask("resources/read", { uri });
    }
    await ask("prompts/get", {
      name: "library_report",
      arguments: { library: `Movies ${TEST_TOKEN}` },
    });
    await ask("completion/complete", {
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "" },
    });
    const all = JSON.stringify(s.messages);
    assert.ok(!all.includes(TEST_TOKEN), "the token reached the client");
    // The hostile answers did arrive, redacted, through results and
    // notifications alike.
    const redacted = s.messages.filter((m) =>
      JSON.stringify(m).includes("[REDACTED]")
    );
    assert.ok(
      redacted.some((m) => m.result?.structuredContent),
      "structured content was redacted",
    );
    assert.ok(
      redacted.some((m) => m.result?.contents),
      "resource contents were redacted",
    );
    assert.ok(
      redacted.some((m) => m.result?.messages),
      "prompt text was redacted",
    );
    const notes = s.messages.filter((m) =>
      m.method === "notifications/message"
    );
    assert.ok(notes.length > 0, "log notifications were sent");
    for (const n of notes) {
      const text = JSON.stringify(n);
      assert.doesNotMatch(text, /file:\/\/|\\n\s+at\s/, "no stack or path");
    }
  } finally {
    await s.dispose();
    await served.close();
  }
});
