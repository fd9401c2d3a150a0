/**
 * Every module of `src/` takes zod from `src/zod.ts` (see there why: each
 * module naming the npm package itself adds to every start).
 */
import assert from "node:assert/strict";

Deno.test("src/ imports zod only through src/zod.ts", async () => {
  const root = new URL("./", import.meta.url);
  const offenders: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const name = prefix + entry.name;
      if (entry.isDirectory) {
        await walk(new URL(entry.name + "/", dir), name + "/");
      } else if (
        name.endsWith(".ts") && !name.endsWith("_test.ts") && name !== "zod.ts"
      ) {
        const text = await Deno.readTextFile(new URL(entry.name, dir));
        if (/from\s+["']zod["']|import\(\s*["']zod["']/.test(text)) {
          offenders.push(name);
        }
      }
    }
  };
  await walk(root, "");
  assert.ok(offenders.length === 0, `import "zod" directly: ${offenders}`);
  // The check can fail: it sees the one file allowed to.
  const own = await Deno.readTextFile(new URL("zod.ts", root));
  assert.match(own, /from "zod"/);
});
