/**
 * Fake Plex: the server's log files and the zip it serves them in
 * (`GET /diagnostics/logs`, python-plexapi `downloadLogs()`,
 * server.py:574 and utils.py:425-500: a zip archive named by its
 * `Content-Disposition`; API.md §22), and what `/media/providers`
 * advertises (`diagnostics`).
 *
 * The lines follow PMS's format, `Mon DD, YYYY HH:MM:SS.mmm [thread]
 * LEVEL - message`, with messages in the shapes real logs quoted in public
 * write-ups show (requests with `Signed-in Token (user)`, `[Req#…]`
 * prefixes, `SLOW QUERY`, the reachability warning, a transcoder error
 * with a trace). Some request lines carry a token in the URL, as Plex logs
 * a request's query string: the token of whoever downloads the logs (the
 * owner's: their earlier requests) and another device's.
 *
 * @module
 */
import type { FakePlexState } from "./state.ts";
import { DEMO_EPOCH } from "../library.ts";
import { writeZip, type ZipInput } from "./zip_writer.ts";

/** A token another device on the network used (not the owner's). */
export const DEMO_DEVICE_TOKEN = "devtok-4k9Xq2Lm7Pz1";

/** The fake's log files and whether it offers them. */
export interface FakeLogs {
  /**
   * `diagnostics` on `/media/providers` includes `logs` (python-plexapi's
   * Plex Pass server: "logs,databases,streaminglogs"); without it the
   * recorded value is "streaminglogs,databases" (API.md §22). The download
   * works either way: nothing shows a server refusing it for want of
   * `logs` there, and python-plexapi downloads without looking.
   */
  advertised: boolean;
  /**
   * A server that will not hand over its logs answers the download with
   * this status (what a real one answers then is unverified).
   */
  refusal: 403 | 404 | undefined;
  /**
   * The files in the archive, name → text; undefined: the demo's, made at
   * the first download with the downloader's token in some lines.
   */
  files: Map<string, string> | undefined;
  /** Bytes of an extra stored (uncompressed) file, to make a large archive. */
  paddingBytes: number;
}

const state = new WeakMap<FakePlexState, FakeLogs>();

/** The log settings of one fake (made on first use). */
export function fakeLogs(fake: FakePlexState): FakeLogs {
  let logs = state.get(fake);
  if (!logs) {
    logs = {
      advertised: true,
      refusal: undefined,
      files: undefined,
      paddingBytes: 0,
    };
    state.set(fake, logs);
  }
  return logs;
}

const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** `Dec 01, 2026 08:13:26.412`, in UTC. */
export function logTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${MONTHS[d.getUTCMonth()]} ${
    p(d.getUTCDate())
  }, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${
    p(d.getUTCSeconds())
  }.${p(d.getUTCMilliseconds(), 3)}`;
}

const THREADS = ["140234918839096", "140234910446392", "140234893660984"];

/**
 * The demo server's main log: `count` entries ending at `end` (ms),
 * cycling through the shapes above; `token` appears in some request URLs.
 */
export function demoServerLog(
  fake: FakePlexState,
  token: string,
  count: number,
  end: number,
): string {
  const lib = fake.library;
  const titles = [...lib.items.values()].filter((i) => i.raw.type === "movie")
    .map((i) => ({ rk: i.ratingKey, title: String(i.raw.title) }));
  const sections = [...lib.sections.values()].map((s) => s.id);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const at = logTime(end - (count - n) * 1_250);
    const thread = THREADS[n % THREADS.length];
    const head = (level: string) => `${at} [${thread}] ${level} - `;
    const req = (n * 7919).toString(16).slice(-5);
    const movie = titles[n % titles.length]!;
    switch (n % 20) {
      case 0:
        out.push(
          head("DEBUG") +
            `Request: [192.168.1.20:${
              50000 + n % 1000
            } (Subnet)] GET /library/sections/${
              sections[n % sections.length]
            }/all?type=1&X-Plex-Container-Start=0&X-Plex-Container-Size=50 (6 live) #${req} GZIP Signed-in Token (demo-owner)`,
        );
        break;
      case 3:
        // Plex Web loads images with the token in the query string.
        out.push(
          head("DEBUG") +
            `Request: [192.168.1.20:${
              50000 + n % 1000
            } (Subnet)] GET /photo/:/transcode?width=240&height=360&url=%2Flibrary%2Fmetadata%2F${movie.rk}%2Fthumb&X-Plex-Token=${token} (7 live) #${req} Signed-in Token (demo-owner)`,
        );
        break;
      case 5:
        out.push(
          head("DEBUG") +
            `[Req#${req}] Completed: [192.168.1.20:${
              50000 + n % 1000
            }] 200 GET /library/metadata/${movie.rk} (7 live) GZIP 12ms 2481 bytes (pipelined: 1)`,
        );
        break;
      case 7:
        out.push(
          head("INFO") +
            `[Req#${req}] Library section 1 (Classic Movies): scanning "${movie.title}"`,
        );
        break;
      case 9:
        out.push(
          head("DEBUG") +
            `Request: [192.168.1.34:${
              40000 + n % 1000
            } (Subnet)] GET /:/timeline?ratingKey=${movie.rk}&state=playing&time=${
              n * 1000
            }&X-Plex-Token=${DEMO_DEVICE_TOKEN} (8 live) #${req} Signed-in Token (Alex)`,
        );
        break;
      case 11:
        out.push(
          head("WARN") +
            `[Req#${req}] SLOW QUERY: It took ${
              200 + n % 300
            }.000000 ms to retrieve ${n % 60} items.`,
        );
        break;
      case 13:
        out.push(
          head("WARN") +
            `[Req#${req}] MyPlex: attempted a reachability check but we're not yet mapped.`,
        );
        break;
      case 17:
        if (n % 60 === 17) {
          out.push(
            head("ERROR") +
              `[Req#${req}/Transcode] [FFMPEG] - Cannot load libcuda.so.1`,
            "  at Transcoder::open (Transcoder.cpp:412)",
            "  at TranscodeSession::start (TranscodeSession.cpp:96)",
          );
        } else {
          out.push(
            head("ERROR") +
              `[Req#${req}] Error issuing curl_easy_perform(handle): 28 (Timeout was reached)`,
          );
        }
        break;
      case 19:
        out.push(
          head("VERBOSE") +
            `[Req#${req}] Checking for changes in section ${
              sections[n % sections.length]
            }`,
        );
        break;
      default:
        out.push(
          head("DEBUG") +
            `[Req#${req}] Sending ${
              n % 5 === 0 ? "JSON" : "XML"
            } response for /library/metadata/${movie.rk}`,
        );
    }
  }
  return out.join("\n") + "\n";
}

/** The demo's files, as a server's Logs folder holds them. */
function demoFiles(fake: FakePlexState, token: string): Map<string, string> {
  const end = DEMO_EPOCH * 1000;
  const day = 86_400_000;
  const scanner = Array.from(
    { length: 40 },
    (_, n) =>
      `${logTime(end - (40 - n) * 60_000)} [140234893660984] ${
        n % 10 === 4 ? "WARN" : "INFO"
      } - ${
        n % 10 === 4
          ? `Skipping "/data/movies/Unsorted/sample.mkv": too short to be a movie`
          : `Scanning directory "/data/movies/${n}"`
      }`,
  ).join("\n") + "\n";
  return new Map([
    ["Plex Media Server.log", demoServerLog(fake, token, 2_400, end)],
    ["Plex Media Server.1.log", demoServerLog(fake, token, 600, end - day)],
    ["Plex Media Scanner.log", scanner],
    [
      "Plex Tuner Service.log",
      `${logTime(end - day)} [140234910446392] INFO - Tuner service started\n`,
    ],
    [
      "PMS Plugin Logs/com.plexapp.system.log",
      // The plug-in framework's own format (not PMS's).
      `${
        new Date(end - 2 * day).toISOString().replace("T", " ").replace(
          ".",
          ",",
        ).slice(0, 23)
      } (7f2a1c) :  INFO (core:349) - Starting framework core - Version: 2.6.3.2956\n`,
    ],
  ]);
}

/** The archive `GET /diagnostics/logs` answers, for a download by `token`. */
export async function logArchive(
  fake: FakePlexState,
  token: string,
): Promise<Uint8Array> {
  const logs = fakeLogs(fake);
  logs.files ??= demoFiles(fake, token);
  const enc = new TextEncoder();
  const modified = new Date(DEMO_EPOCH * 1000);
  const inputs: ZipInput[] = [...logs.files].map(([name, text]) => ({
    name,
    data: enc.encode(text),
    modified,
    // A tiny file stored, the rest deflated, as zip tools choose.
    store: text.length < 100,
  }));
  if (logs.paddingBytes > 0) {
    inputs.push({
      name: "Plex Media Server.5.log",
      data: new Uint8Array(logs.paddingBytes).fill(0x2e),
      modified,
      store: true,
    });
  }
  return await writeZip(inputs);
}
