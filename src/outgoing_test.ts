import assert from "node:assert/strict";
import fc from "fast-check";
import { readable } from "./log.ts";
import { outgoing } from "./outgoing.ts";
import { redact } from "./redact.ts";

Deno.test("outgoing() redacts and shows control characters in one walk, keys included", () => {
  const message = {
    jsonrpc: "2.0",
    id: 7,
    result: {
      content: [{ type: "text", text: "Cabin\x1b]52;c;eA==\x07 tok-1234" }],
      structuredContent: { ["k\x1b[2J"]: "a\r\nb" },
    },
  };
  assert.deepEqual(outgoing(message, ["tok-1234"]), {
    jsonrpc: "2.0",
    id: 7,
    result: {
      content: [{ type: "text", text: "Cabin␛]52;c;eA==␇ [REDACTED]" }],
      structuredContent: { "k␛[2J": "a\nb" },
    },
  });
  // Nothing to change: the same object, not a copy.
  const plain = { jsonrpc: "2.0", id: 1, result: { content: [] } };
  assert.equal(outgoing(plain, ["tok-1234"]), plain);
});

Deno.test("outgoing() leaves what the client must get back as it sent it", () => {
  const id = "req\x1b1";
  assert.equal((outgoing({ id, result: {} }, []) as { id: string }).id, id);
  const progress = {
    method: "notifications/progress",
    params: { progressToken: "p\x1b", progress: 1, message: "x\x1b" },
  };
  assert.deepEqual(outgoing(progress, []), {
    method: "notifications/progress",
    params: { progressToken: "p\x1b", progress: 1, message: "x␛" },
  });
  const cancelled = {
    method: "notifications/cancelled",
    params: { requestId: "r\x1b", reason: "r\x1b" },
  };
  assert.deepEqual(outgoing(cancelled, []), {
    method: "notifications/cancelled",
    params: { requestId: "r\x1b", reason: "r␛" },
  });
});

Deno.test("outgoing() cuts a JSON-RPC error message line by line", () => {
  const long = "x".repeat(5_000);
  const out = outgoing({ id: 1, error: { code: -1, message: long } }, []) as {
    error: { message: string };
  };
  assert.ok(out.error.message.length < 2_100);
  assert.match(out.error.message, /more characters\)$/);
});

Deno.test("outgoing() sends every string exactly as redaction and readable() make it", () => {
  const secrets = ["s3cr3t/t0ken+x", "abcd1234"];
  const pieces = [
    "plain title",
    "s3cr3t/t0ken+x",
    encodeURIComponent("s3cr3t/t0ken+x"),
    "ABCD1234",
    "abcd1234",
    "X-Plex-Token=zzzz9999",
    '"authToken":"qqqq7777"',
    "TOKEN: wwww5555",
    "\x1b]52;c;",
    "\r\n",
    "\r",
    "\u202e",
    "\u0085",
    "é",
  ];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pieces), { maxLength: 6 }),
      (parts) => {
        const s = parts.join(" ");
        const out = outgoing(
          { id: 1, result: { content: [{ type: "text", text: s }], [s]: s } },
          secrets,
        ) as {
          result: { content: [{ text: string }] } & Record<string, string>;
        };
        const want = readable(redact(s, secrets));
        assert.equal(out.result.content[0].text, want);
        assert.equal(out.result[want], want);
      },
    ),
  );
});

Deno.test("outgoing() redacts a secret added to the same list later", () => {
  const secrets: string[] = ["first-secret-1"];
  const send = () =>
    (outgoing({ id: 1, result: { text: "a later-secret-2 b" } }, secrets) as {
      result: { text: string };
    }).result.text;
  assert.equal(send(), "a later-secret-2 b");
  secrets.push("later-secret-2");
  assert.equal(send(), "a [REDACTED] b");
});
