/**
 * Long strings from Plex are cut wherever they leave the server: a fake
 * whose every title and summary is half a megabyte (`huge-strings`, just
 * under the client's 1 MiB limit per string), through the real stdio
 * server, for every tool, the resources and completion.
 */
import assert from "node:assert/strict";
import { HUGE_STRING_CHARS } from "../../src/demo/fake_plex/transform_faults.ts";
import { MAX_STRUCTURED_STRING, MAX_TEXT_LINE } from "../../src/log.ts";
import { ALL_TOOLS } from "../../src/tools/mod.ts";
import {
  peakRssMiB,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";
import { validArgs } from "../support/tool_args.ts";

/** A cut line ends with "… (N more characters)". */
const LONGEST_LINE = MAX_TEXT_LINE + "… (1000000 more characters)".length;
/** A cut string ends with "…". */
const LONGEST_STRING = MAX_STRUCTURED_STRING + 1;

function longestString(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (value === null || typeof value !== "object") return 0;
  let most = 0;
  for (const v of Object.values(value)) most = Math.max(most, longestString(v));
  return most;
}

function longestLine(text: string): number {
  return Math.max(...text.split("\n").map((l) => l.length));
}

Deno.test("half-megabyte titles and summaries: text lines, structured strings, errors, resources and completions are cut; memory stays bounded", async () => {
  assert.ok(HUGE_STRING_CHARS > 100 * MAX_STRUCTURED_STRING);
  const { fake, served } = startFake();
  const server = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
    },
    allowNet: served.host,
  });
  const { client } = server;
  try {
    const args = validArgs(fake.library);
    fake.fault = "huge-strings";
    let cutLines = 0;
    let cutStrings = 0;
    let errors = 0;
    for (const tool of ALL_TOOLS) {
      const r = await client.callTool({
        name: tool.name,
        arguments: args[tool.name],
      });
      const text = textOf(r);
      assert.ok(
        longestLine(text) <= LONGEST_LINE,
        `${tool.name}: a line of ${longestLine(text)} characters`,
      );
      assert.ok(
        longestString(r.structuredContent) <= LONGEST_STRING,
        `${tool.name}: a string of ${longestString(r.structuredContent)}`,
      );
      assert.ok(JSON.stringify(r).length < 1_000_000, tool.name);
      if (/more characters\)/.test(text)) cutLines++;
      if (longestString(r.structuredContent) === LONGEST_STRING) cutStrings++;
      if (r.isError) errors++;
    }
    // Every kind of output met a long string and cut it.
    assert.ok(cutLines >= 10, `${cutLines} tools cut a text line`);
    assert.ok(cutStrings >= 10, `${cutStrings} tools cut a string`);
    assert.ok(errors >= 1, "an error quoted Plex's long names");

    const list = await client.listResources();
    assert.equal(longestString(list), LONGEST_STRING, "resource list cut");
    for (
      const uri of [
        "plex://libraries",
        "plex://library/1",
        `plex://media/${args.get_media_details!.ratingKey}`,
      ]
    ) {
      const read = await client.readResource({ uri });
      const content = read.contents[0] as { text: string };
      assert.ok(
        content.text.length < 1_000_000,
        `${uri}: ${content.text.length}`,
      );
      assert.equal(
        longestString(JSON.parse(content.text)),
        LONGEST_STRING,
        `${uri}: strings in the contents cut`,
      );
    }
    const completion = await client.complete({
      ref: { type: "ref/resource", uri: "plex://library/{key}" },
      argument: { name: "key", value: "" },
    });
    assert.equal(longestString(completion.completion.values), LONGEST_STRING);
    // A JSON-RPC error quoting Plex's (long) library names is cut too.
    const failed = await client.readResource({
      uri: "plex://library/No%20such%20library",
    }).catch((e: Error) => e);
    assert.ok(failed instanceof Error);
    // (The SDK client puts "MCP error -32602: " in front.)
    assert.ok(
      longestLine(failed.message) <= LONGEST_LINE + 30,
      `error message line of ${longestLine(failed.message)}`,
    );
    const peak = peakRssMiB(server.pid);
    assert.ok(peak < 400, `peak RSS ${peak.toFixed(0)} MiB`);
  } finally {
    await server.close();
    await served.close();
  }
});
