/**
 * Fault matrix: every tool of a default server against every fault the
 * fake can inject (see tests/support/fault_matrix.ts for what each case must hold).
 */
import assert from "node:assert/strict";
import { FAULTS } from "../../src/demo/fake_plex/faults.ts";
import { runFaultMatrix } from "../support/fault_matrix.ts";
import { ONE_SERVER_TOOLS } from "../support/tool_args.ts";

Deno.test("fault matrix: every tool × every fault fails specifically, then recovers", async () => {
  const run = await runFaultMatrix(ONE_SERVER_TOOLS.map((t) => t.name));
  // deno-lint-ignore no-console
  console.log(
    `fault matrix: ${ONE_SERVER_TOOLS.length} tools × ${FAULTS.length} faults = ${run.cases} cases, ${run.passed} passed`,
  );
  assert.deepEqual(run.failures, []);
  assert.equal(run.passed, run.cases);
});
