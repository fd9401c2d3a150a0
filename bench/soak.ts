/**
 * Soak: many tool calls against the loopback fake through the real stdio
 * server. Resident memory must grow under 20% after warm-up and the number
 * of open handles must not grow.
 */
import { FakePlex } from "../src/demo/fake_plex/mod.ts";
import { serveFake } from "../src/demo/serve.ts";
import { validArgs } from "../tests/support/tool_args.ts";
import {
  MB,
  mb,
  openHandles,
  rssBytes,
  type Section,
  spawnServer,
} from "./lib.ts";
import { V8_FLAGS } from "../src/config/v8_flags.ts";

const TOKEN = "bench-soak-token";

/** Read tools cycled through by the soak. */
const MIX = [
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

/** Runs `calls` tool calls (warm-up: the first tenth). */
export async function soak(calls: number): Promise<Section> {
  const fake = new FakePlex({ token: TOKEN });
  const served = serveFake(fake);
  // Caching would hide the work; the soak measures the full path, with the
  // V8 flag every documented way of running the server passes.
  const s = await spawnServer(
    {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TOKEN,
      PLEX_CACHE_TTL: "0",
      DENO_V8_FLAGS: V8_FLAGS,
    },
    served.host,
  );
  const args = validArgs(fake.library);
  // RSS saws up and down with garbage collection, so compare high-water
  // marks: the highest sample in the window right after warm-up against the
  // highest in the last window. A leak raises the later mark; GC does not.
  const warmup = Math.max(1, Math.floor(calls / 10));
  const every = Math.max(1, Math.floor(calls / 40));
  const samples: { at: number; rss: number }[] = [];
  let handlesWarm = 0;
  let errors = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < calls; i++) {
      const name = MIX[i % MIX.length]!;
      const r = await s.client.callTool({ name, arguments: args[name] });
      if (r.isError) errors++;
      if (i + 1 === warmup) handlesWarm = openHandles(s.pid);
      if ((i + 1) % every === 0) {
        samples.push({ at: i + 1, rss: rssBytes(s.pid) });
      }
    }
    const handlesEnd = openHandles(s.pid);
    const seconds = (performance.now() - started) / 1000;
    const window = Math.max(warmup, Math.floor(calls / 5));
    const high = (from: number, to: number) =>
      Math.max(
        ...samples.filter((x) => x.at > from && x.at <= to).map((x) => x.rss),
      );
    const warmHigh = high(warmup, warmup + window);
    const endHigh = high(calls - window, calls);
    const peak = Math.max(...samples.map((x) => x.rss));
    const growth = (endHigh - warmHigh) / warmHigh;
    return {
      title: `Soak: ${calls.toLocaleString("en")} tool calls`,
      lines: [
        `| figure | value |`,
        `| --- | --- |`,
        `| calls (errors) | ${calls} (${errors}) |`,
        `| throughput | ${(calls / seconds).toFixed(0)} calls/s |`,
        `| RSS high-water, calls ${warmup}–${
          warmup + window
        } (after warm-up) | ${mb(warmHigh)} |`,
        `| RSS high-water, last ${window} calls | ${mb(endHigh)} |`,
        `| RSS growth after warm-up | ${(growth * 100).toFixed(1)}% |`,
        `| peak RSS | ${mb(peak)} |`,
        `| open handles after warm-up → end | ${handlesWarm} → ${handlesEnd} |`,
      ],
      targets: [
        {
          name: "soak RSS growth < 20% after warm-up",
          met: growth < 0.2,
          detail: `${(growth * 100).toFixed(1)}%`,
        },
        {
          name: "soak peak RSS < 150 MB at every sample (as shipped)",
          met: peak < 150 * MB,
          detail: mb(peak),
        },
        {
          name: "soak open handles do not grow",
          met: handlesEnd <= handlesWarm,
          detail: `${handlesWarm} → ${handlesEnd}`,
        },
        {
          name: "soak calls all succeed",
          met: errors === 0,
          detail: `${errors} errors`,
        },
      ],
    };
  } finally {
    await s.close();
    await served.close();
  }
}
