/**
 * Fake Plex: sessions, watch history and accounts.
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";

/** Registers the activity routes. */
export function registerActivityRoutes(fake: FakePlexState): void {
  const lib = fake.library;

  fake.route(
    "GET",
    /^\/status\/sessions$/,
    () => fake.container({ size: lib.sessions.length, Metadata: lib.sessions }),
  );

  fake.route("GET", /^\/status\/sessions\/history\/all$/, (ctx) => {
    const p = ctx.url.searchParams;
    const account = p.get("accountID");
    const section = p.get("librarySectionID");
    const item = p.get("metadataItemID");
    // `viewedAt>=123` arrives as the key `viewedAt>` with the value `123`.
    const since = fake.historyIgnoresSince
      ? null
      : p.get("viewedAt>") ?? p.get("viewedAt>=");
    let entries = lib.history.filter((h) => {
      const i = lib.items.get(h.ratingKey);
      return (!account || String(h.accountID) === account) &&
        (!section || String(i?.sectionId) === section) &&
        (!item || h.ratingKey === item) &&
        (!since || h.viewedAt >= Number(since));
    });
    if ((p.get("sort") ?? "viewedAt:desc") === "viewedAt:desc") {
      entries = [...entries].reverse();
    }
    const rows = entries.map((h) => {
      const i = lib.items.get(h.ratingKey)!;
      const r = i.raw;
      return {
        historyKey: `/status/sessions/history/${h.id}`,
        key: r.key,
        ratingKey: h.ratingKey,
        librarySectionID: String(i.sectionId),
        parentKey: r.parentRatingKey &&
          `/library/metadata/${r.parentRatingKey}`,
        grandparentKey: r.grandparentRatingKey &&
          `/library/metadata/${r.grandparentRatingKey}`,
        title: r.title,
        grandparentTitle: r.grandparentTitle,
        parentTitle: r.parentTitle,
        type: r.type,
        thumb: r.thumb,
        index: r.index,
        parentIndex: r.parentIndex,
        originallyAvailableAt: r.originallyAvailableAt,
        viewedAt: h.viewedAt,
        accountID: h.accountID,
        deviceID: h.deviceID,
      };
    });
    return fake.paged(ctx, rows);
  });

  fake.route("GET", /^\/accounts$/, () =>
    fake.container({
      identifier: "com.plexapp.system.accounts",
      size: lib.accounts.length,
      Account: lib.accounts.map((a) => ({
        id: a.id,
        key: `/accounts/${a.id}`,
        name: a.name,
        defaultAudioLanguage: "en",
        autoSelectAudio: true,
        defaultSubtitleLanguage: "en",
        subtitleMode: 0,
        thumb: "",
      })),
    }));
}
