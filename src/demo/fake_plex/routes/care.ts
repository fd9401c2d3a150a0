/**
 * Fake Plex: the dashboards (`/statistics/bandwidth`,
 * `/statistics/resources`) and housekeeping (empty a library's trash,
 * clean bundles, optimize the database), as API.md §22 describes them from
 * python-plexapi (server.py:935-1040, library.py:179-195) and the spec;
 * the capabilities (`/media/providers`) and the log archive
 * (`/diagnostics/logs`, see logs.ts).
 *
 * Dashboard samples are made up at request time, relative to the clock, so
 * that a range "the last 24 hours" always has some.
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import { DEMO_EPOCH, type DemoItem, type DemoSection } from "../../library.ts";
import { startWork } from "../work.ts";
import { fakeLogs, logArchive } from "../logs.ts";

/**
 * Bandwidth `timespan` values python-plexapi sends (server.py:935:
 * months 1, weeks 2, days 3, hours 4, seconds 6), with the bucket length
 * and how many buckets the fake keeps. What 5 means is unknown (API.md
 * §22), so the fake refuses it like any other value.
 */
const BANDWIDTH_SPANS: Record<string, { seconds: number; buckets: number }> = {
  "1": { seconds: 30 * 86_400, buckets: 24 },
  "2": { seconds: 7 * 86_400, buckets: 26 },
  "3": { seconds: 86_400, buckets: 90 },
  "4": { seconds: 3600, buckets: 24 * 7 },
  "6": { seconds: 6, buckets: 100 },
};

/** Devices that streamed, with the account using each and LAN or not. */
const DEVICES = [
  {
    id: 1,
    name: "Living Room TV",
    platform: "Android",
    clientIdentifier: "demo-living-room-tv",
    accountID: 1,
    lan: true,
  },
  {
    id: 2,
    name: "Desk",
    platform: "windows",
    clientIdentifier: "demo-desk-app",
    accountID: 1,
    lan: true,
  },
  {
    id: 3,
    name: "Bedroom Roku",
    platform: "Roku",
    clientIdentifier: "demo-bedroom-roku",
    accountID: 2,
    lan: false,
  },
];

/** Registers the server-care routes. */
export function registerCareRoutes(fake: FakePlexState): void {
  const lib = fake.library;

  // Filters as python-plexapi sends them through urlencode (the operator
  // is part of the key: `at>` = at or after, inclusive; API.md §22).
  fake.route("GET", /^\/statistics\/bandwidth$/, (ctx) => {
    const q = ctx.url.searchParams;
    const span = BANDWIDTH_SPANS[q.get("timespan") ?? "6"];
    if (!span) return fake.badRequest();
    const now = Math.floor(Date.now() / 1000);
    const first = now - (now % span.seconds) -
      span.seconds * (span.buckets - 1);
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < span.buckets; i++) {
      const at = first + i * span.seconds;
      for (const d of DEVICES) {
        // Not every device streams in every bucket.
        if ((i + d.id) % 3 === 0) continue;
        rows.push({
          accountID: d.accountID,
          deviceID: d.id,
          timespan: Number(q.get("timespan") ?? 6),
          at,
          lan: d.lan,
          bytes: ((i * 7919 + d.id * 104_729) % 900 + 100) * 100_000,
        });
      }
    }
    const cmp = (field: string, value: number) => {
      const out: ((n: number) => boolean)[] = [];
      const eq = q.get(field);
      if (eq !== null) out.push((n) => n === Number(eq));
      const ge = q.get(`${field}>`);
      if (ge !== null) out.push((n) => n >= Number(ge));
      const le = q.get(`${field}<`);
      if (le !== null) out.push((n) => n <= Number(le));
      return out.every((f) => f(value));
    };
    for (const key of q.keys()) {
      if (
        !/^(timespan|accountID|deviceID|lan|at[<>]?|bytes[<>]?)$/.test(key) &&
        !key.startsWith("X-Plex-")
      ) {
        return fake.badRequest();
      }
    }
    const kept = rows.filter((r) =>
      cmp("at", r.at as number) && cmp("bytes", r.bytes as number) &&
      (q.get("accountID") === null ||
        String(r.accountID) === q.get("accountID")) &&
      (q.get("deviceID") === null ||
        String(r.deviceID) === q.get("deviceID")) &&
      (q.get("lan") === null || (r.lan ? "1" : "0") === q.get("lan"))
    );
    const devices = DEVICES.filter((d) =>
      kept.some((r) => r.deviceID === d.id)
    );
    const accounts = lib.accounts.filter((a) =>
      kept.some((r) => r.accountID === a.id)
    );
    return fake.container({
      size: kept.length + devices.length + accounts.length,
      Device: devices.map((d) => ({
        id: d.id,
        name: d.name,
        platform: d.platform,
        clientIdentifier: d.clientIdentifier,
        createdAt: 1_700_000_000 + d.id,
      })),
      Account: accounts.map((a) => ({
        id: a.id,
        key: `/accounts/${a.id}`,
        name: a.name,
        defaultAudioLanguage: "en",
        autoSelectAudio: true,
        defaultSubtitleLanguage: "en",
        subtitleMode: 0,
        thumb: "",
      })),
      StatisticsBandwidth: kept,
    });
  });

  // Three samples 5 s apart in python-plexapi's payload (tests/payloads.py);
  // `timespan=6` is the only value the sources show.
  fake.route("GET", /^\/statistics\/resources$/, (ctx) => {
    if ((ctx.url.searchParams.get("timespan") ?? "6") !== "6") {
      return fake.badRequest();
    }
    const now = Math.floor(Date.now() / 1000);
    const samples = Array.from({ length: 24 }, (_, i) => {
      const at = now - now % 5 - (23 - i) * 5;
      const wave = (i * 37) % 23;
      return {
        timespan: 6,
        at,
        hostCpuUtilization: 12 + wave,
        processCpuUtilization: 3 + wave / 2,
        hostMemoryUtilization: 64.946,
        processMemoryUtilization: 3.665 + i / 100,
      };
    });
    return fake.container({
      size: samples.length,
      StatisticsResources: samples,
    });
  });

  // Empty trash (spec:8522): deletes what Plex keeps of media whose files
  // are gone, the items marked `deletedAt`, from one library.
  // Answered at once, done later in an activity (work.ts; its type is
  // unverified).
  fake.route("PUT", /^\/library\/sections\/([^/]+)\/emptyTrash$/, (ctx) => {
    const section = lib.sections.get(Number(ctx.params[0]));
    if (!section) return fake.notFound();
    startWork(fake, {
      type: "library.empty.trash",
      title: `Emptying trash of ${section.raw.title}`,
      context: { librarySectionID: String(section.id) },
    }, () => emptyTrash(section));
    return fake.ok();
  });

  const emptyTrash = (section: DemoSection) => {
    const drop = (keys: string[]): string[] =>
      keys.filter((rk) => {
        const item = lib.items.get(rk);
        if (!item) return false;
        if (item.raw.deletedAt !== undefined) {
          forget(item);
          return false;
        }
        item.children = drop(item.children);
        return true;
      });
    const forget = (item: DemoItem) => {
      for (const child of item.children) {
        const c = lib.items.get(child);
        if (c) forget(c);
      }
      lib.items.delete(item.ratingKey);
      for (const c of lib.collections.values()) {
        if (c.raw.smart !== "1") {
          c.members = c.members.filter((m) => m !== item.ratingKey);
        }
      }
      for (const p of lib.playlists.values()) {
        if (p.raw.smart !== true) {
          p.entries = p.entries.filter((e) => e.ratingKey !== item.ratingKey);
        }
      }
    };
    section.items = drop(section.items);
  };

  // The server's capabilities: the attributes of `GET /` (recorded in
  // GET__media_providers.json, the spec's test literal) with one media
  // provider, the library. `diagnostics` says what it lets the owner
  // download: "logs,databases,streaminglogs" on plex-api.rs's Plex Pass
  // recording, "streaminglogs,databases" on the spec's (API.md §22).
  fake.route("GET", /^\/media\/providers$/, () =>
    fake.container({
      size: 1,
      allowCameraUpload: false,
      allowChannelAccess: false,
      allowSharing: true,
      allowSync: true,
      allowTuners: false,
      backgroundProcessing: true,
      certificate: true,
      companionProxy: true,
      countryCode: "gb",
      diagnostics: fakeLogs(fake).advertised
        ? "logs,databases,streaminglogs"
        : "streaminglogs,databases",
      eventStream: true,
      friendlyName: lib.name,
      machineIdentifier: lib.machineIdentifier,
      myPlex: true,
      myPlexMappingState: "mapped",
      myPlexSigninState: "ok",
      myPlexSubscription: true,
      platform: "Linux",
      platformVersion: "6.1.0",
      pluginHost: true,
      pushNotifications: true,
      readOnlyLibraries: false,
      transcoderActiveVideoSessions: 0,
      transcoderAudio: true,
      transcoderVideo: true,
      updater: true,
      version: lib.version,
      voiceSearch: true,
      MediaProvider: [{
        identifier: "com.plexapp.plugins.library",
        title: "Library",
        types: "video,audio,photo",
        protocols: "stream,http",
        Feature: [
          { key: "/library/sections", type: "content" },
          { key: "/hubs/search", type: "search" },
          { key: "/library/metadata", type: "metadata" },
          { key: "/playlists", type: "playlist", flavor: "global" },
        ],
      }],
    }));

  // The logs, a zip archive (python-plexapi downloadLogs(): GET
  // /diagnostics/logs with X-Plex-Token, saved under the Content-
  // Disposition name; server.py:574, utils.py:425-500). Not in the spec;
  // the owner's alone, like the dashboards (a Home member's or friend's
  // token is refused with Plex's HTML 401: viewers.ts ADMIN_ONLY). Served
  // whatever `diagnostics` lists (see FakeLogs.advertised); `refusal` makes
  // a server that will not hand them over.
  fake.route("GET", /^\/diagnostics\/logs$/, async (ctx) => {
    const token = ctx.req.headers.get("X-Plex-Token") ??
      ctx.url.searchParams.get("X-Plex-Token") ?? "";
    const refusal = fakeLogs(fake).refusal;
    if (refusal === 404) return fake.notFound();
    if (refusal) return new Response(null, { status: refusal });
    const zip = await logArchive(fake, token);
    return new Response(zip as BodyInit, {
      status: 200,
      headers: {
        "content-type": "application/zip",
        "content-length": String(zip.length),
        // python-plexapi takes the file name from here; the form of the
        // name is made up (unverified).
        "content-disposition": `attachment; filename="Plex Media Server Logs_${
          new Date(DEMO_EPOCH * 1000).toISOString().slice(0, 19).replace(
            "T",
            "_",
          ).replaceAll(":", "-")
        }.zip"`,
      },
    });
  });

  // Clean bundles and optimize the database (spec:1296, :1517; python-
  // plexapi sends `async=1`, library.py:179, :195): PUT only.
  // The optimization runs on after the answer, as an activity (work.ts;
  // its type is unverified).
  for (const path of [/^\/library\/clean\/bundles$/, /^\/library\/optimize$/]) {
    fake.route("PUT", path, (ctx) => {
      const a = ctx.url.searchParams.get("async");
      if (!(a === null || a === "0" || a === "1")) return fake.badRequest();
      if (ctx.url.pathname.endsWith("/optimize")) {
        startWork(fake, {
          type: "database.optimize",
          title: "Optimizing database",
        }, () => {});
      }
      return fake.ok();
    });
  }
}
