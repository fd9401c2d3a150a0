/**
 * Concurrency: 100 tool calls at once (the old project's performance test)
 * versus one after another; throughput and requests made to Plex, with the
 * default cache and without it.
 */
import { validArgs } from "../tests/support/tool_args.ts";
import { type Section, startRig, time } from "./lib.ts";

const MIX = [
  "get_libraries",
  "search_media",
  "browse_library",
  "get_media_details",
  "get_on_deck",
];

async function run(calls: number, env: Record<string, string>) {
  const rig = await startRig({ env });
  const args = validArgs(rig.fake.library);
  const batch = () =>
    Array.from({ length: calls }, (_, i) => MIX[i % MIX.length]!);
  try {
    await rig.call("get_plex_status"); // warm-up
    let before = rig.fake.requests.length;
    const [seqMs] = await time(async () => {
      for (const name of batch()) await rig.call(name, args[name]);
    });
    const seqRequests = rig.fake.requests.length - before;
    before = rig.fake.requests.length;
    let failed = 0;
    const [parMs] = await time(() =>
      Promise.all(
        batch().map((name) => rig.call(name, args[name]).catch(() => failed++)),
      )
    );
    const parRequests = rig.fake.requests.length - before;
    return { seqMs, parMs, seqRequests, parRequests, failed };
  } finally {
    await rig.close();
  }
}

/** Runs `calls` calls each way, with and without the cache. */
export async function concurrency(calls: number): Promise<Section> {
  const cached = await run(calls, {});
  const uncached = await run(calls, { PLEX_CACHE_TTL: "0" });
  const row = (label: string, r: typeof cached) =>
    `| ${label} | ${
      (calls / (r.seqMs / 1000)).toFixed(0)
    } calls/s, ${r.seqRequests} Plex requests | ${
      (calls / (r.parMs / 1000)).toFixed(0)
    } calls/s, ${r.parRequests} Plex requests | ${
      (r.seqMs / r.parMs).toFixed(2)
    }× | ${r.failed} |`;
  return {
    title: `Concurrency: ${calls} calls at once vs one at a time`,
    lines: [
      "| cache | sequential | concurrent | speed-up | failed |",
      "| --- | --- | --- | --- | --- |",
      row("default (5 s)", cached),
      row("off", uncached),
    ],
    targets: [{
      name: `${calls} concurrent calls complete`,
      met: cached.failed === 0 && uncached.failed === 0,
      detail: `${cached.failed + uncached.failed} failed`,
    }],
  };
}
