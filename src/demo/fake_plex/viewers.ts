/**
 * Fake Plex: other people's tokens. A Plex Home member's token (from the
 * plex.tv switch, API.md §24.2) reaches the same server, but the server
 * answers with *their* watch state: what they watched, where they stopped,
 * how they rated (API.md pitfalls: "Watched flags returned to the admin
 * token reflect the admin account only"). And some endpoints are the
 * admin's alone: the full watch history ("a Home user's token gets 401
 * there", API.md pitfalls), sessions and accounts (§7, §12: admin token).
 *
 * Each viewer keeps its own values of the per-user fields. For a request
 * with a viewer's token the fake puts them into the items, answers, and
 * takes them out again, all synchronously (no route handler awaits), so
 * requests of different tokens never see each other's state.
 *
 * @module
 */
import type { DemoLibrary } from "../library.ts";

/** The per-user fields of an item. */
export const VIEWER_FIELDS = [
  "viewCount",
  "viewOffset",
  "lastViewedAt",
  "userRating",
  "lastRatedAt",
  "viewedLeafCount",
] as const;

type Field = (typeof VIEWER_FIELDS)[number];

/** One non-admin token and what it has watched. */
export interface FakeViewer {
  /** Display name. */
  name: string;
  /** Server account id (history's `accountID`). */
  accountID: number;
  /** Per item: the per-user fields that are set. */
  state: Map<string, Partial<Record<Field, unknown>>>;
}

/**
 * Paths only the admin's token may read or change (401 otherwise, as Plex
 * answers non-admin tokens with its HTML 401).
 */
const ADMIN_ONLY = [
  /^\/status\/sessions(\/history\/all)?$/,
  /^\/accounts$/,
  /^\/butler(\/[^/]+)?$/,
  /^\/library\/sections\/[^/]+\/refresh$/,
  /^\/statistics\//,
  // The log archive (python-plexapi downloadLogs(), server.py:574: an
  // admin's download; routes_care.ts).
  /^\/diagnostics\/logs$/,
];

/** Whether a non-admin token is refused at `path`. */
export function adminOnly(path: string): boolean {
  return ADMIN_ONLY.some((p) => p.test(path));
}

/**
 * Runs `answer` with `viewer`'s per-user fields in the library's items,
 * then restores the admin's and keeps what the answer changed as the
 * viewer's. `answer` must not await.
 */
export function asViewer<T>(
  lib: DemoLibrary,
  viewer: FakeViewer,
  answer: () => T,
): T {
  const saved = new Map<string, Partial<Record<Field, unknown>>>();
  for (const item of lib.items.values()) {
    const raw = item.raw;
    const admin: Partial<Record<Field, unknown>> = {};
    const mine = viewer.state.get(item.ratingKey) ?? {};
    for (const f of VIEWER_FIELDS) {
      if (f in raw) admin[f] = raw[f];
      delete raw[f];
      if (mine[f] !== undefined) raw[f] = mine[f];
    }
    // Containers count their viewed leaves per viewer; a viewer who has
    // watched nothing below a show still sees viewedLeafCount 0.
    if (
      typeof raw.leafCount === "number" && raw.viewedLeafCount === undefined
    ) {
      raw.viewedLeafCount = 0;
    }
    saved.set(item.ratingKey, admin);
  }
  try {
    return answer();
  } finally {
    for (const item of lib.items.values()) {
      const raw = item.raw;
      const mine: Partial<Record<Field, unknown>> = {};
      for (const f of VIEWER_FIELDS) {
        if (raw[f] !== undefined) mine[f] = raw[f];
        delete raw[f];
      }
      if (Object.keys(mine).length) viewer.state.set(item.ratingKey, mine);
      else viewer.state.delete(item.ratingKey);
      const admin = saved.get(item.ratingKey);
      if (admin) {
        for (const f of VIEWER_FIELDS) {
          if (f in admin) raw[f] = admin[f];
        }
      }
    }
  }
}
