/**
 * Answers under the body cap that would blow up when parsed end in a clear
 * error, through the real stdio server with its default limits, while the
 * server's resident memory stays bounded and the next call works.
 */
import assert from "node:assert/strict";
import type { Fault } from "../../src/demo/fake_plex/faults.ts";
import {
  peakRssMiB,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";

const CASES: [Fault, RegExp][] = [
  ["many", /JSON too large to handle safely \(more than 1,000,000 values\)/],
  ["deep", /JSON too large to handle safely \(nesting deeper than 64 levels\)/],
  [
    "huge-string",
    /JSON too large to handle safely \(a string of more than 1,048,576 characters\)/,
  ],
];

Deno.test("JSON bombs under the body cap end in a clear error; memory stays under 400 MB", async () => {
  const { fake, served } = startFake();
  const server = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: served.host,
  });
  try {
    for (const [fault, message] of CASES) {
      fake.fault = fault;
      const r = await server.client.callTool({
        name: "search_media",
        arguments: { query: "night" },
      });
      fake.fault = undefined;
      assert.equal(r.isError, true, fault);
      assert.match(textOf(r), message);
      const next = await server.client.callTool({
        name: "get_libraries",
        arguments: {},
      });
      assert.equal(next.isError, undefined, `${fault}: the next call works`);
    }
    const peak = peakRssMiB(server.pid);
    assert.ok(peak < 400, `peak RSS ${peak.toFixed(0)} MiB`);
  } finally {
    await server.close();
    await served.close();
  }
});
