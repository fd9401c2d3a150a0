/**
 * Overhead: tools/call over stdio against the loopback fake, versus fetching
 * the same Plex endpoints directly from this process, for every read tool,
 * with the cache off, on a server with 14 libraries; get_libraries also with
 * the cache on; and the first 100 calls of every read tool after a start.
 */
import { FakePlex } from "../src/demo/fake_plex/mod.ts";
import type { DemoLibrary } from "../src/demo/library.ts";
import { serveFake } from "../src/demo/serve.ts";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { DEFAULT_TOOLSETS } from "../src/tools/shared/define_tool.ts";
import { PLEX_TV_TOOLS, validArgs } from "../tests/support/tool_args.ts";
import {
  BENCH_TOKEN,
  LoadProbe,
  median,
  percentile,
  type Section,
  spread,
  time,
  WireClient,
} from "./lib.ts";

/** Libraries on the measured server (a large home server has about this). */
export const LIBRARIES = 14;

/** Calls measured right after a start, reported apart from the steady figures. */
const FIRST_CALLS = 100;

/**
 * How long the fake holds each answer while a tool's requests are recorded,
 * so that requests the tool sends together are seen overlapping.
 */
const HOLD_MS = 50;

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

/** Read tools timed in a section of their own (bench/watch.ts). */
const OWN_SECTION = ["find_dialogue", "get_story_so_far"];

/** One Plex request as the fake logged it. */
interface Logged {
  method: string;
  path: string;
}

/**
 * The requests one call of a tool makes, in the groups the tool sent them:
 * the requests of a group were in flight together, the groups one after
 * another.
 */
type PlexPath = Logged[][];

async function direct(base: string, path: PlexPath): Promise<void> {
  for (const group of path) {
    await Promise.all(group.map(async ({ method, path }) => {
      const r = await fetch(base + path, {
        method,
        headers: { Accept: "application/json", "X-Plex-Token": BENCH_TOKEN },
      });
      const text = await r.text();
      // Subtitle files (find_dialogue) are text, not JSON.
      if (text && r.headers.get("content-type")?.includes("json")) {
        JSON.parse(text);
      }
    }));
  }
}

/**
 * Records what `call` asks Plex, from the fake's own request log. While
 * recording, the fake holds every answer {@link HOLD_MS}: a request that
 * arrives while another is unanswered was sent together with it (same
 * group); one that arrives when all are answered was sent after an answer
 * (a new group).
 */
async function record(
  fake: FakePlex,
  call: () => Promise<void>,
): Promise<PlexPath> {
  const groups: Logged[][] = [];
  let inFlight = 0;
  const original = fake.handle;
  fake.handle = async (req: Request): Promise<Response> => {
    if (inFlight === 0) groups.push([]);
    const group = groups[groups.length - 1]!;
    inFlight++;
    try {
      // `handle` logs the request before its first await.
      const answer = original.call(fake, req);
      const seen = fake.requests[fake.requests.length - 1]!;
      group.push({ method: seen.method, path: seen.path });
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      return await answer;
    } finally {
      inFlight--;
    }
  };
  try {
    await call();
  } finally {
    fake.handle = original;
  }
  return groups;
}

/** Samples of one measured series. */
interface Series {
  mcp: number[];
  direct: number[];
  /** MCP minus direct, pair by pair. */
  diff: number[];
  /** Plex requests the MCP calls made (from the fake's log). */
  requests: number;
  /**
   * The floor server's calls on the same path minus the direct fetch of
   * the same round (when a floor was measured).
   */
  floorDiff: number[];
}

/**
 * `count` MCP calls and as many direct fetches, in alternation (A B, B A,
 * …) so that both see the same moments of the machine; each call's Plex
 * requests are counted from the fake's log.
 */
async function measure(
  fake: FakePlex,
  mcp: () => Promise<void>,
  viaFetch: () => Promise<void>,
  count: number,
  floor?: () => Promise<void>,
): Promise<Series> {
  const s: Series = {
    mcp: [],
    direct: [],
    diff: [],
    requests: 0,
    floorDiff: [],
  };
  const viaMcp = async () => {
    const before = fake.requests.length;
    const [ms] = await time(mcp);
    s.requests += fake.requests.length - before;
    return ms;
  };
  for (let i = 0; i < count; i++) {
    let m: number;
    let f: number;
    if (i % 2 === 0) {
      m = await viaMcp();
      f = (await time(viaFetch))[0];
    } else {
      f = (await time(viaFetch))[0];
      m = await viaMcp();
    }
    s.mcp.push(m);
    s.direct.push(f);
    s.diff.push(m - f);
    if (floor) {
      // Right after the pair (alternating which of the two goes first), so
      // that the three see the same moments of the machine.
      if (i % 2 === 0) {
        const [fl] = await time(floor);
        s.floorDiff.push(fl - (await time(viaFetch))[0]);
      } else {
        const d = (await time(viaFetch))[0];
        s.floorDiff.push((await time(floor))[0] - d);
      }
    }
  }
  return s;
}

const perCall = (s: Series) => {
  const r = s.requests / s.mcp.length;
  return Number.isInteger(r) ? String(r) : r.toFixed(2);
};

/** `| requests | samples | MCP | p95 | direct | overhead |` cells. */
const cells = (s: Series) =>
  `${perCall(s)} | ${s.mcp.length} | ${spread(s.mcp)} | ${
    percentile(s.mcp, 95).toFixed(2)
  } | ${spread(s.direct)} | ${spread(s.diff)} |`;

const HEADER =
  "| tool | Plex requests per call | samples | MCP median (p25–p75) ms | MCP p95 ms | direct fetch median (p25–p75) ms | overhead median (p25–p75) ms |";
const RULE = "| --- | --- | --- | --- | --- | --- | --- |";

/**
 * Measures `n` calls of each read tool and of its direct-fetch equivalent
 * on one long-running server, after `warmUp` calls of both (get_libraries,
 * search_media) or `warmUp / 3` (the others: they share most of their code
 * path with them); get_libraries again on a server with the cache on; and
 * the first `min(100, warmUp)` calls of each read tool, each on a freshly
 * started server. A server only reaches its steady speed once V8 has
 * optimised the hot paths.
 */
export async function overhead(n: number, warmUp = 1_000): Promise<Section> {
  const probe = new LoadProbe();
  const fake = new FakePlex({ token: BENCH_TOKEN });
  withSections(fake.library, LIBRARIES);
  const served = serveFake(fake);
  const start = async (env: Record<string, string>) => {
    const wire = new WireClient(
      { PLEX_SERVER_URL: served.url, PLEX_TOKEN: BENCH_TOKEN, ...env },
      served.host,
    );
    await wire.initialize();
    return wire;
  };
  const caller = (wire: WireClient) =>
  async (
    name: string,
    args: Record<string, unknown>,
  ): Promise<void> => {
    const r = await wire.request("tools/call", { name, arguments: args }) as {
      result?: { isError?: boolean };
    };
    if (!r.result || r.result.isError) throw new Error(`${name} failed`);
  };
  const args = validArgs(fake.library);
  // The read tools a default server offers (opt-in toolsets and the tools
  // for several servers are not on it), but those that also talk to
  // plex.tv (where_to_watch), which this loopback server cannot reach, and
  // those whose work is more than shaping Plex's answer (parsing and
  // searching subtitles: the "watch" section times them on their own).
  const reads = ALL_TOOLS.filter((t) =>
    t.annotations.readOnlyHint && !t.severalServersOnly &&
    DEFAULT_TOOLSETS.includes(t.toolset) &&
    !PLEX_TV_TOOLS.includes(t.name) && !OWN_SECTION.includes(t.name)
  )
    .map((t) => t.name);
  // Extra rows: a tool with other arguments, under its own label.
  const extra: Record<string, [string, Record<string, unknown>]> = {
    // By numeric key and without a filter: the page alone, no lookup of
    // the library list.
    "browse_library (key 1)": ["browse_library", { library: "1", limit: 5 }],
  };
  reads.splice(reads.indexOf("browse_library") + 1, 0, ...Object.keys(extra));
  const toolOf = (label: string) => extra[label]?.[0] ?? label;
  const argsOf = (label: string) => extra[label]?.[1] ?? args[label]!;
  const first = Math.min(FIRST_CALLS, warmUp);
  const rows: string[] = [];
  const earlyRows: string[] = [];
  const cacheRows: string[] = [];
  const targets: Section["targets"] = [];
  const notes: string[] = [];
  let worst = { tool: "", overhead: -Infinity };
  let pings: number[] = [];
  const paths = new Map<string, PlexPath>();
  const wire = await start({ PLEX_CACHE_TTL: "0" });
  const call = caller(wire);
  // The per-call floor (sdk_floor.ts): a one-tool SDK server fetching the
  // same requests.
  const floorWire = new WireClient(
    { PLEX_SERVER_URL: served.url, PLEX_TOKEN: BENCH_TOKEN },
    served.host,
    "./sdk_floor.ts",
  );
  await floorWire.initialize();
  const floorOf = (tool: string) => async () => {
    const r = await floorWire.request("tools/call", {
      name: "fetch_plex",
      arguments: { groups: paths.get(tool)! },
    }) as { result?: { isError?: boolean } };
    if (!r.result || r.result.isError) throw new Error("the floor failed");
  };
  const floorRows: string[] = [];
  let worstRatio = { tool: "", ratio: -Infinity };
  try {
    // The direct path of each tool: the requests of one call, recorded from
    // the fake after a first call (which loads the tool and fills caches of
    // ids, as any later call finds them).
    for (const tool of reads) {
      await call(toolOf(tool), argsOf(tool));
      paths.set(
        tool,
        await record(fake, () => call(toolOf(tool), argsOf(tool))),
      );
    }
    const fetchOf = (tool: string) => () =>
      direct(served.url, paths.get(tool)!);
    for (const tool of reads) {
      const headline = tool === "get_libraries" || tool === "search_media";
      const rounds = headline ? warmUp : Math.floor(warmUp / 3);
      for (let i = 0; i < rounds; i++) {
        await call(toolOf(tool), argsOf(tool));
        await direct(served.url, paths.get(tool)!);
        await floorOf(tool)();
      }
      const s = await measure(
        fake,
        () => call(toolOf(tool), argsOf(tool)),
        fetchOf(tool),
        n,
        floorOf(tool),
      );
      const ratio = median(s.diff) / median(s.floorDiff);
      if (ratio > worstRatio.ratio) worstRatio = { tool, ratio };
      floorRows.push(
        `| ${tool} | ${spread(s.diff)} | ${spread(s.floorDiff)} | ${
          ratio.toFixed(2)
        }× |`,
      );
      probe.sample();
      const recorded = paths.get(tool)!.flat().length;
      if (s.requests !== recorded * n) {
        notes.push(
          `${tool}: the direct path has the ${recorded} requests of the recorded call; the measured calls made ${
            perCall(s)
          } per call.`,
        );
      }
      rows.push(`| ${tool} | ${cells(s)}`);
      const o = median(s.diff);
      if (tool === "get_libraries") {
        cacheRows.push(`| off (\`PLEX_CACHE_TTL=0\`) | ${cells(s)}`);
      }
      if (o > worst.overhead) worst = { tool, overhead: o };
    }
    // Issue 24: absolute overheads move with the machine, so the target is
    // the ratio to the floor measured in the same run; the largest
    // overhead in milliseconds is reported beside it.
    targets.push({
      name:
        "every read tool: median overhead ≤ 1.5× the one-tool SDK server's on the same Plex requests (cache off)",
      met: worstRatio.ratio <= 1.5,
      detail: `worst ${worstRatio.tool} ${
        worstRatio.ratio.toFixed(2)
      }× (largest overhead: ${worst.tool} ${worst.overhead.toFixed(2)} ms)`,
    });
    // The floor: a JSON-RPC ping through the same pipes, no Plex involved.
    for (let i = 0; i < n; i++) {
      pings.push((await time(() => wire.request("ping", {})))[0]);
    }

    // get_libraries with the cache on (the default TTL), against the same
    // direct path: what a client gets compared with asking Plex itself.
    const cached = await start({});
    try {
      const callCached = caller(cached);
      for (let i = 0; i < warmUp; i++) {
        await callCached("get_libraries", {});
        await direct(served.url, paths.get("get_libraries")!);
      }
      const s = await measure(
        fake,
        () => callCached("get_libraries", {}),
        fetchOf("get_libraries"),
        n,
      );
      cacheRows.push(`| default (5 s) | ${cells(s)}`);
    } finally {
      await cached.close();
    }
    probe.sample();

    // The first calls of each tool after a start, each on a new server.
    for (const tool of reads) {
      const fresh = await start({ PLEX_CACHE_TTL: "0" });
      try {
        const callFresh = caller(fresh);
        const s = await measure(
          fake,
          () => callFresh(toolOf(tool), argsOf(tool)),
          fetchOf(tool),
          first,
        );
        earlyRows.push(`| ${tool} | ${cells(s)}`);
      } finally {
        await fresh.close();
      }
    }
  } finally {
    await wire.close();
    await floorWire.close();
    await served.close();
  }
  const load = probe.summary();
  // How a tool's requests went, e.g. "1, then 14 at once".
  const groupsOf = (tool: string) =>
    (paths.get(tool) ?? [])
      .map((g) => g.length === 1 ? "1" : `${g.length} at once`)
      .join(", then ");
  pings = pings.length ? pings : [NaN];
  return {
    title:
      `Overhead: ${n} calls of each read tool, stdio MCP vs direct fetch, ${LIBRARIES} libraries, cache off`,
    lines: [
      HEADER,
      RULE,
      ...rows,
      `| ping (no Plex) | 0 | ${pings.length} | ${spread(pings)} | ${
        percentile(pings, 95).toFixed(2)
      } | – | – |`,
      "",
      `The MCP path is a JSON-RPC request written to the server's stdin and its answer read from stdout (a bare client, so client-side validation is not counted): it includes the pipes, the server's validation and shaping, and the server's own fetches. The direct path is the same Plex requests made from the benchmark process: the requests of one call of the tool as the fake logged them, sent together where the tool sent them together (recorded with each answer held ${HOLD_MS} ms, so that requests in flight at once show; get_libraries's went ${
        groupsOf("get_libraries")
      }), one group after another. Requests per call are counted from the fake's log during the measured calls. MCP calls and direct fetches alternate (MCP first, then direct first, …), so both see the same moments of the machine; the overhead is the median of the pairwise differences, with its quartiles. Cache off (\`PLEX_CACHE_TTL=0\`). Steady rows are measured on one server after ${warmUp} calls (get_libraries, search_media) or ${
        Math.floor(warmUp / 3)
      } (the others) of both paths.`,
      ...(notes.length ? ["", ...notes.map((note) => `- ${note}`)] : []),
      "",
      "### Each read tool against the per-call floor",
      "",
      "| tool | plexmcp overhead median (p25–p75) ms | SDK floor overhead median (p25–p75) ms | ratio |",
      "| --- | --- | --- | --- |",
      ...floorRows,
      "",
      "The floor is a one-tool SDK server (bench/sdk_floor.ts: `McpServer`, one zod-described tool, the SDK's stdio transport) whose tool fetches the same recorded Plex requests, in the same groups, parses each JSON answer and answers a short text: the least any SDK server can do for the call. Its overhead is measured like ours, against a direct fetch of the same round, interleaved with the rows above on the same machine moments; the ratio is ours over its, medians of one run (absolute overheads move with the machine, the ratio much less).",
      "",
      `### get_libraries on ${LIBRARIES} libraries, cache off and on`,
      "",
      HEADER.replace("| tool |", "| cache |").replace(
        "overhead median",
        "MCP minus direct fetch of every request, median",
      ),
      RULE,
      ...cacheRows,
      "",
      `With the cache on, a call within the TTL of the last one is answered from the server's memory: fewer Plex requests than the direct path, which always makes all ${
        paths.get("get_libraries")?.flat().length
      } requests, so the difference can be negative. Each server is measured after ${warmUp} calls.`,
      "",
      `### The first ${first} calls of each read tool after a start`,
      "",
      HEADER,
      RULE,
      ...earlyRows,
      "",
      `Each tool on a newly started server (cache off), from its first call: the first call loads the tool definitions, and V8 has not yet optimised the hot paths. Shown for comparison, not as a target.`,
      "",
      load.line,
    ],
    targets,
    warnings: load.warning ? [load.warning] : [],
  };
}
