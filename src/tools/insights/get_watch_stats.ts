import { z } from "../../zod.ts";
import type { PlexItem } from "../../plex/models.ts";
import { accountsSchema } from "../../plex/schemas.ts";
import {
  defineTool,
  READ_ONLY,
  ToolInputError,
} from "../shared/define_tool.ts";
import { duration, isoTime, parts, plural } from "../shared/format.ts";
import { parseSince } from "../activity/get_watch_history.ts";
import { shown } from "../shared/ids.ts";
import { displayName, summarize } from "../shared/items.ts";
import { fetchItems, MAX_PLAYS, readPlays } from "../shared/plays.ts";
import {
  libraryInput,
  nameOrIdInput,
  resolveAccount,
  resolveLibrary,
} from "../shared/resolve.ts";
import { viewerFor, viewerInput, viewerLine } from "../shared/viewers.ts";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const ranked = z.object({
  name: z.string(),
  plays: z.number().int(),
  watchMs: z.number().int(),
  ratingKey: z.string().optional(),
});

/** The time zone to count weekdays and hours in, checked. */
function zone(name: string | undefined): string {
  const tz = name ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    throw new ToolInputError(
      `timezone ${
        shown(tz)
      } is not a time zone: use an IANA name such as Europe/Berlin or UTC`,
    );
  }
}

/** Weekday (0 = Monday) and hour of an epoch second in `tz`. */
function dayAndHour(
  at: number,
  format: Intl.DateTimeFormat,
): { day: number; hour: number } {
  const p = format.formatToParts(new Date(at * 1000));
  const day = WEEKDAYS.indexOf(p.find((x) => x.type === "weekday")!.value);
  const hour = Number(p.find((x) => x.type === "hour")!.value) % 24;
  return { day, hour };
}

type Entry = {
  name: string;
  plays: number;
  watchMs: number;
  ratingKey?: string;
  role?: string;
};

class Tally {
  readonly #m = new Map<string, Entry>();
  add(key: string, name: string, ms: number, ratingKey?: string): void {
    this.addEntry(key, { name, ratingKey }, ms);
  }
  addEntry(key: string, base: Omit<Entry, "plays" | "watchMs">, ms: number) {
    const e = this.#m.get(key) ?? { ...base, plays: 0, watchMs: 0 };
    e.plays++;
    e.watchMs += ms;
    this.#m.set(key, e);
  }
  /** Most played first; ties by watch time, then name. */
  top(n: number): Entry[] {
    return [...this.#m.values()].sort((a, b) =>
      b.plays - a.plays || b.watchMs - a.watchMs ||
      a.name.localeCompare(b.name)
    ).slice(0, n).map((e) => ({ ...e, watchMs: Math.round(e.watchMs) }));
  }
}

/** `get_watch_stats`: what was watched over a range, tallied. */
export const getWatchStats = defineTool({
  name: "get_watch_stats",
  title: "Viewing statistics",
  description:
    "Viewing statistics over a range (default 30 days): plays, watch time, top titles, shows, genres and people, busiest weekdays and hours, completion, per account (list_users) and library. Says how many plays it covered and whether a cap cut the range.",
  toolset: "insights",
  annotations: READ_ONLY,
  input: {
    since: z.string().min(1).default("30d").describe(
      "YYYY-MM-DD, ISO time, or 30d / 12h",
    ),
    until: z.string().min(1).optional().describe("YYYY-MM-DD or ISO time"),
    account: nameOrIdInput().optional().describe("Account name or id"),
    library: libraryInput.optional(),
    top: z.number().int().min(1).max(50).default(10),
    timezone: z.string().min(1).optional().describe(
      "IANA zone for weekdays and hours",
    ),
    ...viewerInput,
  },
  output: {
    since: z.string(),
    until: z.string(),
    timezone: z.string(),
    source: z.enum(["history", "last_viewed"]).describe(
      "last_viewed: this token may not read play history; each item's last play",
    ),
    entries: z.number().int().describe("Plays covered"),
    capped: z.boolean().describe(
      `More than ${MAX_PLAYS} plays: the oldest left out`,
    ),
    plays: z.number().int(),
    watchMs: z.number().int(),
    accounts: z.array(ranked),
    libraries: z.array(ranked),
    titles: z.array(ranked),
    shows: z.array(ranked),
    genres: z.array(ranked),
    people: z.array(ranked.extend({ role: z.string() })),
    weekdays: z.array(z.object({ day: z.string(), plays: z.number().int() })),
    hours: z.array(
      z.object({ hour: z.number().int(), plays: z.number().int() }),
    ),
    completion: z.object({
      started: z.number().int(),
      finished: z.number().int(),
      rate: z.number(),
    }).optional().describe(
      "Films and episodes played in the range that are now watched to the end",
    ),
  },
  handler: async (args, ctx) => {
    const viewer = await viewerFor(ctx.plex, args, ctx.signal);
    const { plex } = viewer;
    const { signal } = ctx;
    const now = Date.now();
    const since = parseSince(args.since, now);
    const until = args.until === undefined
      ? Math.floor(now / 1000)
      : parseSince(args.until, now);
    if (until < since) {
      throw new ToolInputError("until is before since: swap them");
    }
    const tz = zone(args.timezone);
    const [account, section] = await Promise.all([
      args.account ? resolveAccount(plex, args.account, signal) : undefined,
      args.library ? resolveLibrary(plex, args.library, signal) : undefined,
    ]);
    const read = await readPlays(plex, {
      since,
      until,
      accountID: account?.id,
      section,
      signal,
    });
    const { plays } = read;
    // Durations, genres and people are not in history entries: read the
    // items (and the shows of episodes) in batches.
    const items = await fetchItems(
      plex,
      plays.map((p) => p.item.ratingKey),
      signal,
    );
    const showKeys = plays.map((p) =>
      (items.get(p.item.ratingKey) ?? p.item).grandparentRatingKey
    ).filter((k): k is string => k !== undefined);
    const shows = await fetchItems(plex, showKeys, signal);
    const [accounts, sections] = await Promise.all([
      read.source === "history"
        ? plex.getJson("/accounts", accountsSchema, { signal }).catch(() => [])
        : Promise.resolve([]),
      plex.sections({ signal }),
    ]);
    const accountName = new Map(accounts.map((a) => [a.id, a.name]));
    const sectionName = new Map(sections.map((s) => [s.key, s.title]));

    const byAccount = new Tally();
    const byLibrary = new Tally();
    const byTitle = new Tally();
    const byShow = new Tally();
    const byGenre = new Tally();
    const byPerson = new Tally();
    const days = new Array(7).fill(0) as number[];
    const hours = new Array(24).fill(0) as number[];
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      weekday: "short",
      hour: "numeric",
      hourCycle: "h23",
    });
    let watchMs = 0;
    const own = new Map<string, PlexItem>();
    for (const play of plays) {
      const item: PlexItem = items.get(play.item.ratingKey) ?? play.item;
      const show = item.grandparentRatingKey
        ? shows.get(item.grandparentRatingKey)
        : undefined;
      const ms = item.duration ?? 0;
      watchMs += ms;
      const name = displayName(summarize(item));
      if (play.accountID !== undefined) {
        byAccount.add(
          play.accountID,
          accountName.get(play.accountID) ?? `account ${play.accountID}`,
          ms,
        );
      } else {
        byAccount.add("me", viewer.user?.title ?? "this account", ms);
      }
      const sid = play.sectionID ?? item.librarySectionID;
      if (sid !== undefined) {
        byLibrary.add(sid, sectionName.get(sid) ?? `library ${sid}`, ms, sid);
      }
      byTitle.add(item.ratingKey, name, ms, item.ratingKey);
      if (item.type === "episode" && item.grandparentRatingKey) {
        byShow.add(
          item.grandparentRatingKey,
          item.grandparentTitle ?? show?.title ?? "",
          ms,
          item.grandparentRatingKey,
        );
      }
      const tags = show ?? item;
      for (const g of new Set([...item.genres, ...tags.genres])) {
        byGenre.add(g, g, ms);
      }
      for (const d of new Set(item.directors)) {
        byPerson.addEntry(`director:${d}`, { name: d, role: "director" }, ms);
      }
      for (const r of tags.roles.slice(0, 5)) {
        byPerson.addEntry(`actor:${r.name}`, {
          name: r.name,
          role: "actor",
        }, ms);
      }
      const { day, hour } = dayAndHour(play.viewedAt, format);
      if (day >= 0) days[day]!++;
      hours[hour]!++;
      // Completion is judged by this token's own watch state, which is its
      // own account's: the owner's plays (account 1, API.md §25) or, from
      // the libraries, the viewer's.
      const mine = play.accountID === undefined || play.accountID === "1";
      if (mine && (item.type === "movie" || item.type === "episode")) {
        own.set(item.ratingKey, item);
      }
    }
    const people = byPerson.top(args.top).map((p) => ({
      ...p,
      role: p.role ?? "actor",
    }));
    const finished = [...own.values()].filter((i) =>
      i.viewCount > 0 && !i.viewOffset
    ).length;
    const completion = own.size && !(account && account.id !== "1")
      ? {
        started: own.size,
        finished,
        rate: Math.round((finished / own.size) * 1000) / 1000,
      }
      : undefined;
    const structured = {
      since: isoTime(since)!,
      until: isoTime(until)!,
      timezone: tz,
      source: read.source,
      entries: plays.length,
      capped: read.capped,
      plays: plays.length,
      watchMs: Math.round(watchMs),
      accounts: byAccount.top(args.top),
      libraries: byLibrary.top(args.top),
      titles: byTitle.top(args.top),
      shows: byShow.top(args.top),
      genres: byGenre.top(args.top),
      people,
      weekdays: WEEKDAYS.map((day, i) => ({ day, plays: days[i]! })),
      hours: hours.map((plays, hour) => ({ hour, plays })),
      completion,
    };
    return { structured, text: viewerLine(viewer) + statsText(structured) };
  },
});

type Stats = {
  since: string;
  until: string;
  timezone: string;
  source: "history" | "last_viewed";
  entries: number;
  capped: boolean;
  plays: number;
  watchMs: number;
  accounts: z.output<typeof ranked>[];
  libraries: z.output<typeof ranked>[];
  titles: z.output<typeof ranked>[];
  shows: z.output<typeof ranked>[];
  genres: z.output<typeof ranked>[];
  people: (z.output<typeof ranked> & { role: string })[];
  weekdays: { day: string; plays: number }[];
  hours: { hour: number; plays: number }[];
  completion?: { started: number; finished: number; rate: number };
};

function line(label: string, list: z.output<typeof ranked>[], n = 5): string {
  if (!list.length) return "";
  return `${label}: ${
    list.slice(0, n).map((e) =>
      `${
        e.ratingKey && label === "Top titles" ? `[${e.ratingKey}] ` : ""
      }${e.name} ${e.plays}`
    ).join(", ")
  }`;
}

function statsText(s: Stats): string {
  const range = `${s.since.slice(0, 10)} to ${s.until.slice(0, 10)}`;
  if (s.plays === 0) {
    return `No plays from ${range}${
      s.source === "last_viewed" ? " (this token's last plays)" : ""
    }.`;
  }
  const busiestDay = [...s.weekdays].sort((a, b) => b.plays - a.plays)[0]!;
  const busiestHour = [...s.hours].sort((a, b) => b.plays - a.plays)[0]!;
  return [
    parts([
      `${plural(s.plays, "play")} from ${range}`,
      duration(s.watchMs) && `${duration(s.watchMs)} watched`,
      s.completion &&
      `${
        Math.round(s.completion.rate * 100)
      }% of ${s.completion.started} started finished`,
    ]),
    s.source === "last_viewed"
      ? "This token may not read the play history (Plex answered 401), so each item counts once, at its last play."
      : "",
    s.capped
      ? `Capped at ${s.entries} plays (the newest): older plays in the range are left out; narrow the range for all of them.`
      : "",
    line("Top titles", s.titles),
    line("Top shows", s.shows),
    line("Genres", s.genres),
    line("People", s.people),
    line("Accounts", s.accounts),
    line("Libraries", s.libraries),
    `Busiest: ${busiestDay.day}, ${
      String(busiestHour.hour).padStart(2, "0")
    }:00 (${s.timezone})`,
  ].filter(Boolean).join("\n");
}
