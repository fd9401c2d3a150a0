/**
 * The stdio server's start-up stays as it was: nothing of `serve --http`
 * is statically reachable from `src/mod.ts` (the HTTP code loads only
 * through `serve`'s dynamic import), so the cold-start benchmark against
 * a bare SDK server is not affected.
 */
import assert from "node:assert/strict";

interface InfoModule {
  specifier: string;
  dependencies?: {
    specifier: string;
    isDynamic?: boolean;
    code?: { specifier: string };
  }[];
}

Deno.test("the stdio start path loads no HTTP code: src/http/, serve.ts and the SDK's HTTP transport are reached only through a dynamic import", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "src/mod.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const imported: string[] = [];
  const walk = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dep.isDynamic) continue;
      imported.push(dep.specifier);
      if (dep.code?.specifier) walk(dep.code.specifier);
    }
  };
  walk(info.roots[0]!);
  const local = [...seen].filter((s) => s.startsWith("file:"));
  assert.ok(
    local.some((s) => s.endsWith("/src/commands/cli.ts")),
    "the walk reached cli.ts",
  );
  assert.ok(local.some((s) => s.endsWith("/src/stdio.ts")));
  assert.deepEqual(
    local.filter((s) => /\/src\/http\/|\/src\/commands\/serve\.ts$/.test(s)),
    [],
  );
  assert.deepEqual(imported.filter((s) => /streamableHttp/i.test(s)), []);
  // And serve.ts does reach them (the walk would see them if static).
  const serve = info.modules.find((m) =>
    m.specifier.endsWith("/src/commands/serve.ts")
  );
  assert.ok(serve, "serve.ts is in the graph, dynamically");
  assert.ok(
    serve.dependencies?.some((d) => d.specifier === "../http/handler.ts"),
  );
});
