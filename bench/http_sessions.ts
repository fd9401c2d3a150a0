/**
 * HTTP sessions: `serve --http` with many clients connected at once (each
 * an SDK Streamable HTTP client holding its SSE stream open, as clients
 * do), every one answering `tools/list` and a call, then ending its
 * session (DELETE); three rounds. The server's resident memory idle, with
 * every session open, and after each round, with V8 told to favour size
 * (as the README's `serve --http` commands run it) and with Deno's
 * defaults.
 */
import { FakePlex } from "../src/demo/fake_plex/mod.ts";
import { serveFake } from "../src/demo/serve.ts";
import {
  connectHttp,
  HTTP_TOKEN,
  spawnHttp,
} from "../tests/support/http_helpers.ts";
import {
  BENCH_TOKEN,
  MB,
  mb,
  median,
  rssBytes,
  type Section,
  time,
} from "./lib.ts";
import { V8_FLAGS } from "../src/config/v8_flags.ts";

/** Sessions opened at once (the rest wait for a slot). */
const PARALLEL = 20;

/** Rounds of sessions opened and ended. */
const ROUNDS = 3;

interface Round {
  totalMs: number;
  openMs: number[];
  answered: number;
  open: number;
  after: number;
}

async function measure(n: number, v8Flags: string | undefined) {
  const fake = new FakePlex({ token: BENCH_TOKEN });
  const served = serveFake(fake);
  const server = await spawnHttp({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: BENCH_TOKEN,
      PLEX_HTTP_TOKEN: HTTP_TOKEN,
      PLEX_HTTP_MAX_SESSIONS: String(n + 10),
      ...(v8Flags ? { DENO_V8_FLAGS: v8Flags } : {}),
    },
    allowNet: `127.0.0.1,${served.host}`,
  });
  const clients: Awaited<ReturnType<typeof connectHttp>>[] = [];
  try {
    // One session first, so that the baseline has the code of a session
    // loaded, as it is once any client has connected.
    const warm = await connectHttp(server.url, HTTP_TOKEN, { name: "warm" });
    await warm.client.listTools();
    await warm.client.callTool({ name: "get_libraries", arguments: {} });
    await warm.transport.terminateSession();
    await warm.client.close();
    await new Promise((r) => setTimeout(r, 300));
    const idle = rssBytes(server.pid);
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const openMs: number[] = [];
      const [totalMs] = await time(async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(PARALLEL, n) }, async () => {
            while (next < n) {
              next++;
              const [ms, c] = await time(() =>
                connectHttp(server.url, HTTP_TOKEN, { name: `s${next}` })
              );
              openMs.push(ms);
              clients.push(c);
            }
          }),
        );
      });
      // Every session, all open at once, answers a list and a call.
      const results = await Promise.allSettled(
        clients.map(async ({ client }) => {
          const { tools } = await client.listTools();
          const r = await client.callTool({
            name: "get_plex_status",
            arguments: {},
          });
          if (tools.length === 0 || r.isError) throw new Error("no answer");
        }),
      );
      const answered = results.filter((x) => x.status === "fulfilled").length;
      const open = rssBytes(server.pid);
      await Promise.all(clients.map(async ({ client, transport }) => {
        await transport.terminateSession().catch(() => {});
        await client.close();
      }));
      clients.length = 0;
      await new Promise((r) => setTimeout(r, 500));
      rounds.push({
        totalMs,
        openMs,
        answered,
        open,
        after: rssBytes(server.pid),
      });
    }
    return { idle, rounds };
  } finally {
    await Promise.all(
      clients.map(({ client }) => client.close().catch(() => {})),
    );
    await server.close();
    await served.close();
  }
}

/**
 * The heap of the endpoint in process after `rounds` rounds of `n`
 * sessions, collected after each (bench/http_heap.ts).
 */
async function heapRounds(
  n: number,
  rounds: number,
): Promise<{ heapMB: number[]; open: number }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--v8-flags=--expose-gc",
      new URL("./http_heap.ts", import.meta.url).pathname,
      String(n),
      String(rounds),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(
      `bench/http_heap.ts failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return JSON.parse(text);
}

/** Opens `n` sessions at once, three times, with and without the size flag. */
export async function httpSessions(n: number): Promise<Section> {
  const small = await measure(n, V8_FLAGS);
  const plain = await measure(n, undefined);
  const heapRuns = 6;
  const heap = await heapRounds(n, heapRuns);
  const heapGrowth = heap.heapMB.at(-1)! - heap.heapMB[0]!;
  const first = small.rounds[0]!;
  const last = small.rounds.at(-1)!;
  const perSession = Math.max(0, first.open - small.idle) / n;
  const answered = [...small.rounds, ...plain.rounds].reduce(
    (sum, r) => sum + r.answered,
    0,
  );
  const asked = 2 * ROUNDS * n;
  const row = (label: string, m: typeof small) =>
    `| ${label} | ${mb(m.idle)} | ${
      m.rounds.map((r) => `${mb(r.open)} / ${mb(r.after)}`).join("; ")
    } |`;
  return {
    title: `HTTP sessions: ${n} clients connected at once`,
    lines: [
      "| figure | value |",
      "| --- | --- |",
      `| sessions open at once | ${n}, ${ROUNDS} rounds, twice (${answered} of ${asked} answered tools/list and a call) |`,
      `| time to open all (${Math.min(PARALLEL, n)} at a time) | ${
        (first.totalMs / 1000).toFixed(2)
      } s; one session: ${median(first.openMs).toFixed(1)} ms median |`,
      `| RSS per open session (\`--optimize-for-size\`) | ${
        (perSession / 1000).toFixed(0)
      } kB |`,
      "",
      `| V8 settings | RSS idle | RSS with ${n} sessions open / after they ended, each round |`,
      "| --- | --- | --- |",
      row("`--optimize-for-size`", small),
      row("Deno defaults", plain),
      "",
      `Heap of the endpoint in process, collected after each round of ${n} sessions (${
        heapRuns * n
      } in all; bench/http_heap.ts): ${
        heap.heapMB.map((h) => `${h.toFixed(2)} MB`).join(", ")
      }.`,
      "",
      "Each client is the SDK's Streamable HTTP client holding its SSE stream open, as clients do; each session has its own MCP server (the Plex clients and their cache are shared), and ends with DELETE. The clients run in the benchmark's own process. With Deno's defaults resident memory keeps growing from round to round until V8 decides to collect: it is garbage, not sessions kept, as the collected heap shows. RSS is read from /proc (VmRSS).",
    ],
    targets: [
      {
        name: `${n} HTTP sessions open at once, every one answering`,
        met: answered === asked,
        detail:
          `${answered} of ${asked} answered (${ROUNDS} rounds, two V8 settings)`,
      },
      {
        name: "RSS per open HTTP session < 1 MB (`--optimize-for-size`)",
        met: perSession < MB,
        detail: `${(perSession / 1000).toFixed(0)} kB`,
      },
      {
        name:
          `ended sessions hold nothing: the collected heap grows < 1 MB over ${
            heapRuns * n
          } sessions, none left open`,
        met: heapGrowth < 1 && heap.open === 0,
        detail: `${heap.heapMB[0]!.toFixed(2)} MB → ${
          heap.heapMB.at(-1)!.toFixed(2)
        } MB; ${heap.open} open`,
      },
      {
        name:
          "RSS after the last round within 15% of after the first (`--optimize-for-size`)",
        met: last.after < first.after * 1.15,
        detail: `${mb(first.after)} → ${mb(last.after)}`,
      },
    ],
  };
}

if (import.meta.main) {
  const section = await httpSessions(Number(Deno.args[0] ?? 200));
  const out = new TextEncoder();
  Deno.stdout.writeSync(
    out.encode(
      `## ${section.title}\n${section.lines.join("\n")}\n${
        section.targets.map((t) =>
          `${t.met ? "MET " : "MISS"} ${t.name}: ${t.detail}`
        ).join("\n")
      }\n`,
    ),
  );
}
