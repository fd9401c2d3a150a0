/**
 * What the watchlist tools share: turning a library item into its plex.tv
 * Discover id (the end of its `plex://` guid; an episode or season stands
 * for its show), a title into a Discover search hit, and watchlist entries
 * back into the library items that are the same title (`guid=` on the
 * libraries of that type, python-plexapi's `getGuid`; API.md §24.1).
 *
 * @module
 */
import { ratingKeyInput } from "../shared/resolve.ts";
import { z } from "../../zod.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { PlexItem, Section } from "../../plex/models.ts";
import { itemsContainerSchema } from "../../plex/schemas.ts";
import { discoverId } from "../../plextv/account.ts";
import type { PlexTvAccountApi, WatchlistEntry } from "../../plextv/models.ts";
import { ToolInputError } from "../shared/define_tool.ts";
import { shown } from "../shared/ids.ts";
import { displayName, summarize } from "../shared/items.ts";
import { fetchItem } from "../shared/watch_state.ts";
import { notTaken } from "../shared/readback.ts";

/** A Discover id argument (from get_watchlist). */
export const discoverIdInput: z.ZodString = z.string().regex(
  /^[0-9a-f]{24}$/,
  "must be a watchlist id (24 hex digits) from get_watchlist",
);

/** Where a watchlist title is in the libraries. */
export const inLibrary = z.array(z.object({
  ratingKey: z.string(),
  library: z.string(),
}));

/** A title to put on or take off the watchlist. */
export interface WatchTarget {
  /** Discover id. */
  id: string;
  /** What to call it. */
  name: string;
  /** `movie` or `show`. */
  type: string;
}

/** The Discover title a library item stands for (a show for its episodes). */
export async function targetOfItem(
  plex: PlexClient,
  ratingKey: string,
  signal: AbortSignal,
): Promise<WatchTarget> {
  let item: PlexItem = await fetchItem(plex, ratingKey, signal);
  // The watchlist holds films and shows: an episode or season is its show.
  const show = item.type === "episode"
    ? item.grandparentRatingKey
    : item.type === "season"
    ? item.parentRatingKey
    : undefined;
  if (show) item = await fetchItem(plex, show, signal);
  if (item.type !== "movie" && item.type !== "show") {
    throw new ToolInputError(
      `[${item.ratingKey}] ${
        displayName(summarize(item))
      } is a ${item.type}: the watchlist holds films and shows`,
    );
  }
  const id = discoverId(item.guid);
  if (!id) {
    throw new ToolInputError(
      `[${item.ratingKey}] ${
        displayName(summarize(item))
      } has no plex.tv id (it was matched by a legacy agent, guid ${
        shown(item.guid ?? "none")
      }): match it again with Plex's current agent first`,
    );
  }
  return { id, name: displayName(summarize(item)), type: item.type };
}

/**
 * The Discover title a search names: the hit whose title is the one asked
 * (and year, when given); several or none are the model's to resolve.
 */
export async function targetOfTitle(
  account: PlexTvAccountApi,
  title: string,
  options: { year?: number; type?: "movie" | "show" },
  signal: AbortSignal,
): Promise<WatchTarget> {
  const hits = await account.search(title, options.type, 10, signal);
  const norm = (s: string) => s.trim().toLowerCase();
  const exact = hits.filter((h) =>
    norm(h.title) === norm(title) &&
    (options.year === undefined || h.year === options.year)
  );
  const label = (h: WatchlistEntry) =>
    `${h.title}${h.year ? ` (${h.year})` : ""}, ${h.type}`;
  if (exact.length === 1) {
    const h = exact[0]!;
    return { id: h.id, name: label(h), type: h.type };
  }
  if (exact.length > 1) {
    throw new ToolInputError(
      `Several titles on plex.tv are called ${shown(title)}: ${
        exact.slice(0, 5).map(label).join("; ")
      }. Give year (or type)`,
    );
  }
  throw new ToolInputError(
    hits.length
      ? `No title on plex.tv is called exactly ${shown(title)}${
        options.year ? ` (${options.year})` : ""
      }; close: ${hits.slice(0, 5).map(label).join("; ")}`
      : `plex.tv Discover finds nothing for ${shown(title)}`,
  );
}

/** The movie and show libraries, to look watchlist titles up in. */
export async function videoSections(
  plex: PlexClient,
  signal: AbortSignal,
): Promise<Section[]> {
  return (await plex.sections({ signal })).filter((s) =>
    s.type === "movie" || s.type === "show"
  );
}

/** Where each entry is in the libraries (by guid, per library of its type). */
export async function locate(
  plex: PlexClient,
  sections: readonly Section[],
  entries: readonly WatchlistEntry[],
  signal: AbortSignal,
): Promise<Map<string, z.output<typeof inLibrary>>> {
  const out = new Map<string, z.output<typeof inLibrary>>();
  await Promise.all(
    entries.flatMap((e) =>
      sections.filter((s) => s.type === e.type).map(async (s) => {
        const c = await plex.getJson(
          `/library/sections/${encodeURIComponent(s.key)}/all`,
          itemsContainerSchema,
          { query: { guid: e.guid }, signal },
        );
        for (const i of c.Metadata) {
          // Only an exact guid match is the same title.
          if (i.guid !== e.guid) continue;
          const list = out.get(e.id) ?? [];
          list.push({ ratingKey: i.ratingKey, library: s.title });
          out.set(e.id, list);
        }
      })
    ),
  );
  for (const list of out.values()) {
    list.sort((a, b) => a.ratingKey.localeCompare(b.ratingKey));
  }
  return out;
}

/** How a watchlist write names its title: a library item, or a title plex.tv knows. */
export const watchTargetInput = {
  ratingKey: ratingKeyInput.optional(),
  title: z.string().min(1).max(200).optional(),
  year: z.number().int().min(1870).max(2100).optional(),
  type: z.enum(["movie", "show"]).optional(),
};

/** What the two watchlist writes answer. */
export const watchlistWriteOutput = {
  id: z.string(),
  title: z.string(),
  type: z.string(),
  onWatchlist: z.boolean().describe("As plex.tv lists it afterwards"),
  changed: z.boolean(),
};

/** The title a write names: by ratingKey, or by title on plex.tv. */
export async function targetOf(
  args: {
    ratingKey?: string;
    title?: string;
    year?: number;
    type?: "movie" | "show";
  },
  plex: PlexClient,
  account: PlexTvAccountApi,
  signal: AbortSignal,
): Promise<WatchTarget> {
  if ((args.ratingKey === undefined) === (args.title === undefined)) {
    throw new ToolInputError(
      "Give either ratingKey (a library item) or title (a film or show plex.tv knows)",
    );
  }
  if (args.ratingKey !== undefined) {
    return await targetOfItem(plex, args.ratingKey, signal);
  }
  // The server is asked first, as for a ratingKey: its failures come first.
  await videoSections(plex, signal);
  return await targetOfTitle(account, args.title!, args, signal);
}

/**
 * Puts `target` on the watchlist (`on`) or takes it off, unless `entries`
 * (the watchlist now) already says so, and reads the watchlist back.
 */
export async function setOnWatchlist(
  account: PlexTvAccountApi,
  target: WatchTarget,
  entries: readonly WatchlistEntry[],
  on: boolean,
  signal: AbortSignal,
): Promise<{
  structured: {
    id: string;
    title: string;
    type: string;
    onWatchlist: boolean;
    changed: boolean;
  };
  text: string;
  notTaken?: boolean;
}> {
  const answer = (onWatchlist: boolean, changed: boolean, text: string) => ({
    structured: { ...target, title: target.name, onWatchlist, changed },
    text,
  });
  const structured = (onWatchlist: boolean) => ({
    ...target,
    title: target.name,
    onWatchlist,
    changed: false,
  });
  if (entries.some((e) => e.id === target.id) === on) {
    return answer(
      on,
      false,
      `${target.name} is ${
        on ? "already" : "not"
      } on the watchlist; nothing changed.`,
    );
  }
  if (on) await account.addToWatchlist(target.id, signal);
  else await account.removeFromWatchlist(target.id, signal);
  const after = await account.allWatchlist(signal);
  const listed = after.entries.some((e) => e.id === target.id);
  if (listed !== on) {
    return notTaken(
      structured(listed),
      on
        ? `${target.name} for the watchlist`
        : `the removal of ${target.name} from the watchlist`,
      `it ${
        on ? "does not list it" : "still lists it"
      } afterwards (try get_watchlist in a moment)`,
      "plex.tv",
    );
  }
  return answer(
    listed,
    true,
    on
      ? `Put ${target.name} on the watchlist (id ${target.id}).`
      : `Took ${target.name} off the watchlist.`,
  );
}
