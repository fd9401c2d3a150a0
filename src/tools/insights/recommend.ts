/**
 * Recommendations from a viewer's own watch state, pure and deterministic:
 * a taste profile from what they watched and how they rated it (genres,
 * directors, actors, collections, weighted by recency and rating), scores
 * for what they have not started, Plex's related hubs as a bonus, and the
 * reasons each pick was made. With nothing to learn from (a cold start),
 * highly rated and recently added items, and the answer says so.
 *
 * @module
 */
import type { PlexItem } from "../../plex/models.ts";

/** One recommended item with its score and reasons. */
export interface Pick {
  /** The item. */
  item: PlexItem;
  /** Higher is better (only comparable within one answer). */
  score: number;
  /** Why, in plain words, strongest first. */
  reasons: string[];
}

/** What the ranking was based on. */
export type Basis = "history" | "cold_start";

/** Inputs of {@link recommend}. */
export interface RecommendInput {
  /** Every item in scope (movies and shows, with their watch state). */
  items: readonly PlexItem[];
  /**
   * Related items Plex lists for liked items: candidate ratingKey →
   * titles of the liked items it is related to.
   */
  related: ReadonlyMap<string, readonly string[]>;
  /** Keep only these. */
  accept: (item: PlexItem) => boolean;
  /** How many. */
  count: number;
  /** Now, epoch seconds. */
  now: number;
  /**
   * Keep items the profile says nothing good about too (a first pass that
   * picks which items to read in full).
   */
  includeUnliked?: boolean;
}

type Kind = "genre" | "director" | "actor" | "collection";

/** How much a shared feature of each kind counts. */
const KIND_WEIGHT: Record<Kind, number> = {
  genre: 1,
  director: 2.5,
  actor: 1.2,
  collection: 2,
};

const DAY = 86_400;

interface Feature {
  weight: number;
  watched: number;
  bestRating: number | undefined;
}

/** Whether the viewer has started (or finished) an item. */
export function started(item: PlexItem): boolean {
  if (item.type === "show" || item.type === "season") {
    return (item.viewedLeafCount ?? 0) > 0 || item.viewCount > 0;
  }
  return item.viewCount > 0 || (item.viewOffset ?? 0) > 0;
}

function features(item: PlexItem): [Kind, string][] {
  return [
    ...item.genres.map((g): [Kind, string] => ["genre", g]),
    ...item.directors.map((d): [Kind, string] => ["director", d]),
    ...item.roles.slice(0, 3).map((r): [Kind, string] => ["actor", r.name]),
    ...item.collections.map((c): [Kind, string] => ["collection", c]),
  ];
}

/** How much one watched or rated item says about taste. */
function tasteWeight(item: PlexItem, now: number): number {
  const rating = item.userRating;
  if (rating !== undefined && rating <= 4) return -1;
  let w = item.type === "show"
    ? 1 + ((item.leafCount ?? 0) > 0 &&
        (item.viewedLeafCount ?? 0) >= (item.leafCount ?? 0)
      ? 0.5
      : 0)
    : 1;
  const last = item.lastViewedAt;
  if (last !== undefined && now - last <= 30 * DAY) w += 0.5;
  else if (last !== undefined && now - last <= 180 * DAY) w += 0.25;
  if (rating !== undefined && rating >= 8) w += 1.5;
  else if (rating !== undefined && rating >= 6) w += 0.5;
  return w;
}

function quality(item: PlexItem): number | undefined {
  return item.audienceRating ?? item.rating;
}

function noun(item: PlexItem, n: number): string {
  const word = item.type === "show" ? "show" : "film";
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function ago(seconds: number): string {
  const days = Math.max(0, Math.round(seconds / DAY));
  return days === 0 ? "today" : days === 1 ? "yesterday" : `${days} days ago`;
}

/** Ranks the unstarted items of `input.items` for this viewer. */
export function recommend(
  input: RecommendInput,
): { picks: Pick[]; basis: Basis; learnedFrom: number } {
  const profile = new Map<string, Feature>();
  let learnedFrom = 0;
  for (const item of input.items) {
    if (!started(item) && item.userRating === undefined) continue;
    learnedFrom++;
    const w = tasteWeight(item, input.now);
    for (const [kind, name] of features(item)) {
      const key = `${kind}:${name}`;
      const f = profile.get(key) ??
        { weight: 0, watched: 0, bestRating: undefined };
      f.weight += w;
      if (started(item)) f.watched++;
      if (
        item.userRating !== undefined &&
        (f.bestRating === undefined || item.userRating > f.bestRating)
      ) f.bestRating = item.userRating;
      profile.set(key, f);
    }
  }
  const basis: Basis = learnedFrom > 0 ? "history" : "cold_start";
  const picks: Pick[] = [];
  for (const item of input.items) {
    if (started(item) || item.userRating !== undefined) continue;
    if (!input.accept(item)) continue;
    const parts: { points: number; reason: string }[] = [];
    if (basis === "history") {
      for (const [kind, name] of features(item)) {
        const f = profile.get(`${kind}:${name}`);
        if (!f || f.weight === 0) continue;
        const points = f.weight * KIND_WEIGHT[kind];
        const rated = f.bestRating !== undefined && f.bestRating >= 6
          ? `, rated ${f.bestRating}/10`
          : "";
        const reason = points < 0
          ? `${name}: you rated ${kind === "genre" ? "this genre" : "them"} low`
          : kind === "director"
          ? `${noun(item, f.watched)} by ${name} watched${rated}`
          : kind === "actor"
          ? `with ${name} (${noun(item, f.watched)} watched)`
          : kind === "collection"
          ? `in ${name} (${f.watched} of it watched)`
          : `${name}: ${noun(item, f.watched)} watched${rated}`;
        parts.push({ points, reason });
      }
      const seeds = input.related.get(item.ratingKey);
      if (seeds?.length) {
        parts.push({
          points: 2 * seeds.length,
          reason: `Plex lists it as related to ${
            seeds.slice(0, 2).join(" and ")
          }`,
        });
      }
    }
    const q = quality(item);
    if (q !== undefined) {
      parts.push({
        points: (q - 6) * (basis === "history" ? 0.4 : 1),
        reason: `rated ${Math.round(q * 10) / 10}/10`,
      });
    }
    const added = item.addedAt;
    if (added !== undefined && input.now - added <= 30 * DAY) {
      parts.push({
        points: basis === "history" ? 0.5 : 1.5,
        reason: `added ${ago(input.now - added)}`,
      });
    }
    const score = parts.reduce((n, p) => n + p.points, 0);
    // In a cold start every item counts; with a profile, only those it
    // says something good about.
    const liked = parts.some((p) => p.points > 0);
    if (basis === "history" && !liked && !input.includeUnliked) continue;
    const reasons = parts.filter((p) => p.points > 0)
      .sort((a, b) => b.points - a.points || a.reason.localeCompare(b.reason))
      .slice(0, 3).map((p) => p.reason);
    const dislikes = parts.filter((p) =>
      p.points < 0 && !/^rated /.test(p.reason)
    );
    if (dislikes.length) reasons.push(dislikes[0]!.reason);
    picks.push({ item, score: Math.round(score * 100) / 100, reasons });
  }
  picks.sort((a, b) =>
    b.score - a.score || (quality(b.item) ?? 0) - (quality(a.item) ?? 0) ||
    a.item.title.localeCompare(b.item.title) ||
    a.item.ratingKey.localeCompare(b.item.ratingKey)
  );
  return { picks: picks.slice(0, input.count), basis, learnedFrom };
}
