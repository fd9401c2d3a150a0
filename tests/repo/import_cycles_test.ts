/**
 * No import cycle in src/: the module graph of every entry point (the
 * package, the demo's commands and fakes), from `deno info --json`, split
 * into strongly connected components (Tarjan); any component of more than
 * one module is a cycle. There is none, and this test keeps it so. It also
 * holds the client layers apart: the Plex server client (src/plex/) and
 * the plex.tv client (src/plextv/) share only the transport under them.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** Where the graph is read from: everything src/ loads is reachable from these. */
const ENTRY_POINTS = [
  "src/mod.ts",
  "src/demo/serve.ts",
  "src/demo/tour.ts",
  "src/demo/fake_plex/mod.ts",
  "src/demo/fake_plextv/mod.ts",
];

/** The module graph below `entry`: file path (from the repo root) to its imports. */
async function graphOf(entry: string): Promise<Map<string, string[]>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: {
        code?: { specifier?: string };
        type?: { specifier?: string };
      }[];
    }[];
  };
  const root = ROOT.href;
  const local = (s: string | undefined): string | undefined =>
    s?.startsWith(root) ? s.slice(root.length) : undefined;
  const graph = new Map<string, string[]>();
  for (const m of info.modules) {
    const from = local(m.specifier);
    if (!from) continue;
    const to = new Set<string>();
    for (const d of m.dependencies ?? []) {
      for (const s of [d.code?.specifier, d.type?.specifier]) {
        const t = local(s);
        if (t) to.add(t);
      }
    }
    graph.set(from, [...to]);
  }
  return graph;
}

/** Tarjan's strongly connected components of more than one module (or a module importing itself). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  // Iterative, so a deep import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const deps = graph.get(v) ?? [];
      if (i < deps.length) {
        top[1]++;
        const w = deps[i]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1]![0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || deps.includes(v)) {
          found.push(component.sort());
        }
      }
    }
  }
  return found;
}

Deno.test("cycles() finds a cycle, a self-import, and nothing in a tree", () => {
  assert.deepEqual(
    cycles(
      new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a", "d"]], ["d", []]]),
    ),
    [["a", "b", "c"]],
  );
  assert.deepEqual(cycles(new Map([["a", ["a"]]])), [["a"]]);
  assert.deepEqual(
    cycles(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]])),
    [],
  );
});

Deno.test("src/ has no import cycle", async () => {
  const graph = new Map<string, string[]>();
  for (const entry of ENTRY_POINTS) {
    for (const [k, v] of await graphOf(entry)) graph.set(k, v);
  }
  assert.ok(graph.size > 100, `only ${graph.size} modules read`);
  const offending = cycles(graph);
  assert.deepEqual(
    offending,
    [],
    "an import cycle: route the shared piece into a module both sides import (see docs/ARCHITECTURE.md)",
  );
});

Deno.test("src/plex/ and src/plextv/ import each other only through src/transport/", async () => {
  const graph = new Map<string, string[]>();
  for (const entry of ENTRY_POINTS) {
    for (const [k, v] of await graphOf(entry)) graph.set(k, v);
  }
  const crossing: string[] = [];
  for (const [from, deps] of graph) {
    for (const to of deps) {
      if (
        (from.startsWith("src/plex/") && to.startsWith("src/plextv/")) ||
        (from.startsWith("src/plextv/") && to.startsWith("src/plex/"))
      ) crossing.push(`${from} -> ${to}`);
    }
  }
  assert.ok([...graph.keys()].some((m) => m.startsWith("src/transport/")));
  assert.deepEqual(crossing, []);
});
