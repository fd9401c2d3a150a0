/**
 * Fake Plex: playlists (list, create, read, add, remove, delete), each
 * account's own (playlist_owners.ts).
 *
 * @module
 */
import type { FakePlexState, RouteContext } from "../state.ts";
import {
  DEMO_EPOCH,
  type DemoPlaylist,
  type RawObject,
} from "../../library.ts";
import {
  ownPlaylist,
  playlistOwner,
  requesterAccount,
  setPlaylistOwner,
} from "../playlist_owners.ts";
import { createSmartPlaylist } from "./curation.ts";
import { shareWithFriends } from "../shares.ts";

const KIND: Record<string, string> = {
  movie: "video",
  episode: "video",
  clip: "video",
  track: "audio",
  photo: "photo",
};

/** Registers the playlist routes. */
export function registerPlaylistRoutes(fake: FakePlexState): void {
  const lib = fake.library;
  // The fake makes its plex.tv after its routes: the server is shared with
  // the account's friends once both exist, before any request can carry a
  // friend's token (it comes from plex.tv, a request later).
  queueMicrotask(() => shareWithFriends(fake));

  /** ratingKeys named by a `server://{machine}/…/library/metadata/1,2` URI. */
  const keysFromUri = (uri: string | null): string[] | undefined => {
    const m =
      /^server:\/\/([^/]+)\/com\.plexapp\.plugins\.library\/library\/metadata\/([\d,]+)$/
        .exec(uri ?? "");
    if (!m || m[1] !== lib.machineIdentifier) return undefined;
    const keys = m[2]!.split(",").filter(Boolean);
    return keys.every((k) => lib.items.has(k)) ? keys : undefined;
  };

  const view = (rk: string, p: DemoPlaylist): RawObject => {
    const items = p.entries.map((e) => lib.items.get(e.ratingKey)!);
    return {
      ...p.raw,
      leafCount: items.length,
      duration: items.reduce((n, i) => n + Number(i.raw.duration ?? 0), 0),
      ratingKey: rk,
    };
  };

  const playlist = (ctx: RouteContext) =>
    ownPlaylist(fake, ctx, ctx.params[0]!);

  fake.route("GET", /^\/playlists$/, (ctx) => {
    const type = ctx.url.searchParams.get("playlistType");
    const account = requesterAccount(fake, ctx);
    const rows = [...lib.playlists.entries()]
      .filter(([, p]) => playlistOwner(p) === account)
      .filter(([, p]) => !type || p.raw.playlistType === type)
      .map(([rk, p]) => view(rk, p));
    return fake.paged(ctx, rows);
  });

  fake.route("POST", /^\/playlists$/, (ctx) => {
    // A new playlist is the requester's.
    const before = new Set(lib.playlists.keys());
    const response = createPlaylist(ctx);
    const account = requesterAccount(fake, ctx);
    for (const [rk, p] of lib.playlists) {
      if (!before.has(rk)) setPlaylistOwner(p, account);
    }
    return response;
  });

  const createPlaylist = (ctx: RouteContext): Response => {
    const q = ctx.url.searchParams;
    if (q.get("smart") === "1") return createSmartPlaylist(fake, ctx);
    const title = q.get("title")?.trim();
    const keys = keysFromUri(q.get("uri"));
    const type = q.get("type");
    if (!title || !keys || !type || q.get("smart") === "1") {
      return fake.badRequest();
    }
    const kinds = new Set(
      keys.map((k) => KIND[String(lib.items.get(k)!.raw.type)]),
    );
    if (kinds.size !== 1 || !kinds.has(type)) return fake.badRequest();
    const rk = String(lib.nextKey++);
    const now = DEMO_EPOCH + fake.requests.length;
    const p: DemoPlaylist = {
      raw: {
        ratingKey: rk,
        key: `/playlists/${rk}/items`,
        guid: `com.plexapp.agents.none://${crypto.randomUUID()}`,
        type: "playlist",
        title,
        // POST /playlists takes no summary (API.md §8: create has type,
        // title, smart, uri); it is set afterwards with PUT /playlists/{id}.
        summary: "",
        smart: false,
        playlistType: type,
        composite: `/playlists/${rk}/composite/${now}`,
        icon: "playlist://image.smart",
        addedAt: now,
        updatedAt: now,
      },
      entries: keys.map((ratingKey) => ({
        id: lib.nextPlaylistItemId++,
        ratingKey,
      })),
    };
    lib.playlists.set(rk, p);
    return fake.container({ size: 1, Metadata: [view(rk, p)] });
  };

  fake.route("GET", /^\/playlists\/([^/]+)$/, (ctx) => {
    const p = playlist(ctx);
    return p
      ? fake.container({ size: 1, Metadata: [view(ctx.params[0]!, p)] })
      : fake.notFound();
  });

  // Edit: PUT /playlists/{id} with `summary.value=…&summary.locked=1` (and
  // `title.value`), "in the same manner as editing metadata" (current spec;
  // python-plexapi editTitle/editSummary, live-tested in
  // tests/test_playlist.py test_Playlist_edit), or the older plain
  // `title=…&summary=…` (API.md §21; @ctrl/plex Playlist.edit, live-tested
  // in test/playlist.spec.ts). Both are taken; a PUT with neither is 400.
  fake.route("PUT", /^\/playlists\/([^/]+)$/, (ctx) => {
    const p = playlist(ctx);
    if (!p) return fake.notFound();
    const q = ctx.url.searchParams;
    const title = q.get("title.value") ?? q.get("title");
    const summary = q.get("summary.value") ?? q.get("summary");
    if (title === null && summary === null) return fake.badRequest();
    if (title !== null) {
      if (!title.trim()) return fake.badRequest();
      p.raw.title = title;
    }
    if (summary !== null) p.raw.summary = summary;
    const locked = ["title", "summary"].filter((f) =>
      q.get(`${f}.locked`) === "1"
    );
    if (locked.length) {
      // Locked fields are listed as `Field[]` (python-plexapi reads
      // `self.fields` from them, playlist.py).
      const fields = new Set(
        ((p.raw.Field as { name: string }[] | undefined) ?? []).map((f) =>
          f.name
        ),
      );
      for (const f of locked) fields.add(f);
      p.raw.Field = [...fields].map((name) => ({ locked: true, name }));
    }
    p.raw.updatedAt = DEMO_EPOCH + fake.requests.length;
    return fake.ok();
  });

  fake.route("DELETE", /^\/playlists\/([^/]+)$/, (ctx) => {
    if (!playlist(ctx) || !lib.playlists.delete(ctx.params[0]!)) {
      return fake.notFound();
    }
    return new Response(null, { status: 204 });
  });

  fake.route("GET", /^\/playlists\/([^/]+)\/items$/, (ctx) => {
    const p = playlist(ctx);
    if (!p) return fake.notFound();
    const v = view(ctx.params[0]!, p);
    const rows = p.entries.map((e) => ({
      ...fake.listView(lib.items.get(e.ratingKey)!),
      playlistItemID: e.id,
    }));
    return fake.paged(ctx, rows, {
      composite: v.composite,
      duration: v.duration,
      leafCount: v.leafCount,
      playlistType: v.playlistType,
      ratingKey: ctx.params[0],
      smart: v.smart,
      title: v.title,
    });
  });

  fake.route("PUT", /^\/playlists\/([^/]+)\/items$/, (ctx) => {
    const p = playlist(ctx);
    if (!p) return fake.notFound();
    const keys = keysFromUri(ctx.url.searchParams.get("uri"));
    if (!keys || p.raw.smart) return fake.badRequest();
    if (
      keys.some((k) =>
        KIND[String(lib.items.get(k)!.raw.type)] !== p.raw.playlistType
      )
    ) {
      return fake.badRequest();
    }
    for (const ratingKey of keys) {
      p.entries.push({ id: lib.nextPlaylistItemId++, ratingKey });
    }
    p.raw.updatedAt = DEMO_EPOCH + fake.requests.length;
    return fake.container({ size: 1, Metadata: [view(ctx.params[0]!, p)] });
  });

  fake.route("DELETE", /^\/playlists\/([^/]+)\/items\/([^/]+)$/, (ctx) => {
    const p = playlist(ctx);
    if (!p) return fake.notFound();
    const at = p.entries.findIndex((e) => String(e.id) === ctx.params[1]);
    if (at < 0) return fake.notFound();
    p.entries.splice(at, 1);
    return fake.container({ size: 1, Metadata: [view(ctx.params[0]!, p)] });
  });
}
