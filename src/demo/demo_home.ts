/**
 * The demo server's people: its owner's plex.tv account with a Plex Home
 * (Alex, a member without a PIN, and Sam, whose profile has PIN 2468), a
 * friend the server is shared with (Riley, not in the Home), each Home
 * member's own token for this server and own watch state, and plex.tv
 * Discover with the library's titles and a few it does not have, for the
 * watchlist.
 *
 * Alex's state agrees with the rest of the demo: the tracks the history
 * lists for account 2 are watched, and Charade, which Alex is playing in
 * `/status/sessions`, is in progress at the same position.
 *
 * @module
 */
import { DEMO_EPOCH, type DemoLibrary } from "./library.ts";
import type { FakeDiscoverItem, FakeHomeUser } from "./fake_plextv/mod.ts";
import type { FakeViewer } from "./fake_plex/viewers.ts";

/** The demo Home members' tokens (plex.tv and server), fixed per name. */
export const DEMO_HOME_TOKENS = {
  alexTv: "demo-tv-alex-4f1c2d9e",
  alexServer: "demo-srv-alex-7b3e5a10",
  samTv: "demo-tv-sam-c82e0f44",
  samServer: "demo-srv-sam-19d7b6e2",
} as const;

/** Sam's PIN in the demo. */
export const DEMO_SAM_PIN = "2468";

/** Titles Discover knows that the demo library does not have. */
const ELSEWHERE: FakeDiscoverItem[] = [
  {
    id: "5d776b59ad5437001f79c6f8",
    type: "movie",
    title: "Metropolis",
    year: 1927,
    duration: 153 * 60_000,
  },
  {
    id: "5d776826961905001eb91c3a",
    type: "movie",
    title: "Nanook of the North",
    year: 1922,
    duration: 79 * 60_000,
  },
  {
    id: "5d9c086fe9d5a1001f4d7b11",
    type: "show",
    title: "The Lone Ranger",
    year: 1949,
  },
];

/** What the fake Plex needs to set its people up. */
export interface DemoHome {
  /** The Home members, for the fake plex.tv. */
  home: FakeHomeUser[];
  /** Discover's titles. */
  catalog: FakeDiscoverItem[];
  /** The members' server tokens and watch states, for the fake Plex. */
  viewers: [string, FakeViewer][];
  /** The titles each account starts with on its watchlist. */
  watchlists: [string, string[]][];
}

function idOf(guid: unknown): string | undefined {
  return /^plex:\/\/(?:movie|show)\/([0-9a-f]+)$/.exec(String(guid))?.[1];
}

/** Builds the demo's people around `lib` (the owner's token is `owner`). */
export function demoHome(lib: DemoLibrary, owner: string): DemoHome {
  const machine = lib.machineIdentifier;
  const catalog: FakeDiscoverItem[] = [];
  for (const item of lib.items.values()) {
    const type = item.raw.type;
    const id = idOf(item.raw.guid);
    if ((type === "movie" || type === "show") && id) {
      catalog.push({
        id,
        type,
        title: String(item.raw.title),
        year: Number(item.raw.year),
        duration: typeof item.raw.duration === "number"
          ? item.raw.duration
          : undefined,
      });
    }
  }
  // Copies: a test may change a title, and the next fake must not see it.
  catalog.push(...ELSEWHERE.map((e) => ({ ...e })));
  const home: FakeHomeUser[] = [
    {
      id: 22201,
      uuid: "a1e2c3d4e5f60718",
      title: "Alex",
      username: "alex",
      token: DEMO_HOME_TOKENS.alexTv,
      serverTokens: { [machine]: DEMO_HOME_TOKENS.alexServer },
    },
    {
      id: 22202,
      uuid: "b2f3d4e5f6071829",
      title: "Sam",
      restricted: true,
      pin: DEMO_SAM_PIN,
      token: DEMO_HOME_TOKENS.samTv,
      serverTokens: { [machine]: DEMO_HOME_TOKENS.samServer },
    },
  ];
  const alex: FakeViewer = { name: "Alex", accountID: 2, state: new Map() };
  for (const h of lib.history.filter((h) => h.accountID === 2)) {
    const before = alex.state.get(h.ratingKey);
    alex.state.set(h.ratingKey, {
      viewCount: Number(before?.viewCount ?? 0) + 1,
      lastViewedAt: h.viewedAt,
    });
  }
  const playing = lib.sessions.find((s) =>
    (s.User as { id?: string } | undefined)?.id === "2"
  );
  if (playing && typeof playing.ratingKey === "string") {
    alex.state.set(playing.ratingKey, {
      viewOffset: playing.viewOffset,
      lastViewedAt: DEMO_EPOCH - 600,
    });
  }
  const sam: FakeViewer = { name: "Sam", accountID: 3, state: new Map() };
  const byTitle = (title: string) => catalog.find((c) => c.title === title)?.id;
  return {
    home,
    catalog,
    viewers: [
      [DEMO_HOME_TOKENS.alexServer, alex],
      [DEMO_HOME_TOKENS.samServer, sam],
    ],
    watchlists: [
      [owner, ["Metropolis", "Charade", "The Lone Ranger"].map(byTitle)],
      [DEMO_HOME_TOKENS.alexTv, ["Nosferatu"].map(byTitle)],
    ].map(([token, ids]) => [
      token as string,
      (ids as (string | undefined)[]).filter((i): i is string => !!i),
    ]),
  };
}
