/**
 * The watch tools through the real stdio server: `find_dialogue` over the
 * demo's ten-episode season of The Lantern Coast (its subtitle files
 * fetched through Plex once, then searched from the cache) and
 * `get_story_so_far` at the user's progress in episode 5, with the time of
 * each and the server's peak resident memory.
 */
import { MB, mb, median, type Section, startRig, time } from "./lib.ts";

/** Peak resident memory of a process (Linux /proc `VmHWM`), bytes. */
function peakRss(pid: number): number {
  const out = new Deno.Command("cat", {
    args: [`/proc/${pid}/status`],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const status = new TextDecoder().decode(out.stdout);
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? "0") * 1024;
}

const QUERIES = [
  "the lamp never lies",
  "folow the gulls",
  "calderon",
  "strongbox",
  "fires on the headland",
];

/** Runs `rounds` cached searches and recaps after the first search. */
export async function watch(rounds = 20): Promise<Section> {
  // A cache time long enough for the whole run: "fetched once".
  const rig = await startRig({
    env: { PLEX_TOOLSETS: "default,watch", PLEX_CACHE_TTL: "600" },
  });
  try {
    const lib = rig.fake.library;
    const show = [...lib.items.values()].find((i) =>
      i.raw.title === "The Lantern Coast"
    )!;
    const season = lib.items.get(show.children[0]!)!;
    const fetches = () =>
      rig.fake.requests.filter((r) => r.path.startsWith("/library/streams/"))
        .length;
    // Cues in the English files searched (the Spanish one is not read).
    const cues = [...(lib.subtitles?.values() ?? [])]
      .filter((s) => s.body && s.stream.languageCode === "eng")
      .reduce((n, s) => n + s.body!.match(/-->|^Dialogue:/gm)!.length, 0);
    // The tool definitions load on the first call of any tool: not ours.
    await rig.call("get_plex_status");
    const baseline = peakRss(rig.server.pid);
    const [first, firstAnswer] = await time(() =>
      rig.call("find_dialogue", {
        ratingKey: season.ratingKey,
        query: "the lamp never lies",
      })
    );
    const afterFirst = fetches();
    const searches: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [ms] = await time(() =>
        rig.call("find_dialogue", {
          ratingKey: season.ratingKey,
          query: QUERIES[i % QUERIES.length]!,
          match: i % 2 ? "words" : "phrase",
        })
      );
      searches.push(ms);
    }
    const stories: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [ms] = await time(() =>
        rig.call("get_story_so_far", { ratingKey: season.children[4]! })
      );
      stories.push(ms);
    }
    const refetched = fetches() - afterFirst;
    const peak = peakRss(rig.server.pid);
    const found =
      (firstAnswer.structured as { total_matches: number }).total_matches;
    const cached = median(searches);
    return {
      title:
        "Watch: dialogue search over a 10-episode season, and the story so far",
      lines: [
        `The demo's The Lantern Coast season 1 (10 episodes: 8 text subtitle files, SRT, WebVTT and ASS, ${cues} cues; one image-only and one embedded episode) through the real stdio server, \`PLEX_CACHE_TTL=600\`. ${rounds} searches and ${rounds} recaps after the first search.`,
        "",
        "| step | time | subtitle files fetched |",
        "| --- | --- | --- |",
        `| first \`find_dialogue\` over the season (fetch, parse, search; ${found} matches) | ${
          first.toFixed(1)
        } ms | ${afterFirst} |`,
        `| \`find_dialogue\` again, other queries (median) | ${
          cached.toFixed(1)
        } ms | ${refetched} more |`,
        `| \`get_story_so_far\` at episode 5's progress (median) | ${
          median(stories).toFixed(1)
        } ms | (same) |`,
        `| server peak RSS (VmHWM) before / after | ${mb(baseline)} / ${
          mb(peak)
        } | |`,
      ],
      targets: [
        {
          name: "season's subtitles fetched once, then searched from memory",
          met: afterFirst === 8 && refetched === 0,
          detail: `${afterFirst} files, then ${refetched} more`,
        },
        {
          name: "a cached season search takes at most half the first",
          met: cached <= first / 2,
          detail: `${cached.toFixed(1)} vs ${first.toFixed(1)} ms`,
        },
        {
          name: "server peak RSS with the watch tools < 150 MB",
          met: peak < 150 * MB,
          detail: mb(peak),
        },
      ],
    };
  } finally {
    await rig.close();
  }
}
