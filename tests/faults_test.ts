/**
 * Fault matrix: every tool against every fault the fake can inject. Each
 * call must end in a specific tool error within the timeout, leak no token,
 * and the next call with the fault cleared must succeed.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../src/demo/fake_plex.ts";
import { FAULTS, type MatrixFault } from "../src/demo/faults.ts";
import { Logger } from "../src/log.ts";
import { PlexClient } from "../src/plex/client.ts";
import { createServer } from "../src/server.ts";
import { textOf } from "./helpers.ts";
import { Client, InMemoryTransport } from "./sdk_client.ts";
import { ONE_SERVER_TOOLS, validArgs } from "./tool_args.ts";

const TOKEN = "fault-SECRET-token-77aa";
const TIMEOUT_MS = 300;
const MAX_BODY = 256 * 1024;

const EXPECTED: Record<MatrixFault, RegExp> = {
  refuse: /Cannot reach Plex at http:\/\/fault\.test:32400: connection refused/,
  stall: /did not answer within 0\.3 s/,
  "500":
    /Plex answered 500 for (GET|POST|PUT|DELETE) \/\S*: the server had an internal problem/,
  "502": /Plex answered 502 for /,
  "503": /Plex is busy \(503\) for /,
  "401": /Plex rejected the token \(401\)/,
  // A 404 on an item lookup means "no such item", which some tools say so.
  "404": /\(404\)|No item with ratingKey/,
  malformed: /not valid JSON/,
  truncated: /not valid JSON \(\d+ bytes, possibly truncated\)/,
  xml: /XML or HTML instead of JSON/,
  oversized: /over the \d+-byte limit|more than \d+ bytes/,
  echo: /Plex answered 500 for /,
  busy: /Plex is busy \(429\) for .*: retry after 120 s/,
  redirect:
    /redirected (GET|POST|PUT|DELETE) \S+ to another server, sso\.example\.invalid \(http\); not followed, so the Plex token is not sent there/,
  loop: /more than 5 times \(a redirect loop\)/,
  deep: /JSON too large to handle safely \(nesting deeper than 64 levels\)/,
  many:
    /JSON too large to handle safely \(more than 1,000,000 values\)|over the \d+-byte limit|more than \d+ bytes/,
  "huge-string":
    /JSON too large to handle safely \(a string of more than 1,048,576 characters\)|over the \d+-byte limit|more than \d+ bytes/,
  "not-plex":
    /does not look like a Plex Media Server: GET \/identity answered an HTML or XML page/,
  "login-page":
    /does not look like a Plex Media Server: GET \/identity answered 401 \((GET|POST|PUT|DELETE) \S+ answered (401|405)\)/,
  "forbidden-page":
    /does not look like a Plex Media Server: GET \/identity answered 403 \((GET|POST|PUT|DELETE) \S+ answered 403\)/,
  // The 1 s Retry-After does not fit in the 0.3 s budget: reported at once.
  "busy-503": /Plex is busy \(503\) for \S+ \S+: retry after 1 s/,
};

async function connect(fake: FakePlex, logs: string[]) {
  const plex = new PlexClient({
    baseUrl: "http://fault.test:32400",
    token: TOKEN,
    fetch: fake.fetch,
    timeoutMs: TIMEOUT_MS,
    retryDelayMs: 1,
    maxBodyBytes: MAX_BODY,
  });
  const logger = new Logger({
    level: "debug",
    secrets: [TOKEN],
    write: (l) => logs.push(l),
  });
  const server = createServer({ plex, logger });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "faults", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  return client;
}

Deno.test("fault matrix: every tool × every fault fails specifically, then recovers", async () => {
  let cases = 0;
  let passed = 0;
  const failures: string[] = [];
  for (const tool of ONE_SERVER_TOOLS) {
    for (const fault of FAULTS) {
      cases++;
      const fake = new FakePlex({ token: TOKEN });
      fake.oversizedBytes = MAX_BODY * 2;
      const args = validArgs(fake.library)[tool.name]!;
      const logs: string[] = [];
      const client = await connect(fake, logs);
      try {
        fake.fault = fault;
        const started = performance.now();
        const r = await client.callTool({ name: tool.name, arguments: args });
        const elapsed = performance.now() - started;
        fake.fault = undefined;
        const text = textOf(r);
        const problems = [
          r.isError !== true && "no error",
          !EXPECTED[fault].test(text) && `message ${JSON.stringify(text)}`,
          elapsed > TIMEOUT_MS + 1000 && `took ${elapsed.toFixed(0)} ms`,
          [JSON.stringify(r), ...logs].some((t) => t.includes(TOKEN)) &&
          "token leaked",
        ].filter(Boolean);
        const again = await client.callTool({
          name: tool.name,
          arguments: args,
        });
        if (again.isError) problems.push(`no recovery: ${textOf(again)}`);
        if (problems.length) {
          failures.push(`${tool.name} × ${fault}: ${problems.join("; ")}`);
        } else passed++;
      } finally {
        await client.close();
      }
    }
  }
  // deno-lint-ignore no-console
  console.log(
    `fault matrix: ${ONE_SERVER_TOOLS.length} tools × ${FAULTS.length} faults = ${cases} cases, ${passed} passed`,
  );
  assert.deepEqual(failures, []);
  assert.equal(passed, cases);
});
