/**
 * Scale: a generated 100,000-movie and 20,000-episode library versus a
 * 1,000-movie one. Request counts for get_libraries, latency of a deep page
 * and of a search, and the server's resident memory throughout.
 */
import { createScaleLibrary } from "../src/demo/scale.ts";
import {
  cpuMs,
  MB,
  mb,
  median,
  rssBytes,
  type Section,
  startRig,
  time,
} from "./lib.ts";

/** Unmeasured rounds before the measured ones. */
const WARM_UP = 30;

/**
 * Pause before each measured call. A server left idle between calls spends
 * more CPU per call (cold caches), and a 100k fake takes ~90 ms per search,
 * so back-to-back calls would idle the server longer on the big library
 * than on the small one. Both are paced alike instead, which is also closer
 * to an assistant's pace than back-to-back calls.
 */
const PACE_MS = 100;

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PACE_MS));
}

interface Measured {
  libsRequests: number;
  libsBytes: number;
  browse: number;
  browseServer: number;
  search: number;
  searchServer: number;
  browseCpu: number;
  searchCpu: number;
  peakRss: number;
}

async function measure(
  movies: number,
  episodes: number,
  n: number,
): Promise<Measured> {
  const rig = await startRig({
    library: createScaleLibrary({ movies, episodes }),
    env: { PLEX_CACHE_TTL: "0" },
  });
  let peakRss = 0;
  const sample = () => (peakRss = Math.max(peakRss, rssBytes(rig.server.pid)));
  /** End-to-end ms and the part not spent inside the fake Plex. */
  const timed = async (
    tool: string,
    args: Record<string, unknown>,
  ): Promise<[number, number]> => {
    const busy = rig.fake.busyMs;
    const [ms] = await time(() => rig.call(tool, args));
    return [ms, ms - (rig.fake.busyMs - busy)];
  };
  try {
    sample();
    const before = rig.fake.requests.length;
    const libs = await rig.call("get_libraries");
    const libsRequests = rig.fake.requests.length - before;
    const libsBytes = libs.bytes;
    sample();
    const deep = movies - 50;
    const browse: number[] = [];
    const browseServer: number[] = [];
    const search: number[] = [];
    const searchServer: number[] = [];
    const browseArgs = {
      library: "Generated Movies",
      offset: deep,
      limit: 20,
    };
    const searchArgs = {
      query: "movie", // Plex returns its cap (100 per type) in both libraries
      limit: 20,
    };
    // Warm-up rounds (not measured) so that both library sizes are compared
    // at the server's steady speed, not one of them while V8 still optimises.
    for (let i = 0; i < Math.min(WARM_UP, n); i++) {
      await rig.call("browse_library", browseArgs);
      await rig.call("search_media", searchArgs);
    }
    // The server's own CPU time per call: what plexmcp costs, whatever the
    // benchmark process (which hosts the fake) is doing meanwhile.
    let cpu = cpuMs(rig.server.pid);
    for (let i = 0; i < n; i++) {
      await pause();
      const [b, bs] = await timed("browse_library", browseArgs);
      browse.push(b);
      browseServer.push(bs);
      if (i % 10 === 0) sample();
    }
    const browseCpu = (cpuMs(rig.server.pid) - cpu) / n;
    cpu = cpuMs(rig.server.pid);
    for (let i = 0; i < n; i++) {
      await pause();
      const [s, ss] = await timed("search_media", searchArgs);
      search.push(s);
      searchServer.push(ss);
      if (i % 10 === 0) sample();
    }
    const searchCpu = (cpuMs(rig.server.pid) - cpu) / n;
    sample();
    return {
      libsRequests,
      libsBytes,
      browse: median(browse),
      browseServer: median(browseServer),
      search: median(search),
      searchServer: median(searchServer),
      browseCpu,
      searchCpu,
      peakRss,
    };
  } finally {
    await rig.close();
  }
}

/** Runs the comparison with `n` samples per figure. */
export async function scale(
  n: number,
  big = 100_000,
  bigEpisodes = 20_000,
): Promise<Section> {
  const small = await measure(1_000, 200, n);
  const large = await measure(big, bigEpisodes, n);
  const ratio = (a: number, b: number) => (b / a).toFixed(2);
  const flat = (a: number, b: number) => b / a < 2;
  return {
    title: `Scale: 1,000 vs ${big.toLocaleString("en")} movies (+ ${
      bigEpisodes.toLocaleString("en")
    } episodes)`,
    lines: [
      `| figure | 1k library | ${big / 1000}k library | ratio |`,
      "| --- | --- | --- | --- |",
      `| get_libraries: requests to Plex (2 sections) | ${small.libsRequests} | ${large.libsRequests} | |`,
      `| get_libraries: text bytes | ${small.libsBytes} | ${large.libsBytes} | |`,
      `| browse_library, last page (offset n−50): median ms end to end | ${
        small.browse.toFixed(2)
      } | ${large.browse.toFixed(2)} | ${ratio(small.browse, large.browse)}× |`,
      `| … of which the server (minus Plex's own time) | ${
        small.browseServer.toFixed(2)
      } | ${large.browseServer.toFixed(2)} | ${
        ratio(small.browseServer, large.browseServer)
      }× |`,
      `| search_media: median ms end to end | ${small.search.toFixed(2)} | ${
        large.search.toFixed(2)
      } | ${ratio(small.search, large.search)}× |`,
      `| … of which the server | ${small.searchServer.toFixed(2)} | ${
        large.searchServer.toFixed(2)
      } | ${ratio(small.searchServer, large.searchServer)}× |`,
      `| server CPU per call, browse_library / search_media (ms) | ${
        small.browseCpu.toFixed(2)
      } / ${small.searchCpu.toFixed(2)} | ${large.browseCpu.toFixed(2)} / ${
        large.searchCpu.toFixed(2)
      } | ${ratio(small.browseCpu, large.browseCpu)}× / ${
        ratio(small.searchCpu, large.searchCpu)
      }× |`,
      `| server peak RSS | ${mb(small.peakRss)} | ${mb(large.peakRss)} | |`,
      "",
      `Counting uses \`X-Plex-Container-Size=0\` (one small request per section, whatever its size); pages ask Plex for 20 items at the offset, and both libraries answer with the same number of items. The fake's own time grows with the library (it scans in memory, as Plex's database would not); the server's part is what plexmcp controls. It is shown two ways: wall time minus the fake's own time (which also counts the benchmark process's own delays, as that process hosts the fake), and the server process's CPU time per call (all threads, from /proc schedstat); the flatness targets use the CPU time. Measured calls are ${PACE_MS} ms apart in both libraries: a server left idle between calls spends more CPU per call on cold caches, and back-to-back calls would leave it idle longer on the big library (whose fake takes ~90 ms per search) than on the small one.`,
    ],
    targets: [
      {
        name: "get_libraries costs one request per section plus one",
        met: large.libsRequests === 3 && small.libsRequests === 3,
        detail: `${large.libsRequests} requests for 2 sections`,
      },
      {
        name: "deep browse stays flat 1k → 100k (server CPU per call < 2×)",
        met: flat(small.browseCpu, large.browseCpu),
        detail: `${ratio(small.browseCpu, large.browseCpu)}× (wall ${
          ratio(small.browseServer, large.browseServer)
        }×)`,
      },
      {
        name: "search stays flat 1k → 100k (server CPU per call < 2×)",
        met: flat(small.searchCpu, large.searchCpu),
        detail: `${ratio(small.searchCpu, large.searchCpu)}× (wall ${
          ratio(small.searchServer, large.searchServer)
        }×)`,
      },
      {
        name: "server RSS < 150 MB throughout",
        met: Math.max(small.peakRss, large.peakRss) < 150 * MB,
        detail: mb(Math.max(small.peakRss, large.peakRss)),
      },
    ],
  };
}
