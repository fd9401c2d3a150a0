/**
 * docs/RELIABILITY.md names, for each guarantee, the tests that hold it:
 * every file it cites must exist, and every test it cites by name must be
 * a `Deno.test` in that file (a name ending in "…" is a prefix), so that a
 * renamed or deleted test cannot leave a guarantee held by nothing.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** A file cited in a "Held by" cell, with the test names quoted after it. */
interface Citation {
  file: string;
  names: string[];
}

/**
 * The citations of one "Held by" cell: each `` `path.ts` `` followed by
 * quoted names ("name", "name…"), backticks inside names dropped.
 */
function citations(cell: string): Citation[] {
  const out: Citation[] = [];
  const ref = /`([\w./-]+\.ts)`((?:\s*(?:\([^)]*\))?\s*,?\s*"[^"]*")*)/g;
  for (const m of cell.matchAll(ref)) {
    const names = [...m[2]!.matchAll(/"([^"]*)"/g)].map((n) =>
      n[1]!.replaceAll("`", "")
    );
    out.push({ file: m[1]!, names });
  }
  return out;
}

/** The "Held by" cell of every guarantee row of the page. */
function heldBy(markdown: string): string[] {
  return markdown.split("\n")
    .filter((l) => l.startsWith("| ") && !/^\|\s*(Guarantee|-{3})/.test(l))
    .map((l) => l.split(" | ").at(-1)!.replace(/\s*\|\s*$/, ""));
}

/** Names of the `Deno.test`s declared in `source` (literal names only). */
function testNames(source: string): string[] {
  return [...source.matchAll(/Deno\.test\(\s*(["'`])((?:\\.|(?!\1).)*)\1/gs)]
    .map((m) => m[2]!.replace(/\\(.)/g, "$1"));
}

Deno.test("citations() reads files and quoted test names, prefixes included", () => {
  assert.deepEqual(
    citations(
      '`src/a_test.ts` "one", "two…", `tests/b_test.ts` (`x` fault) "three `__proto__`", `src/c.ts`',
    ),
    [
      { file: "src/a_test.ts", names: ["one", "two…"] },
      { file: "tests/b_test.ts", names: ["three __proto__"] },
      { file: "src/c.ts", names: [] },
    ],
  );
});

Deno.test("every test that docs/RELIABILITY.md cites exists in the file it names", async () => {
  const page = await Deno.readTextFile(new URL("docs/RELIABILITY.md", ROOT));
  const cells = heldBy(page);
  assert.ok(cells.length >= 40, `${cells.length} guarantees`);
  const missing: string[] = [];
  let checked = 0;
  for (const cell of cells) {
    const cited = citations(cell);
    assert.ok(cited.length > 0, `a guarantee held by no file: ${cell}`);
    for (const { file, names } of cited) {
      let source: string;
      try {
        source = await Deno.readTextFile(new URL(file, ROOT));
      } catch {
        missing.push(`${file} (no such file)`);
        continue;
      }
      const declared = testNames(source);
      for (const name of names) {
        checked++;
        const found = name.endsWith("…")
          ? declared.some((d) => d.startsWith(name.slice(0, -1)))
          : declared.includes(name);
        if (!found) missing.push(`${file}: "${name}"`);
      }
    }
  }
  assert.ok(checked >= 60, `${checked} test names checked`);
  assert.deepEqual(missing, [], "cited tests that do not exist");
});
