/**
 * Paged lists whose body leaves `totalSize` out: the total is read from the
 * `X-Plex-Container-Total-Size` header (Plex's OpenAPI description lists it
 * on its paged endpoints), so a full page still says there is more, and
 * counts still count. The fake's `totalInHeaderOnly` answers that way.
 */
import assert from "node:assert/strict";
import { connectInMemory, textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a total given only in the X-Plex-Container-Total-Size header pages history, libraries, playlists and counts", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    assert.equal(r.isError, undefined, `${name}: ${textOf(r)}`);
    return r.structuredContent as Any;
  };
  try {
    fake.totalInHeaderOnly = true;
    // The fake really leaves the body's total out and sends the header.
    const raw = await fake.handle(
      new Request(
        "http://fake/status/sessions/history/all?X-Plex-Container-Start=0&X-Plex-Container-Size=2",
        {
          headers: { "X-Plex-Token": "demo-token", Accept: "application/json" },
        },
      ),
    );
    const body = await raw.json();
    assert.equal(body.MediaContainer.totalSize, undefined);
    const historyTotal = Number(raw.headers.get("X-Plex-Container-Total-Size"));
    assert.ok(historyTotal > 2, "enough history for two pages");

    const history = await call("get_watch_history", { limit: 2 });
    assert.equal(history.items.length, 2);
    assert.equal(history.total, historyTotal);
    assert.equal(history.next_offset, 2);

    const movies = fake.library.sections.get(1)!.items.length;
    const browse = await call("browse_library", {
      library: "Classic Movies",
      limit: 3,
    });
    assert.equal(browse.total, movies);
    assert.equal(browse.next_offset, 3);

    const libraries = await call("get_libraries", {});
    const classic = (libraries.libraries as Any[]).find((l) =>
      l.title === "Classic Movies"
    );
    assert.equal(classic.itemCount, movies);

    const playlist = [...fake.library.playlists.values()].find((p) =>
      p.entries.length > 2
    )!;
    const page = await call("get_playlist", {
      playlist: String(playlist.raw.ratingKey),
      limit: 2,
    });
    assert.equal(page.total, playlist.entries.length);
    assert.equal(page.next_offset, 2);
  } finally {
    await close();
  }
});
