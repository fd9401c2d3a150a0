/**
 * Schemas every client can use. Clients with a strict subset of JSON
 * Schema (Gemini's function declarations, OpenAI's strict mode) and the
 * form builders of inspectors take one `type` per schema: a type list
 * (`"type": ["string", "integer"]`) is refused or shown as a warning. So
 * every input schema of every tool, in every toolset, in dynamic mode and
 * with several servers, keeps to the portable subset below; output
 * schemas too, where "T or null" is written `anyOf: [T, {type: null}]`.
 * Numeric ids are still taken as numbers (`ratingKey: 1003`: see
 * tests/tools/numeric_ids_test.ts): the server turns an integer into
 * its string before it checks the arguments.
 */
import assert from "node:assert/strict";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer, type ServerOptions } from "../../src/server.ts";
import { PlexServers } from "../../src/servers.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { Client, InMemoryTransport } from "../support/sdk_client.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const TYPES = ["string", "number", "integer", "boolean", "array", "object"];
/** Keywords outside the subset: a client may refuse the whole tool. */
const REFUSED = [
  "oneOf",
  "allOf",
  "not",
  "$ref",
  "$defs",
  "definitions",
  "patternProperties",
  "if",
  "then",
  "else",
];

/**
 * What keeps `schema` out of the portable subset, one line each (none when
 * it is in). Inputs: one type from {@link TYPES} at every node, no `anyOf`.
 * Outputs: one type at every node, or `anyOf` of one typed branch and
 * `{type: "null"}`. Both: an object at the top with its properties, no
 * {@link REFUSED} keyword, arrays with `items`, `required` naming
 * properties that exist, enum values of the node's type.
 */
function portabilityProblems(
  schema: Any,
  kind: "input" | "output",
): string[] {
  const problems: string[] = [];
  const node = (s: Any, at: string, top: boolean): void => {
    if (s === null || typeof s !== "object" || Array.isArray(s)) {
      problems.push(`${at}: not a schema object`);
      return;
    }
    for (const k of REFUSED) if (k in s) problems.push(`${at}: uses ${k}`);
    if ("anyOf" in s) {
      if (top || kind === "input") {
        problems.push(`${at}: anyOf${top ? " at the top" : ""}`);
        return;
      }
      const branches = s.anyOf as Any[];
      const nulls = branches.filter((b) => b?.type === "null").length;
      if (branches.length !== 2 || nulls !== 1 || "type" in s) {
        problems.push(`${at}: anyOf other than "T or null"`);
        return;
      }
      const other = branches.find((b) => b?.type !== "null");
      if (other && "anyOf" in other) {
        problems.push(`${at}: nested anyOf`);
        return;
      }
      node(other, `${at}.anyOf`, false);
      return;
    }
    if (Array.isArray(s.type)) {
      problems.push(`${at}: type list ${JSON.stringify(s.type)}`);
      return;
    }
    if (typeof s.type !== "string") {
      problems.push(`${at}: no type`);
      return;
    }
    if (!TYPES.includes(s.type)) {
      problems.push(`${at}: type ${JSON.stringify(s.type)}`);
    }
    if (top && s.type !== "object") problems.push(`${at}: not an object`);
    if (Array.isArray(s.enum)) {
      const want: string = s.type === "integer" ? "number" : s.type;
      if (s.enum.some((v: unknown) => String(typeof v) !== want)) {
        problems.push(`${at}: enum values that are not ${s.type}s`);
      }
    }
    if (s.type === "array") {
      if (!s.items || typeof s.items !== "object") {
        problems.push(`${at}: array without items`);
      } else node(s.items, `${at}[]`, false);
    }
    if (s.type === "object") {
      const props = s.properties ?? {};
      if (top && typeof s.properties !== "object") {
        problems.push(`${at}: object without properties`);
      }
      for (const [name, p] of Object.entries(props)) {
        node(p, `${at}.${name}`, false);
      }
      for (const r of s.required ?? []) {
        if (!(r in props)) problems.push(`${at}: requires unknown ${r}`);
      }
      if (
        s.additionalProperties && typeof s.additionalProperties === "object"
      ) {
        node(s.additionalProperties, `${at}.*`, false);
      }
    }
  };
  node(schema, kind, true);
  return problems;
}

/** Every tool a client can be offered with `options` (all toolsets on). */
async function listed(
  options: ServerOptions,
  several: boolean,
): Promise<Any[]> {
  const fake = new FakePlex();
  const client = (name: string) =>
    new PlexClient({
      baseUrl: `http://${name}:32400`,
      token: "demo-token",
      fetch: fake.fetch,
    });
  const plex = client("fake");
  const servers = several
    ? new PlexServers([
      { name: "home", client: plex, owned: true },
      { name: "cabin", client: client("cabin"), owned: true },
    ])
    : undefined;
  const server = createServer(
    { plex, servers, logger: new Logger({ write: () => {} }) },
    options,
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  const mcp = new Client({ name: "portability", version: "1" });
  await Promise.all([server.connect(a), mcp.connect(b)]);
  try {
    return (await mcp.listTools()).tools;
  } finally {
    await mcp.close();
  }
}

Deno.test("portabilityProblems() names type lists, anyOf, missing types and arrays without items", () => {
  const input = {
    type: "object",
    properties: {
      a: { type: ["string", "integer"] },
      b: { anyOf: [{ type: "string" }, { type: "null" }] },
      c: { description: "no type" },
      d: { type: "array" },
      e: { type: "string", enum: [1] },
    },
    required: ["a", "z"],
  };
  assert.deepEqual(portabilityProblems(input, "input"), [
    'input.a: type list ["string","integer"]',
    "input.b: anyOf",
    "input.c: no type",
    "input.d: array without items",
    "input.e: enum values that are not strings",
    "input: requires unknown z",
  ]);
  assert.deepEqual(
    portabilityProblems({ anyOf: [{ type: "object" }] }, "output"),
    ["output: anyOf at the top"],
  );
  assert.deepEqual(
    portabilityProblems({
      type: "object",
      properties: {
        n: { anyOf: [{ type: "integer" }, { type: "null" }] },
        m: { anyOf: [{ type: "integer" }, { type: "string" }] },
        o: { type: ["number", "null"] },
      },
    }, "output"),
    [
      'output.m: anyOf other than "T or null"',
      'output.o: type list ["number","null"]',
    ],
  );
});

Deno.test("every tool's input and output schema is in the portable subset: all toolsets, dynamic mode, several servers", async () => {
  const listings: [string, Any[]][] = [
    ["all toolsets", await listed({}, false)],
    ["dynamic", await listed({ dynamic: true }, false)],
    ["several servers", await listed({}, true)],
  ];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const [where, tools] of listings) {
    for (const tool of tools) {
      names.add(tool.name);
      for (const p of portabilityProblems(tool.inputSchema, "input")) {
        problems.push(`${where}: ${tool.name} ${p}`);
      }
      if (tool.outputSchema) {
        for (const p of portabilityProblems(tool.outputSchema, "output")) {
          problems.push(`${where}: ${tool.name} ${p}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
  // Every tool was looked at, the opt-in and dynamic ones included.
  for (
    const name of [
      "get_media_details",
      "list_servers",
      "get_resource_stats",
      "set_player_volume",
      "enable_toolset",
      "list_toolsets",
    ]
  ) {
    assert.ok(names.has(name), name);
  }
  assert.ok(names.size >= 60, `${names.size} tools`);
});

Deno.test("the generated catalogue (tools_list.json) holds no type list", async () => {
  const text = await Deno.readTextFile(
    new URL("../../src/tools/catalog/tools_list.json", import.meta.url),
  );
  const lists = [...text.matchAll(/"type":\s*\[[^\]]*\]/g)].map((m) => m[0]);
  assert.deepEqual(lists, []);
});
