import assert from "node:assert/strict";
import { parseArgs, UsageError } from "./args.ts";

const SPEC = {
  demo: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  server: { type: "string" },
} as const;

Deno.test("parseArgs reads booleans, values in both forms, short aliases and positionals", () => {
  assert.deepEqual(
    parseArgs(["login", "--demo", "--server=Home", "-h", "x"], SPEC),
    {
      flags: { demo: true, server: "Home", help: true },
      positionals: ["login", "x"],
    },
  );
  assert.deepEqual(parseArgs(["--server", "all"], SPEC).flags.server, "all");
  assert.deepEqual(parseArgs(["--", "--demo"], SPEC).positionals, ["--demo"]);
});

Deno.test("parseArgs names unknown flags, missing values and values on booleans", () => {
  assert.throws(() => parseArgs(["--bogus"], SPEC), /Unknown option '--bogus'/);
  assert.throws(() => parseArgs(["-x"], SPEC), /Unknown option '-x'/);
  assert.throws(
    () => parseArgs(["--server"], SPEC),
    /'--server' needs a value/,
  );
  assert.throws(() => parseArgs(["--demo=1"], SPEC), UsageError);
});
