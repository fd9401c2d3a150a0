/**
 * Property-based input testing (fast-check): random argument sets, valid and
 * invalid, for every tool. No call may crash the server or reject a promise
 * unhandled; every result is a tool result; every input rejection names the
 * field it is about.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { z } from "zod";
import { ALL_TOOLS } from "../../src/tools/mod.ts";
import { connectInMemory, textOf } from "../support/helpers.ts";

const RUNS = 1200;

// deno-lint-ignore no-explicit-any
type Schema = any;

function valueFor(prop: Schema, keys: string[]): fc.Arbitrary<unknown> {
  if (prop.anyOf) {
    return fc.oneof(...prop.anyOf.map((p: Schema) => valueFor(p, keys)));
  }
  if (prop.enum) return fc.constantFrom(...prop.enum);
  switch (prop.type) {
    case "string":
      return prop.pattern === "^\\d+$"
        ? fc.oneof(
          fc.constantFrom(...keys),
          fc.nat({ max: 2_000_000 }).map(String),
        )
        : fc.oneof(
          fc.string({ maxLength: prop.maxLength ?? 30 }),
          fc.constantFrom(
            "1",
            "Classic Movies",
            "Halloween Night",
            "Living Room TV",
            "Alex",
            "BackupDatabase",
            "horror",
            "7d",
          ),
        );
    case "integer":
    case "number": {
      // A little past each bound, so out-of-range values come up too.
      const min = (prop.minimum ?? -10) - 2;
      const max = (prop.maximum ?? min + 1000) + 2;
      return prop.type === "integer"
        ? fc.integer({ min, max })
        : fc.double({ min, max, noNaN: true });
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(valueFor(prop.items ?? {}, keys), {
        maxLength: prop.maxItems ? Math.min(prop.maxItems, 4) : 4,
      });
    default:
      return fc.anything();
  }
}

function argsFor(tool: (typeof ALL_TOOLS)[number], keys: string[]) {
  const schema: Schema = z.toJSONSchema(z.object(tool.input), {
    io: "input",
    unrepresentable: "any",
  });
  const props = Object.entries(schema.properties ?? {}) as [string, Schema][];
  /** `arbitrary` most of the time, nothing (null) now and then. */
  const mostly = <T>(arbitrary: fc.Arbitrary<T>, absent: number) =>
    fc.oneof(
      { weight: 10 - absent, arbitrary },
      { weight: absent, arbitrary: fc.constant(null) },
    );
  const fields = props.map(([name, prop]) =>
    mostly(
      fc.tuple(
        fc.constant(name),
        fc.oneof(
          { weight: 12, arbitrary: valueFor(prop, keys) },
          { weight: 1, arbitrary: fc.anything() },
        ),
      ),
      1,
    )
  );
  // Now and then an argument the tool does not have.
  const extra = fc.oneof(
    { weight: 12, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.anything(),
      ),
    },
  );
  return fc.tuple(...fields, extra).map((pairs) => {
    const args: Record<string, unknown> = {};
    for (const pair of pairs) if (pair) args[pair[0] as string] = pair[1];
    // Waiting for a scan is covered in activity_and_admin_tools_test; here it would only add time.
    if (tool.name === "scan_library") args.wait = false;
    return { tool: tool.name, args, known: props.map(([n]) => n) };
  });
}

Deno.test(`property: ${RUNS} random argument sets across all tools never crash and name bad fields`, async () => {
  const { client, fake, close } = await connectInMemory();
  const keys = [...fake.library.items.keys()].slice(0, 40);
  let rejected = 0;
  let accepted = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(...ALL_TOOLS.map((t) => argsFor(t, keys))),
        async ({ tool, args, known }) => {
          const r = await client.callTool({ name: tool, arguments: args });
          const text = textOf(r);
          assert.ok(Array.isArray(r.content), "a tool result");
          assert.doesNotMatch(
            text,
            /failed unexpectedly/,
            `${tool} crashed on ${JSON.stringify(args)}: ${text}`,
          );
          if (r.isError) {
            rejected++;
            assert.ok(text.length > 0, "a message");
            const validation =
              /Input validation error: Invalid arguments for tool \w+: ([\s\S]*)$/
                .exec(text);
            if (validation) {
              const names = [...new Set([...known, ...Object.keys(args)])];
              for (const line of validation[1]!.split("\n")) {
                // zod names the field: "… at field" or 'Unrecognized key: "k"'.
                const named = names.some((n) =>
                  line.endsWith(` at ${n}`) || line.includes(` at ${n}.`) ||
                  line.includes(` at ${n}[`) ||
                  (line.startsWith("Unrecognized key") &&
                    line.includes(`"${n}"`))
                );
                assert.ok(
                  named,
                  `${tool}: rejection names no argument: ${line}`,
                );
              }
            }
          } else {
            accepted++;
            assert.ok(r.structuredContent, `${tool}: structured content`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  } finally {
    await close();
  }
  // deno-lint-ignore no-console
  console.log(
    `property: ${RUNS} argument sets, ${accepted} accepted, ${rejected} rejected with a specific message`,
  );
  assert.ok(
    accepted > 50 && rejected > 50,
    "both valid and invalid sets were generated",
  );
});
