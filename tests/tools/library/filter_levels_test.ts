/**
 * Filter fields at the level Plex offers them: browse_library, smart
 * collections and smart playlists send each field as the library
 * advertises it (`includeMeta=1`), as python-plexapi does — a show's
 * "unwatched" is `show.unwatchedLeaves`, genres of episodes are
 * `show.genre`, unwatched seasons `episode.unwatched`, an album's year
 * `album.year` — and a field no level offers is refused by name. The fake
 * refuses a field its level does not advertise, as filter_meta.ts cites.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectInMemory, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

async function raw(fake: FakePlex, path: string): Promise<Response> {
  return await fake.handle(
    new Request(`http://fake${path}`, {
      headers: { "X-Plex-Token": "demo-token", Accept: "application/json" },
    }),
  );
}

/** Section id of the demo library titled `title`. */
function sectionId(fake: FakePlex, title: string): number {
  return [...fake.library.sections.values()].find((s) => s.raw.title === title)!
    .id;
}

Deno.test("the fake advertises each level's filter fields and refuses a field its level does not advertise", async () => {
  const fake = new FakePlex();
  const tv = sectionId(fake, "TV Shows");
  const music = sectionId(fake, "Music");
  const status = async (path: string) => {
    const r = await raw(fake, path);
    await r.body?.cancel();
    return r.status;
  };
  // A TV library: `unwatched` is an episode's; a show's is unwatchedLeaves.
  assert.equal(
    await status(`/library/sections/${tv}/all?type=2&unwatched=1`),
    400,
  );
  assert.equal(await status(`/library/sections/${tv}/all?unwatched=1`), 400);
  assert.equal(
    await status(`/library/sections/${tv}/all?type=2&show.unwatched=1`),
    400,
  );
  assert.equal(
    await status(`/library/sections/${tv}/all?type=2&show.unwatchedLeaves=1`),
    200,
  );
  assert.equal(
    await status(`/library/sections/${tv}/all?type=2&episode.unwatched=1`),
    200,
  );
  // Episodes advertise no director; music no unwatched at any level.
  assert.equal(
    await status(`/library/sections/${tv}/all?type=4&episode.director=1`),
    400,
  );
  assert.equal(
    await status(`/library/sections/${music}/all?type=9&album.unwatched=1`),
    400,
  );
  assert.equal(
    await status(`/library/sections/${music}/all?type=10&track.year=1950`),
    400,
  );
  // Fields python-plexapi sends unadvertised (guid) still work.
  assert.equal(
    await status(`/library/sections/${tv}/all?guid=plex://show/x`),
    200,
  );
  // What it advertises, as recorded: one Type per level.
  const meta = await (await raw(
    fake,
    `/library/sections/${tv}/all?includeMeta=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0`,
  )).json();
  const types = meta.MediaContainer.Meta.Type as Any[];
  assert.deepEqual(types.map((t) => t.type), ["show", "season", "episode"]);
  const show = types[0];
  assert.ok(
    show.Field.some((f: Any) => f.key === "show.unwatchedLeaves"),
  );
  assert.ok(!show.Field.some((f: Any) => /unwatched$/.test(f.key)));
  assert.equal(
    show.Filter.find((f: Any) => f.filter === "genre").key,
    `/library/sections/${tv}/genre?type=2`,
  );
});

Deno.test("browse_library, smart collections and smart playlists send each filter field at the level Plex offers it", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  const lastAll = (id: number) =>
    new URL(
      fake.requests.findLast((q) =>
        q.path.startsWith(`/library/sections/${id}/all?`) &&
        !q.path.includes("includeMeta")
      )!.path,
      "http://x",
    ).searchParams;
  const tv = sectionId(fake, "TV Shows");
  const music = sectionId(fake, "Music");
  try {
    // Shows with an episode left: show.unwatchedLeaves. One show is
    // watched to the end.
    const shows = [...fake.library.items.values()].filter((i) =>
      i.sectionId === tv && i.raw.type === "show"
    );
    for (const episode of fake.leaves(shows[0]!)) episode.raw.viewCount = 1;
    fake.recount();
    const unwatched = shows.filter((s) =>
      Number(s.raw.viewedLeafCount ?? 0) < Number(s.raw.leafCount)
    ).map((s) => s.raw.title).sort();
    assert.ok(
      unwatched.length > 0 && unwatched.length < shows.length,
      "some shows are watched to the end, some not",
    );
    const browse = await call("browse_library", {
      library: "TV Shows",
      unwatched: true,
      limit: 100,
    });
    assert.equal(browse.r.isError, undefined, browse.text);
    assert.deepEqual(
      (browse.s.items as Any[]).map((i) => i.title).sort(),
      unwatched,
    );
    assert.equal(lastAll(tv).get("show.unwatchedLeaves"), "1");
    assert.equal(lastAll(tv).get("unwatched"), null);

    // Seasons with an episode left: episode.unwatched (a season offers no
    // field of its own; the last level first, as python-plexapi falls back).
    const seasons = await call("browse_library", {
      library: "TV Shows",
      type: "season",
      unwatched: true,
      limit: 100,
    });
    assert.equal(seasons.r.isError, undefined, seasons.text);
    assert.equal(lastAll(tv).get("episode.unwatched"), "1");
    assert.ok((seasons.s.items as Any[]).length > 0);

    // Genres of episodes live on shows: show.genre, by tag id.
    const mystery = await call("browse_library", {
      library: "TV Shows",
      type: "episode",
      genre: "Mystery",
      limit: 100,
    });
    assert.equal(mystery.r.isError, undefined, mystery.text);
    assert.match(lastAll(tv).get("show.genre") ?? "", /^\d+$/);
    assert.ok(
      fake.requests.some((q) =>
        q.path === `/library/sections/${tv}/genre?type=2`
      ),
      "the tag id comes from the show level's genre listing",
    );

    // A smart collection of unwatched shows keeps the same filter.
    const made = await call("create_collection", {
      title: "Shows to finish",
      library: "TV Shows",
      filter: { unwatched: true },
    });
    assert.equal(made.r.isError, undefined, made.text);
    const create = fake.requests.findLast((q) =>
      q.method === "POST" && q.path.startsWith("/library/collections")
    )!;
    const uri = new URL(create.path, "http://x").searchParams.get("uri")!;
    assert.match(
      uri,
      /\/library\/sections\/\d+\/all\?type=2&sort=titleSort&show\.unwatchedLeaves=1$/,
    );
    const collection = [...fake.library.collections.values()].find((c) =>
      c.raw.title === "Shows to finish"
    )!;
    const members = await raw(
      fake,
      `/library/collections/${collection.raw.ratingKey}/children`,
    );
    const names = ((await members.json()).MediaContainer.Metadata as Any[])
      .map((m) => m.title).sort();
    assert.deepEqual(names, unwatched);

    // A smart playlist of unwatched episodes: the episode's own field.
    const playlist = await call("create_smart_playlist", {
      title: "Episodes left",
      library: "TV Shows",
      filter: { unwatched: true },
    });
    assert.equal(playlist.r.isError, undefined, playlist.text);
    const post = fake.requests.findLast((q) =>
      q.method === "POST" && q.path.startsWith("/playlists?")
    )!;
    assert.match(
      new URL(post.path, "http://x").searchParams.get("uri")!,
      /all\?type=4&sort=episode\.titleSort&episode\.unwatched=1$/,
    );
    assert.ok(playlist.s.items > 0, playlist.text);

    // Music: an album's year; tracks of albums from a year.
    const albums = await call("browse_library", {
      library: "Music",
      type: "track",
      year: Number(
        [...fake.library.items.values()].find((i) =>
          i.sectionId === music && i.raw.type === "album"
        )!.raw.year,
      ),
    });
    assert.equal(albums.r.isError, undefined, albums.text);
    assert.ok(lastAll(music).has("album.year"));
    assert.ok((albums.s.items as Any[]).length > 0);
    // No level of a music library offers "unwatched": refused by name,
    // nothing listed.
    const at = fake.requests.length;
    const none = await call("browse_library", {
      library: "Music",
      unwatched: true,
    });
    assert.equal(none.r.isError, true);
    assert.match(
      none.text,
      /^Library "Music" offers no unwatched filter for artists \(its artist filters: title, userRating, genre/,
    );
    assert.ok(
      !fake.requests.slice(at).some((q) =>
        q.path.startsWith(`/library/sections/${music}/all?`) &&
        !q.path.includes("includeMeta")
      ),
    );
  } finally {
    await close();
  }
});
