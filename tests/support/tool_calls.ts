/**
 * Tool calls end to end over stdio: one server process spawned against the
 * loopback fake Plex, with the checks the tool tests share (an answer that
 * succeeded, an error naming what went wrong, a title's ratingKey).
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import {
  type Spawned,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "./helpers.ts";

/** What one tool call answers. */
export type Result = Awaited<ReturnType<Spawned["client"]["callTool"]>>;
/** A structured answer, read loosely by the tests. */
// deno-lint-ignore no-explicit-any
export type Any = any;

/**
 * Runs `fn` with one server spawned against a fresh fake Plex (extra `env`
 * on top of the fake's address and token), then checks that no protocol
 * error occurred and that the token is in no answer and not on stderr.
 */
export async function withServer(
  fn: (
    call: (name: string, args?: Record<string, unknown>) => Promise<Result>,
    fake: FakePlex,
    s: Spawned,
  ) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const { fake, served } = startFake();
  const s = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN, ...env },
    allowNet: served.host,
  });
  const outputs: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await s.client.callTool({ name, arguments: args });
    outputs.push(JSON.stringify(r));
    return r;
  };
  try {
    await fn(call, fake, s);
  } finally {
    await s.close();
    await served.close();
  }
  assert.deepEqual(s.protocolErrors, []);
  for (const o of [...outputs, s.stderr()]) {
    assert.ok(!o.includes(TEST_TOKEN), "token leaked");
  }
}

/** The ratingKey of the fake's item titled `title` (of `type`, if given). */
export function rk(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(`no ${title}`);
}

/** The structured answer of a call that must have succeeded. */
export function ok(r: Result): Any {
  assert.notEqual(r.isError, true, textOf(r));
  return r.structuredContent as Any;
}

/** Asserts that a call failed with a message matching `pattern`. */
export function fails(r: Result, pattern: RegExp): void {
  assert.equal(r.isError, true, `expected an error, got ${textOf(r)}`);
  assert.match(textOf(r), pattern);
}
