/**
 * Per-user views: tools whose answer depends on who watches (on deck,
 * history, watch state, stats, recommendations, watchlist) take `user`, a
 * member of the account's Plex Home, and `pin` when that member's profile
 * has one. The server then asks as that user: plex.tv switches to them
 * (`POST /api/v2/home/users/{uuid}/switch`, API.md §24.2), their resources
 * give their token for this server, and a client with that token answers.
 * Both tokens become secrets of the server's client, so they are redacted
 * from every answer and log line. A friend the server is shared with is not
 * a Home member: the admin cannot act as them, and the tools say so.
 *
 * The PIN is never logged or quoted; a switched user is remembered per PIN
 * (a hash of it, in memory), so a protected profile needs its PIN on every
 * call.
 *
 * @module
 */
import { accountOf } from "../../account/mod.ts";
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { HomeUser } from "../../plextv/account.ts";
import { type ToolContext, ToolInputError } from "./define_tool.ts";
import { shown } from "./ids.ts";

/**
 * The two arguments (kept bare: the server's instructions say once what
 * they are, so that each tool pays only a few bytes for them).
 */
export const viewerInput = {
  user: z.string().optional(),
  pin: z.string().optional(),
};

/** Whose view an answer is. */
export interface Viewer {
  /** The client to ask with. */
  plex: PlexClient;
  /** The Home user, when one was named and is not the account itself. */
  user: HomeUser | undefined;
}

/** How long the Home's member list is reused, ms. */
const USERS_TTL_MS = 60_000;

interface Switched {
  pinHash: string;
  client: PlexClient;
}

const homes = new WeakMap<
  PlexClient,
  { at: number; users: Promise<HomeUser[]> }
>();
const switched = new WeakMap<PlexClient, Map<string, Switched>>();

async function pinHash(userId: string, pin: string | undefined) {
  if (pin === undefined) return "";
  const bytes = new TextEncoder().encode(`plexmcp-pin\n${userId}\n${pin}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The account's Home members (cached for a minute). */
export function homeUsers(
  plex: PlexClient,
  signal: AbortSignal,
): Promise<HomeUser[]> {
  const cached = homes.get(plex);
  if (cached && Date.now() - cached.at < USERS_TTL_MS) return cached.users;
  const users = accountOf(plex).then((a) => a.homeUsers(signal));
  homes.set(plex, { at: Date.now(), users });
  users.catch(() => homes.delete(plex));
  return users;
}

function matches(
  u: { id: string; title: string; username?: string },
  w: string,
) {
  const v = w.toLowerCase();
  return u.id === w || u.title.toLowerCase() === v ||
    u.username?.toLowerCase() === v;
}

/**
 * The client that answers for `args.user` (the server's own without one).
 * Throws a clear {@link ToolInputError} for a bad PIN, a missing one, an
 * unknown name, a friend who is not a Home member, or a member the server
 * is not shared with.
 */
export async function viewerFor(
  plex: PlexClient,
  args: { user?: string; pin?: string },
  signal: AbortSignal,
): Promise<Viewer> {
  const pin = args.pin;
  if (pin !== undefined && !/^\d{4}$/.test(pin)) {
    throw new ToolInputError("pin must be the profile's 4-digit PIN");
  }
  const wanted = args.user?.trim();
  if (args.user !== undefined && !wanted) {
    throw new ToolInputError("user is empty: name a Plex Home user");
  }
  if (!wanted) {
    if (pin !== undefined) {
      throw new ToolInputError("pin goes with user: name the Home user");
    }
    return { plex, user: undefined };
  }
  if (wanted.length > 100) {
    throw new ToolInputError("user is too long to be a Plex Home user's name");
  }
  const users = await homeUsers(plex, signal);
  const user = users.find((u) => matches(u, wanted));
  if (!user) {
    const account = await accountOf(plex);
    const friend = (await account.friends(signal).catch(() => [])).find((f) =>
      matches(f, wanted)
    );
    if (friend) {
      throw new ToolInputError(
        `${friend.title} is a friend this server is shared with, not a member of your Plex Home: plexmcp cannot answer as them (their on deck, watch state and watchlist are theirs). Their plays on this server are in get_watch_history with account "${friend.title}"`,
      );
    }
    throw new ToolInputError(
      users.length
        ? `No Plex Home user matches ${shown(wanted)}: choose ${
          users.map((u) => JSON.stringify(u.title)).join(", ")
        } (list_home_users)`
        : `No Plex Home user matches ${
          shown(wanted)
        }: this account has no Plex Home`,
    );
  }
  // The account itself: the server's own client already answers for it.
  if (user.admin) return { plex, user: undefined };
  if (user.protected && pin === undefined) {
    throw new ToolInputError(
      `${user.title}'s profile is protected by a PIN: pass pin (ask ${user.title})`,
    );
  }
  const hash = await pinHash(user.id, user.protected ? pin : undefined);
  let mine = switched.get(plex);
  if (!mine) switched.set(plex, mine = new Map());
  const known = mine.get(user.id);
  if (known && known.pinHash === hash) {
    known.client.shareBudget(signal);
    return { plex: known.client, user };
  }
  const account = await accountOf(plex);
  const userToken = await account.switchTo(
    user,
    user.protected ? pin : undefined,
    signal,
  );
  plex.addSecret(userToken);
  const machine = await plex.machineIdentifier({ signal });
  const serverToken = await account.serverToken(userToken, machine, signal);
  if (!serverToken) {
    throw new ToolInputError(
      `${user.title} has no access to this server: plex.tv lists no token for them here (share a library with them in Plex's settings)`,
    );
  }
  const client = plex.actingAs(serverToken, userToken);
  client.shareBudget(signal);
  mine.set(user.id, { pinHash: hash, client });
  return { plex: client, user };
}

/** `Viewer: Sam` before an answer given for a Home user. */
export function viewerLine(viewer: Viewer): string {
  return viewer.user ? `Viewer: ${viewer.user.title}\n` : "";
}

/**
 * A handler that answers for `args.user` (see {@link viewerFor}): it runs
 * `handler` with that user's client and starts its text with
 * `Viewer: <name>`.
 */
export function forViewer<
  A extends { user?: string; pin?: string },
  R extends { text: string },
>(
  handler: (args: A, ctx: ToolContext) => Promise<R>,
): (args: A, ctx: ToolContext) => Promise<R> {
  return async (args, ctx) => {
    const viewer = await viewerFor(ctx.plex, args, ctx.signal);
    if (!viewer.user) return await handler(args, ctx);
    const result = await handler(args, { ...ctx, plex: viewer.plex });
    return { ...result, text: viewerLine(viewer) + result.text };
  };
}
