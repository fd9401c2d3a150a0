/**
 * Fake Plex: library scans with activities, and butler tasks.
 *
 * @module
 */
import type { FakePlexState, RouteContext } from "../state.ts";
import { DEMO_EPOCH } from "../../library.ts";
import { workActivities } from "../work.ts";

/** Percent a scan advances per `/activities` poll. */
const SCAN_STEP = 34;

/** Registers the maintenance routes. */
export function registerAdminRoutes(fake: FakePlexState): void {
  const lib = fake.library;
  // Scans whose start the notification socket has announced. A scan
  // sends `activity` frames as it starts, progresses and ends (API.md §23:
  // ppa's test sees at least 3 frames for one section refresh).
  const announced = new WeakSet<object>();
  const listing = (a: {
    uuid: string;
    type: string;
    title: string;
    progress: number;
    sectionId: number;
  }) => ({
    uuid: a.uuid,
    type: a.type,
    cancellable: false,
    userID: 1,
    title: a.title,
    subtitle: "Scanning files",
    progress: a.progress,
    Context: { librarySectionID: String(a.sectionId) },
  });

  const refresh = (ctx: RouteContext) => {
    const id = Number(ctx.params[0]);
    const section = lib.sections.get(id);
    if (!section) return fake.notFound();
    const all = [...lib.activities.values()];
    if (fake.instantScans && all.length === 0) {
      // A small library scanned between two requests: nothing to list, only
      // the new scan time.
      section.raw.scannedAt = DEMO_EPOCH + fake.requests.length;
      const done = {
        uuid: crypto.randomUUID(),
        type: "library.update.section",
        title: `Scanning ${section.raw.title}`,
        progress: 0,
        sectionId: id,
      };
      fake.notifyActivity("started", listing(done));
      fake.notifyActivity("ended", listing({ ...done, progress: 100 }));
      return fake.ok();
    }
    if (!all.some((a) => a.sectionId === id)) {
      const uuid = crypto.randomUUID();
      // Plex scans one section at a time: a scan asked for while another
      // section's runs waits behind it, listed nowhere and its section not
      // marked refreshing until it runs (python-plexlibrary#22: a wait on
      // `refreshing` "gives false positive if another library is updating";
      // its recipe.py waits on `section.refreshing` alone). The activity of
      // a new scan also takes a moment to be listed (API.md §13).
      const after = all.at(-1)?.uuid;
      lib.activities.set(uuid, {
        uuid,
        type: "library.update.section",
        title: `Scanning ${section.raw.title}`,
        progress: 0,
        sectionId: id,
        hiddenPolls: fake.scanActivityDelay,
        after,
      });
      // A new scan marks its section once its scanner runs (when its
      // activity shows), so "not refreshing, no activity" right after the
      // request does not mean "done".
      if (!after && !fake.scanActivityDelay) {
        section.raw.refreshing = true;
        const a = lib.activities.get(uuid)!;
        announced.add(a);
        fake.notifyActivity("started", listing(a));
      }
    }
    return fake.ok();
  };

  /** Whether an activity is listed yet (not delayed, not waiting). */
  const visible = (a: { hiddenPolls?: number; after?: string }) =>
    !a.hiddenPolls && (!a.after || !lib.activities.has(a.after));
  fake.route("GET", /^\/library\/sections\/([^/]+)\/refresh$/, refresh);
  fake.route("POST", /^\/library\/sections\/([^/]+)\/refresh$/, refresh);

  fake.route("GET", /^\/activities$/, () => {
    const listed = [...lib.activities.values()].filter(visible);
    // A scan that is listed runs: its section is refreshing.
    for (const a of listed) {
      lib.sections.get(a.sectionId)!.raw.refreshing = true;
      if (!announced.has(a)) {
        announced.add(a);
        fake.notifyActivity("started", listing(a));
      }
    }
    const shown = listed.map((a) => ({
      uuid: a.uuid,
      type: a.type,
      cancellable: false,
      userID: 1,
      title: a.title,
      subtitle: "Scanning files",
      progress: a.progress,
      Context: { librarySectionID: String(a.sectionId) },
    }));
    // Each poll moves every listed scan forward; finished scans disappear
    // next time; delayed ones come closer to being listed.
    for (const a of [...lib.activities.values()]) {
      if (a.hiddenPolls) {
        a.hiddenPolls--;
        continue;
      }
      if (!listed.includes(a)) continue;
      if (a.progress >= 100) {
        lib.activities.delete(a.uuid);
        const section = lib.sections.get(a.sectionId)!;
        section.raw.refreshing = false;
        section.raw.scannedAt = DEMO_EPOCH + fake.requests.length;
        fake.notifyActivity("ended", listing(a));
      } else {
        a.progress = Math.min(100, a.progress + SCAN_STEP);
        fake.notifyActivity("updated", listing(a));
      }
    }
    // Refreshes, matches, trash and database work in progress (work.ts).
    const working = workActivities(fake);
    return fake.container({
      size: shown.length + working.length,
      Activity: [...shown, ...working],
    });
  });

  fake.route("GET", /^\/butler$/, () => {
    const body = {
      ButlerTasks: { ButlerTask: lib.butler.map((t) => t.raw) },
    };
    // A started task "finishes" after it has been listed twice.
    for (const t of lib.butler) {
      if (t.running && ++t.polls >= 2) {
        t.running = false;
        t.polls = 0;
      }
    }
    return new Response(JSON.stringify(body), {
      headers: { "content-type": "application/json" },
    });
  });

  fake.route("POST", /^\/butler\/([^/]+)$/, (ctx) => {
    const task = lib.butler.find((t) => t.raw.name === ctx.params[0]);
    if (!task) return fake.notFound();
    if (task.running) return new Response(null, { status: 202 });
    task.running = true;
    return fake.ok();
  });
}
