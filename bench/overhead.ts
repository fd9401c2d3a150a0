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

/** Measures `n` calls of each tool and of its direct-fetch equivalent. */
export async function overhead(n: number): Promise<Section> {
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
  const targets: Section["targets"] = [];
  try {
    for (const [tool, args, paths] of cases) {
      for (let i = 0; i < 20; i++) { // warm-up both paths
        await call(tool, args);
        await direct(served.url, paths);
      }
      const viaMcp: number[] = [];
      const viaFetch: number[] = [];
      for (let i = 0; i < n; i++) {
        viaMcp.push((await time(() => call(tool, args)))[0]);
        viaFetch.push((await time(() => direct(served.url, paths)))[0]);
      }
      const m = median(viaMcp);
      const f = median(viaFetch);
      rows.push(
        `| ${tool} | ${m.toFixed(2)} / ${percentile(viaMcp, 95).toFixed(2)} | ${
          f.toFixed(2)
        } / ${percentile(viaFetch, 95).toFixed(2)} | ${(m / f).toFixed(2)}× | ${
          (m - f).toFixed(2)
        } ms |`,
      );
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
      "",
      "The MCP path is a JSON-RPC request written to the server's stdin and its answer read from stdout (a bare client, so client-side validation is not counted): it includes the pipes, the server's validation and shaping, and the server's own fetches. The direct path is the same Plex requests made from the benchmark process. Cache off (`PLEX_CACHE_TTL=0`).",
    ],
    targets,
  };
}
