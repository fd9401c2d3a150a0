/**
 * Fake Plex: work a real server does after it has answered. Refreshing or
 * matching an item, emptying a library's trash and optimizing the
 * database are answered at once (200) and done later in an activity that
 * `/activities` lists meanwhile (API.md §13, §22; python-plexapi sends
 * `async=1` to optimize, library.py:195; AUDIT-2026-12 D11). The fake does
 * the same: the change lands {@link FakeWork.ms} after the request, when
 * the next request arrives (so no timer outlives a test), and the activity
 * is listed until then with its progress.
 *
 * An item refresh is listed as `library.refresh.items` with `Context.key`
 * `/library/metadata/{rk}`, title "Refreshing", subtitle "Checking files",
 * as recorded notification frames show it (e.g. plex-auto-languages'
 * tests, a TypeScript client's parser test). The types of the trash and
 * database activities are unverified.
 *
 * @module
 */
import type { FakePlexState } from "./state.ts";
import type { RawObject } from "../library.ts";

/** One piece of work in progress. */
interface Job {
  uuid: string;
  type: string;
  title: string;
  subtitle: string;
  context: RawObject;
  startedAt: number;
  finish: () => void;
}

/** The fake's work settings and what is in progress. */
export interface FakeWork {
  /** How long each piece of work takes, in ms (0: done by the next request). */
  ms: number;
  /** Work in progress, by activity uuid. */
  readonly jobs: Map<string, Job>;
}

const state = new WeakMap<FakePlexState, FakeWork>();

/** The work of one fake (made on first use; 300 ms per piece by default). */
export function fakeWork(fake: FakePlexState): FakeWork {
  let work = state.get(fake);
  if (!work) {
    work = { ms: 300, jobs: new Map() };
    state.set(fake, work);
    // A Plex that keeps no write (`forget-writes`) keeps no work either.
    fake.keepsState(work.jobs);
  }
  return work;
}

function listing(job: Job, progress: number): RawObject {
  return {
    uuid: job.uuid,
    type: job.type,
    cancellable: false,
    userID: 1,
    title: job.title,
    subtitle: job.subtitle,
    progress,
    Context: job.context,
  };
}

/**
 * Starts a piece of work: listed in `/activities` (and announced on the
 * notification socket) until `finish` runs, after {@link FakeWork.ms}.
 */
export function startWork(
  fake: FakePlexState,
  what: {
    type: string;
    title: string;
    subtitle?: string;
    context?: RawObject;
  },
  finish: () => void,
): void {
  const job: Job = {
    uuid: crypto.randomUUID(),
    type: what.type,
    title: what.title,
    subtitle: what.subtitle ?? "",
    context: what.context ?? {},
    startedAt: Date.now(),
    finish,
  };
  fakeWork(fake).jobs.set(job.uuid, job);
  fake.notifyActivity("started", listing(job, 0));
}

/** Finishes the work whose time has come (every request calls it first). */
export function settleDue(fake: FakePlexState, all = false): void {
  const work = state.get(fake);
  if (!work || work.jobs.size === 0) return;
  const now = Date.now();
  for (const job of [...work.jobs.values()]) {
    if (!all && now - job.startedAt < work.ms) continue;
    work.jobs.delete(job.uuid);
    job.finish();
    fake.notifyActivity("ended", listing(job, 100));
  }
}

/** Test hook: finishes all work in progress now. */
export function settleWork(fake: FakePlexState): void {
  settleDue(fake, true);
}

/** The activities of the work in progress, as `/activities` lists them. */
export function workActivities(fake: FakePlexState): RawObject[] {
  const work = state.get(fake);
  if (!work) return [];
  const now = Date.now();
  return [...work.jobs.values()].map((job) =>
    listing(
      job,
      work.ms <= 0
        ? 0
        : Math.min(99, Math.floor((now - job.startedAt) / work.ms * 100)),
    )
  );
}
