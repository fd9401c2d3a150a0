/**
 * One redaction pass at the boundary: a fake Plex that writes the token
 * (and every transient token it has handed out) into every string value of
 * every answer, ids and enumerations aside (the `echo-strings` fault),
 * driven through the real stdio server by every tool, the resources,
 * completion and a prompt, with log notifications on. Nothing the client
 * receives, and nothing on stderr, may hold a token; everything that did
 * arrive carries [REDACTED] where the token was.
 */
import assert from "node:assert/strict";
import { startFake, TEST_TOKEN } from "../support/helpers.ts";
import { type Message, RawServer } from "../support/raw_server.ts";
import { ONE_SERVER_TOOLS, validArgs } from "../support/tool_args.ts";

const has = (m: unknown, text: string) => JSON.stringify(m).includes(text);

Deno.test("a Plex that echoes the token into every string: no result, resource, prompt, completion, error or log carries it", async () => {
  const { fake, served } = startFake();
  fake.fault = "echo-strings";
  const s = new RawServer([], {
    PLEX_SERVER_URL: served.url,
    PLEX_TOKEN: TEST_TOKEN,
    DEV_LOG_LEVEL: "debug",
  }, served.host);
  try {
    await s.initialize();
    let id = 100;
    const ask = async (method: string, params: unknown): Promise<Message> => {
      const n = id++;
      await s.send({ jsonrpc: "2.0", id: n, method, params });
      return await s.answer(n, 10_000);
    };
    await ask("logging/setLevel", { level: "debug" });
    const args = validArgs(fake.library);
    for (const tool of ONE_SERVER_TOOLS) {
      const r = await ask("tools/call", {
        name: tool.name,
        arguments: args[tool.name],
      });
      assert.ok(r.result, `${tool.name}: ${JSON.stringify(r).slice(0, 200)}`);
      assert.ok(
        has(r, "[REDACTED]"),
        `${tool.name}: the echoed token did not arrive redacted: ${
          JSON.stringify(r).slice(0, 300)
        }`,
      );
    }
    // Started by id, playback gets a transient token, which Plex echoes
    // from then on, and which must not reach stderr either.
    const player = fake.library.clients[0]!.raw.machineIdentifier as string;
    const play = await ask("tools/call", {
      name: "play_media",
      arguments: { client: player, ratingKey: args.play_media!.ratingKey },
    });
    assert.equal(play.result.isError, undefined, JSON.stringify(play));
    const transient = [
      ...new Set(
        fake.requests.flatMap((r) =>
          r.path.match(/transient-[0-9a-f-]{36}/g) ?? []
        ),
      ),
    ];
    assert.ok(transient.length > 0, "a transient token was handed out");
    // An error that quotes Plex's names (now carrying both tokens): in a
    // tool result, on stderr and in a notification.
    const wrongName = await ask("tools/call", {
      name: "control_playback",
      arguments: { client: "Living Room TV", action: "pause" },
    });
    assert.equal(wrongName.result.isError, true);
    assert.match(wrongName.result.content[0].text, /\[REDACTED\]/);

    const answers: [string, Message][] = [
      ["resources/list", await ask("resources/list", {})],
    ];
    const movie = args.get_media_details!.ratingKey as string;
    for (
      const uri of [
        "plex://libraries",
        "plex://library/1",
        `plex://media/${movie}`,
      ]
    ) {
      answers.push([uri, await ask("resources/read", { uri })]);
    }
    answers.push([
      "completion",
      await ask("completion/complete", {
        ref: { type: "ref/resource", uri: "plex://library/{key}" },
        argument: { name: "key", value: "" },
      }),
    ]);
    answers.push([
      "prompt",
      await ask("prompts/get", {
        name: "library_report",
        arguments: { library: `Movies ${TEST_TOKEN}` },
      }),
    ]);
    for (const [what, answer] of answers) {
      assert.ok(answer.result, `${what} succeeded: ${JSON.stringify(answer)}`);
      assert.ok(has(answer.result, "[REDACTED]"), `${what} was redacted`);
    }
    // Error data: a resource read that fails with Plex's (echoed) names.
    const failed = await ask("resources/read", {
      uri: "plex://library/No%20such%20library",
    });
    assert.ok(failed.error, JSON.stringify(failed));
    assert.match(failed.error.message, /\[REDACTED\]/);

    const secrets = [TEST_TOKEN, ...transient];
    const all = JSON.stringify(s.messages);
    for (const secret of secrets) {
      assert.ok(!all.includes(secret), `${secret} reached the client`);
    }
    const notes = s.messages.filter((m) =>
      m.method === "notifications/message"
    );
    assert.ok(notes.length > 0, "log notifications were sent");
    assert.ok(notes.some((n) => has(n, "[REDACTED]")), "notes redacted");
    for (const n of notes) {
      assert.doesNotMatch(
        JSON.stringify(n),
        /file:\/\/|\\n\s+at\s|\/home\//,
        "no stack or path",
      );
    }
    await s.closeStdin();
    await s.exit(performance.now());
    for (const secret of secrets) {
      assert.ok(!s.stderr.includes(secret), `${secret} reached stderr`);
    }
    assert.match(s.stderr, /control_playback failed: .*\[REDACTED\]/);
  } finally {
    await s.dispose();
    await served.close();
  }
});
