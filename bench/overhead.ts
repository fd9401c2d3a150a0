/**
 * Overhead: tools/call over stdio against the loopback fake, versus fetching
 * the same Plex endpoints directly from this process, for every read tool,
 * with the cache off, on a server with 14 libraries.
 */
import { FakePlex } from "../src/demo/fake_plex.ts";
import type { DemoLibrary } from "../src/demo/library.ts";
import { serveFake } from "../src/demo/serve.ts";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { validArgs } from "../tests/tool_args.ts";
import {
  BENCH_TOKEN,
  median,
  percentile,
  type Section,
  time,
  WireClient,
} from "./lib.ts";

/** Libraries on the measured server (a large home server has about this). */
export const LIBRARIES = 14;

/** Adds empty copies of the demo's sections until there are `n`. */
function withSections(lib: DemoLibrary, n: number): DemoLibrary {
  const template = [...lib.sections.values()];
  for (let id = lib.sections.size + 1; id <= n; id++) {
    const from = template[id % template.length]!;
    lib.sections.set(id, {
      id,
      items: [],
      raw: {
        ...from.raw,
        key: String(id),
        title: `${from.raw.title} ${id}`,
        uuid: `${id}-${from.raw.uuid}`,
      },
    });
  }
  return lib;
}

async function direct(base: string, paths: string[][]): Promise<void> {
  // Each inner list is fetched in parallel, the lists one after another, as
  // the tool does.
  for (const group of paths) {
    await Promise.all(group.map(async (p) => {
      const r = await fetch(base + p, {
        headers: { Accept: "application/json", "X-Plex-Token": BENCH_TOKEN },
      });
      const text = await r.text();
      if (text) JSON.parse(text);
    }));
  }
}

/** Calls measured right after start, reported apart from the steady figures. */
const FIRST_CALLS = 100;

/**
 * Measures `n` calls of each read tool and of its direct-fetch equivalent,
 * after `warmUp` calls of both (the two headline tools) or `warmUp / 3`
 * (the others: they share most of their code path with them). A server only
 * reaches its steady speed once V8 has optimised the hot paths; the first
 * calls after a start are reported apart.
 */
export async function overhead(n: number, warmUp = 1_000): Promise<Section> {
  const fake = new FakePlex({ token: BENCH_TOKEN });
  withSections(fake.library, LIBRARIES);
  const served = serveFake(fake);
  const wire = new WireClient(
    {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: BENCH_TOKEN,
      PLEX_CACHE_TTL: "0",
    },
    served.host,
  );
  await wire.initialize();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await wire.request("tools/call", { name, arguments: args }) as {
      result?: { isError?: boolean };
    };
    if (!r.result || r.result.isError) throw new Error(`${name} failed`);
  };
  const args = validArgs(fake.library);
  const size0 = "?X-Plex-Container-Start=0&X-Plex-Container-Size=0";
  const sectionKeys = [...fake.library.sections.keys()];
  const reads = ALL_TOOLS.filter((t) => t.annotations.readOnlyHint)
    .map((t) => t.name);
  // The direct path of each tool: the requests one call makes, recorded
  // from the fake, one after another; get_libraries's counts go together,
  // as the tool sends them.
  const paths = new Map<string, string[][]>();
  paths.set("get_libraries", [
    ["/library/sections"],
    sectionKeys.map((k) => `/library/sections/${k}/all${size0}`),
  ]);
  for (const tool of reads) {
    if (paths.has(tool)) continue;
    await call(tool, args[tool]!); // (loads the tool, fills caches of ids)
    const before = fake.requests.length;
    await call(tool, args[tool]!);
    paths.set(
      tool,
      fake.requests.slice(before).filter((q) => q.path !== "/identity").map((
        q,
      ) => [q.path]),
    );
  }
  const rows: string[] = [];
  const earlyRows: string[] = [];
  const targets: Section["targets"] = [];
  let worst = { tool: "", overhead: -Infinity };
  try {
    const measure = async (tool: string, count: number) => {
      const viaMcp: number[] = [];
      const viaFetch: number[] = [];
      for (let i = 0; i < count; i++) {
        viaMcp.push((await time(() => call(tool, args[tool]!)))[0]);
        viaFetch.push(
          (await time(() => direct(served.url, paths.get(tool)!)))[0],
        );
      }
      const m = median(viaMcp);
      const f = median(viaFetch);
      return {
        m,
        f,
        row: `${m.toFixed(2)} / ${percentile(viaMcp, 95).toFixed(2)} | ${
          f.toFixed(2)
        } / ${percentile(viaFetch, 95).toFixed(2)} | ${
          (m - f).toFixed(2)
        } ms |`,
      };
    };
    for (const tool of reads) {
      const headline = tool === "get_libraries" || tool === "search_media";
      const first = Math.min(FIRST_CALLS, warmUp);
      if (headline) {
        const early = await measure(tool, first);
        earlyRows.push(`| ${tool}, first ${first} calls | ${early.row}`);
      }
      const rounds = headline ? warmUp : Math.floor(warmUp / 3);
      for (let i = headline ? first : 0; i < rounds; i++) {
        await call(tool, args[tool]!);
        await direct(served.url, paths.get(tool)!);
      }
      const { m, f, row } = await measure(tool, n);
      const requests = paths.get(tool)!.flat().length;
      rows.push(`| ${tool} | ${requests} | ${row}`);
      if (m - f > worst.overhead) worst = { tool, overhead: m - f };
      if (headline) {
        targets.push({
          name: `${tool}: median overhead over direct fetch < 1 ms${
            tool === "get_libraries" ? ` (${LIBRARIES} libraries)` : ""
          }`,
          met: m - f < 1,
          detail: `${(m - f).toFixed(2)} ms`,
        });
      }
    }
    targets.push({
      name: "every read tool: median overhead < 1 ms (cache off)",
      met: worst.overhead < 1,
      detail: `worst ${worst.tool} ${worst.overhead.toFixed(2)} ms`,
    });
    // The floor: a JSON-RPC ping through the same pipes, no Plex involved.
    const pings: number[] = [];
    for (let i = 0; i < n; i++) {
      pings.push((await time(() => wire.request("ping", {})))[0]);
    }
    rows.push(
      `| ping (no Plex) | 0 | ${median(pings).toFixed(2)} / ${
        percentile(pings, 95).toFixed(2)
      } | – | – |`,
    );
  } finally {
    await wire.close();
    await served.close();
  }
  return {
    title:
      `Overhead: ${n} calls of each read tool, stdio MCP vs direct fetch, ${LIBRARIES} libraries, cache off`,
    lines: [
      "| tool | Plex requests per call | MCP median / p95 (ms) | direct fetch median / p95 (ms) | overhead (median) |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
      ...earlyRows,
      "",
      `The MCP path is a JSON-RPC request written to the server's stdin and its answer read from stdout (a bare client, so client-side validation is not counted): it includes the pipes, the server's validation and shaping, and the server's own fetches. The direct path is the same Plex requests made from the benchmark process (recorded from one call of the tool; get_libraries's ${LIBRARIES} counts in parallel as the tool sends them, the others one after another). Cache off (\`PLEX_CACHE_TTL=0\`). Steady rows are measured after ${warmUp} calls (get_libraries, search_media) or ${
        Math.floor(warmUp / 3)
      } (the others) of both paths. The "first" rows are the first calls after the server started, before V8 has optimised the hot paths; they are shown for comparison, not as a target.`,
    ],
    targets,
  };
}
