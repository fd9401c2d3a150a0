/**
 * Memory: the server's resident memory after 1,000 mixed read calls with
 * the cache off, and its peak, with Deno's defaults and with V8 told to
 * favour size (`--optimize-for-size`, which the Claude Desktop snippets,
 * `deno task start` and the compiled binary pass).
 */
import { validArgs } from "../tests/support/tool_args.ts";
import { MB, mb, rssBytes, type Section, startRig, time } from "./lib.ts";
import { V8_FLAGS } from "../src/config/v8_flags.ts";

/** Read tools cycled through (as the soak does). */
export const MIX = [
  "get_libraries",
  "search_media",
  "browse_library",
  "get_media_details",
  "get_children",
  "get_on_deck",
  "get_recently_added",
  "get_watch_history",
  "list_playlists",
  "get_active_sessions",
];

async function run(calls: number, env: Record<string, string>) {
  const rig = await startRig({ env: { PLEX_CACHE_TTL: "0", ...env } });
  const args = validArgs(rig.fake.library);
  let high = 0;
  try {
    const [ms] = await time(async () => {
      for (let i = 0; i < calls; i++) {
        const name = MIX[i % MIX.length]!;
        await rig.call(name, args[name]);
        if (i % 25 === 0) high = Math.max(high, rssBytes(rig.server.pid));
      }
    });
    const after = rssBytes(rig.server.pid);
    return { after, high: Math.max(high, after), perCall: ms / calls };
  } finally {
    await rig.close();
  }
}

/** Measures `calls` mixed calls with and without the V8 size flag. */
export async function memory(calls: number): Promise<Section> {
  const plain = await run(calls, {});
  const small = await run(calls, { DENO_V8_FLAGS: V8_FLAGS });
  // The issue states its limits in MB: 10^6 bytes (100 MB is 95.4 MiB).
  const target = 100 * MB;
  return {
    title: `Memory: ${calls.toLocaleString("en")} mixed read calls, cache off`,
    lines: [
      "| V8 settings | RSS after | peak RSS | ms per call |",
      "| --- | --- | --- | --- |",
      `| Deno defaults | ${mb(plain.after)} | ${mb(plain.high)} | ${
        plain.perCall.toFixed(2)
      } |`,
      `| \`--optimize-for-size\` (as shipped) | ${mb(small.after)} | ${
        mb(small.high)
      } | ${small.perCall.toFixed(2)} |`,
      "",
      `The calls cycle through ${
        MIX.join(", ")
      }. The heap grows with sustained load until V8 decides to collect; the memory is garbage, not a leak (see the soak). The size flag keeps the heap small at little cost; the Desktop snippets, \`deno task start\` and the compiled binary pass it.`,
      "",
      "Sizes are in MB (10^6 bytes), as the targets are stated, with MiB (2^20 bytes) in brackets; RSS is read from /proc (VmRSS).",
    ],
    targets: [{
      name: "RSS after 1,000 mixed calls (cache off, as shipped) ≤ 100 MB",
      met: small.after <= target,
      detail: `${mb(small.after)}; Deno defaults: ${mb(plain.after)}`,
    }],
  };
}
