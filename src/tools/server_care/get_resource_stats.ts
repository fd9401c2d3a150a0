import { z } from "../../zod.ts";
import { resourcesSchema } from "../../plex/care.ts";
import { defineTool, READ_ONLY } from "../shared/define_tool.ts";
import { isoTime, plural } from "../shared/format.ts";

const usage = z.object({
  host_cpu: z.number().nullable(),
  plex_cpu: z.number().nullable(),
  host_memory: z.number().nullable(),
  plex_memory: z.number().nullable(),
});

type Usage = z.output<typeof usage>;

const KEYS = {
  host_cpu: "hostCpu",
  plex_cpu: "processCpu",
  host_memory: "hostMemory",
  plex_memory: "processMemory",
} as const;

const round = (n: number | undefined) =>
  n === undefined ? null : Math.round(n * 10) / 10;

/** `get_resource_stats`: CPU and memory of the machine and of Plex. */
export const getResourceStats = defineTool({
  name: "get_resource_stats",
  title: "Server CPU and memory",
  description:
    "Reports recent CPU and memory use, in percent, of the whole machine and of Plex Media Server itself (the dashboard's samples): latest, average and peak.",
  toolset: "server_care",
  annotations: READ_ONLY,
  input: {},
  output: {
    samples: z.number().int(),
    from: z.string().optional(),
    to: z.string().optional(),
    latest: usage.optional(),
    average: usage.optional(),
    peak: usage.optional(),
  },
  handler: async (_args, { plex, signal }) => {
    // timespan=6, as python-plexapi sends it (server.py:1025; API.md §22).
    const samples =
      (await plex.getJson("/statistics/resources", resourcesSchema, {
        query: { timespan: 6 },
        signal,
        cache: false,
      })).sort((a, b) => a.at - b.at);
    if (!samples.length) {
      return {
        structured: { samples: 0 },
        text:
          "Plex has no resource samples yet (the dashboard fills while the server runs).",
      };
    }
    const stat = (f: (xs: number[]) => number): Usage => {
      const out = {} as Usage;
      for (
        const [k, field] of Object.entries(KEYS) as [
          keyof Usage,
          typeof KEYS[keyof Usage],
        ][]
      ) {
        const xs = samples.map((s) => s[field]).filter((x) => x !== undefined);
        out[k] = xs.length ? round(f(xs)) : null;
      }
      return out;
    };
    const last = samples.at(-1)!;
    const latest = stat(() => 0);
    for (
      const [k, field] of Object.entries(KEYS) as [
        keyof Usage,
        typeof KEYS[keyof Usage],
      ][]
    ) {
      latest[k] = round(last[field]);
    }
    const average = stat((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
    const peak = stat((xs) => Math.max(...xs));
    const line = (name: string, u: Usage) =>
      `${name}: CPU ${u.host_cpu ?? "?"}% (Plex ${
        u.plex_cpu ?? "?"
      }%), memory ${u.host_memory ?? "?"}% (Plex ${u.plex_memory ?? "?"}%)`;
    const from = isoTime(samples[0]!.at);
    const to = isoTime(last.at);
    return {
      structured: { samples: samples.length, from, to, latest, average, peak },
      text: [
        `${plural(samples.length, "sample")}, ${from} to ${to}:`,
        line("latest", latest),
        line("average", average),
        line("peak", peak),
      ].join("\n"),
    };
  },
});
