/**
 * Soak: many tool calls against the loopback fake through the real stdio
 * server. Resident memory must grow under 20% after warm-up and the number
 * of open handles must not grow.
 */
import { FakePlex } from "../src/demo/fake_plex.ts";
import { serveFake } from "../src/demo/serve.ts";
import { validArgs } from "../tests/tool_args.ts";
import {
  mib,
  openHandles,
  rssBytes,
  type Section,
  spawnServer,
} from "./lib.ts";

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
  // Caching would hide the work; the soak measures the full path.
  const s = await spawnServer(
    { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TOKEN, PLEX_CACHE_TTL: "0" },
    served.host,
  );
  const args = validArgs(fake.library);
  const warmup = Math.max(1, Math.floor(calls / 10));
  let warm = { rss: 0, handles: 0 };
  let peak = 0;
  let errors = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < calls; i++) {
      const name = MIX[i % MIX.length]!;
      const r = await s.client.callTool({ name, arguments: args[name] });
      if (r.isError) errors++;
      if (i + 1 === warmup) {
        warm = { rss: rssBytes(s.pid), handles: openHandles(s.pid) };
      }
      if (i % 500 === 0) peak = Math.max(peak, rssBytes(s.pid));
    }
    const end = { rss: rssBytes(s.pid), handles: openHandles(s.pid) };
    peak = Math.max(peak, end.rss);
    const seconds = (performance.now() - started) / 1000;
    const growth = (end.rss - warm.rss) / warm.rss;
    return {
      title: `Soak: ${calls.toLocaleString("en")} tool calls`,
      lines: [
        `| figure | value |`,
        `| --- | --- |`,
        `| calls (errors) | ${calls} (${errors}) |`,
        `| throughput | ${(calls / seconds).toFixed(0)} calls/s |`,
        `| RSS after warm-up (${warmup} calls) | ${mib(warm.rss)} |`,
        `| RSS at end | ${mib(end.rss)} |`,
        `| RSS growth after warm-up | ${(growth * 100).toFixed(1)}% |`,
        `| peak RSS | ${mib(peak)} |`,
        `| open handles after warm-up → end | ${warm.handles} → ${end.handles} |`,
      ],
      targets: [
        {
          name: "soak RSS growth < 20% after warm-up",
          met: growth < 0.2,
          detail: `${(growth * 100).toFixed(1)}%`,
        },
        {
          name: "soak open handles do not grow",
          met: end.handles <= warm.handles,
          detail: `${warm.handles} → ${end.handles}`,
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
