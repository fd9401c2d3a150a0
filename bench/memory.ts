/**
 * Memory: the server's peak resident memory over many calls with Deno's
 * defaults, and with V8 told to favour size (`DENO_V8_FLAGS=--optimize-for-size`).
 */
import { mib, rssBytes, type Section, startRig, time } from "./lib.ts";

async function peak(calls: number, env: Record<string, string>) {
  const rig = await startRig({ env: { PLEX_CACHE_TTL: "0", ...env } });
  let high = 0;
  try {
    const [ms] = await time(async () => {
      for (let i = 0; i < calls; i++) {
        await rig.call(
          i % 2 ? "search_media" : "get_libraries",
          i % 2 ? { query: "the" } : {},
        );
        if (i % 50 === 0) high = Math.max(high, rssBytes(rig.server.pid));
      }
    });
    return {
      high: Math.max(high, rssBytes(rig.server.pid)),
      perCall: ms / calls,
    };
  } finally {
    await rig.close();
  }
}

/** Compares peak RSS over `calls` calls with and without the V8 size flag. */
export async function memory(calls: number): Promise<Section> {
  const plain = await peak(calls, {});
  const small = await peak(calls, { DENO_V8_FLAGS: "--optimize-for-size" });
  return {
    title: `Memory: peak RSS over ${calls.toLocaleString("en")} calls`,
    lines: [
      "| V8 settings | peak RSS | ms per call |",
      "| --- | --- | --- |",
      `| Deno defaults | ${mib(plain.high)} | ${plain.perCall.toFixed(2)} |`,
      `| \`DENO_V8_FLAGS=--optimize-for-size\` | ${mib(small.high)} | ${
        small.perCall.toFixed(2)
      } |`,
      "",
      "The heap grows with sustained load until V8 decides to collect; the memory is garbage, not a leak (see the soak). The size flag keeps the heap small at little cost; the compiled binary has it baked in.",
    ],
    targets: [],
  };
}
