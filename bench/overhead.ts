/**
 * Overhead: tools/call over stdio against the loopback fake, versus fetching
 * the same Plex endpoints directly from this process.
 */
import { FakePlex } from "../src/demo/fake_plex.ts";
import { serveFake } from "../src/demo/serve.ts";
import {
  BENCH_TOKEN,
  median,
  percentile,
  type Section,
  time,
  WireClient,
} from "./lib.ts";

async function direct(base: string, paths: string[][]): Promise<void> {
  // Each inner list is fetched in parallel, the lists one after another, as
  // the tool does (sections first, then the counts together).
  for (const group of paths) {
    await Promise.all(group.map(async (p) => {
      const r = await fetch(base + p, {
        headers: { Accept: "application/json", "X-Plex-Token": BENCH_TOKEN },
      });
      JSON.parse(await r.text());
    }));
  }
}

/** Calls measured right after start, reported apart from the steady figures. */
const FIRST_CALLS = 100;

/**
 * Measures `n` calls of each tool and of its direct-fetch equivalent, after
 * `warmUp` calls of both. A server only reaches its steady speed once V8 has
 * optimised the hot paths, which takes several hundred calls; the first
 * calls after a start are what the cold-start figures are about.
 */
export async function overhead(n: number, warmUp = 1_000): Promise<Section> {
  const fake = new FakePlex({ token: BENCH_TOKEN });
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
  const size0 = "?X-Plex-Container-Start=0&X-Plex-Container-Size=0";
  const sectionKeys = [...fake.library.sections.keys()];
  const cases: [string, Record<string, unknown>, string[][]][] = [
    ["get_libraries", {}, [
      ["/library/sections"],
      sectionKeys.map((k) => `/library/sections/${k}/all${size0}`),
    ]],
    ["search_media", { query: "the" }, [["/hubs/search?query=the&limit=100"]]],
  ];
  const rows: string[] = [];
  const earlyRows: string[] = [];
  const targets: Section["targets"] = [];
  try {
    const measure = async (
      tool: string,
      args: Record<string, unknown>,
      paths: string[][],
      count: number,
    ) => {
      const viaMcp: number[] = [];
      const viaFetch: number[] = [];
      for (let i = 0; i < count; i++) {
        viaMcp.push((await time(() => call(tool, args)))[0]);
        viaFetch.push((await time(() => direct(served.url, paths)))[0]);
      }
      const m = median(viaMcp);
      const f = median(viaFetch);
      return {
        m,
        f,
        row: `${m.toFixed(2)} / ${percentile(viaMcp, 95).toFixed(2)} | ${
          f.toFixed(2)
        } / ${percentile(viaFetch, 95).toFixed(2)} | ${(m / f).toFixed(2)}× | ${
          (m - f).toFixed(2)
        } ms |`,
      };
    };
    for (const [tool, args, paths] of cases) {
      // The first calls after a start, before V8 has optimised anything.
      const first = Math.min(FIRST_CALLS, warmUp);
      const early = await measure(tool, args, paths, first);
      earlyRows.push(`| ${tool}, first ${first} calls | ${early.row}`);
      for (let i = first; i < warmUp; i++) {
        await call(tool, args);
        await direct(served.url, paths);
      }
      const { m, f, row } = await measure(tool, args, paths, n);
      rows.push(`| ${tool} | ${row}`);
      targets.push({
        name: `${tool}: median overhead over direct fetch < 1 ms`,
        met: m - f < 1,
        detail: `${(m - f).toFixed(2)} ms (${(m / f).toFixed(2)}×)`,
      });
    }
    // The floor: a JSON-RPC ping through the same pipes, no Plex involved.
    const pings: number[] = [];
    for (let i = 0; i < n; i++) {
      pings.push((await time(() => wire.request("ping", {})))[0]);
    }
    rows.push(
      `| ping (no Plex) | ${median(pings).toFixed(2)} / ${
        percentile(pings, 95).toFixed(2)
      } | – | – | – |`,
    );
  } finally {
    await wire.close();
    await served.close();
  }
  return {
    title: `Overhead: ${n} calls each, stdio MCP vs direct fetch`,
    lines: [
      "| tool | MCP median / p95 (ms) | direct fetch median / p95 (ms) | ratio | overhead (median) |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
      ...earlyRows,
      "",
      `The MCP path is a JSON-RPC request written to the server's stdin and its answer read from stdout (a bare client, so client-side validation is not counted): it includes the pipes, the server's validation and shaping, and the server's own fetches. The direct path is the same Plex requests made from the benchmark process. Cache off (\`PLEX_CACHE_TTL=0\`). The target rows are measured after ${warmUp} calls of each tool on both paths, at steady (optimised) speed. The "first" rows are the first calls of each tool after the server started, before V8 has optimised the hot paths; get_libraries runs first, so search_media's first calls already share warmed code. They are shown for comparison, not as a target.`,
    ],
    targets,
  };
}
