/**
 * The README's MCP Inspector examples, run as written (with the local
 * module for jsr:@plexmcp/server): each must print a successful result.
 * Needs npm (npx fetches the Inspector); skipped with the reason otherwise.
 */
import assert from "node:assert/strict";
import { MOD_PATH, npmUnreachable, runCommand } from "../support/helpers.ts";

const MARKER = "<!-- inspector-examples -->";

/** Splits a shell line into words (plain words and '…' quotes only). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

Deno.test("every README Inspector example runs and succeeds", async () => {
  const readme = await Deno.readTextFile(
    new URL("../../README.md", import.meta.url),
  );
  const block = readme.slice(readme.indexOf(MARKER)).match(
    /```sh\n([\s\S]*?)```/,
  )?.[1];
  assert.ok(block, "README has the examples block");
  const lines = block.trim().split("\n");
  assert.ok(lines.length >= 5);
  const why = await npmUnreachable();
  if (why) {
    // deno-lint-ignore no-console
    console.log(`skipped (npm registry unreachable: ${why})`);
    return;
  }
  for (const line of lines) {
    const [cmd, ...args] = words(line).map((w) =>
      w === "jsr:@plexmcp/server"
        ? MOD_PATH
        : w === "deno"
        ? Deno.execPath()
        : w
    );
    assert.equal(cmd, "npx");
    const r = await runCommand(cmd!, args, { timeoutMs: 180_000 });
    assert.ok(!r.timedOut, `${line} took over 180 s`);
    assert.equal(r.code, 0, `${line}\n${r.text}`);
    const json = r.text.slice(r.text.indexOf("{"));
    const out = JSON.parse(json.slice(0, json.lastIndexOf("}") + 1));
    assert.notEqual(out.isError, true, `${line}\n${r.text.slice(0, 400)}`);
  }
});
