/**
 * Metadata edits end to end, through the real stdio server against the
 * fake Plex: fields and tags with Plex's locks, before and after, the edit
 * call on the wire, what each type may edit, confirmation for what takes
 * things away, and a refresh that keeps what is locked and puts back what
 * is not.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectStdio, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function key(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(`no demo item ${title}`);
}

function writes(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).filter((r) => r.method !== "GET").map((
    r,
  ) => `${r.method} ${decodeURIComponent(r.path.replaceAll("+", " "))}`);
}

Deno.test("update_metadata edits fields and tags with locks, and refresh_metadata keeps only what is locked", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "library,curation",
  });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const charade = key(fake, "Charade");
    const raw = fake.library.items.get(charade)!.raw;
    const agentSummary = raw.summary;

    // Fields and added tags: one edit call, every edited field locked, the
    // whole wanted tag list sent (the fake replaces the list, so the old
    // genres survive only because they were sent).
    let at = fake.requests.length;
    const edit = await call("update_metadata", {
      ratingKey: charade,
      title: "Charade (1963)",
      sort_title: "Charade",
      summary: "Audrey Hepburn in Paris.",
      year: 1964,
      genres: { add: ["Caper"] },
      labels: { add: ["Favourite"] },
    });
    assert.equal(edit.r.isError, undefined, edit.text);
    assert.deepEqual(writes(fake, at), [
      `PUT /library/sections/1/all?type=1&id=${charade}&title.value=Charade (1963)&title.locked=1&titleSort.value=Charade&titleSort.locked=1&summary.value=Audrey Hepburn in Paris.&summary.locked=1&year.value=1964&year.locked=1&genre[0].tag.tag=Comedy&genre[1].tag.tag=Mystery&genre[2].tag.tag=Romance&genre[3].tag.tag=Caper&genre.locked=1&label[0].tag.tag=Favourite&label.locked=1`,
    ]);
    assert.equal(edit.s.before.title, "Charade");
    assert.equal(edit.s.after.title, "Charade (1963)");
    assert.equal(edit.s.after.year, 1964);
    assert.deepEqual(edit.s.after.genres, [
      "Comedy",
      "Mystery",
      "Romance",
      "Caper",
    ]);
    assert.deepEqual(edit.s.after.labels, ["Favourite"]);
    assert.deepEqual(edit.s.after.locked.sort(), [
      "genres",
      "labels",
      "sort_title",
      "summary",
      "title",
      "year",
    ]);
    assert.deepEqual(edit.s.changed, [
      "title",
      "sort_title",
      "summary",
      "year",
      "genres",
      "labels",
    ]);
    assert.deepEqual(edit.s.notApplied, []);
    assert.match(edit.text, /title: "Charade" → "Charade \(1963\)"/);
    // What get_media_details reads is the edited item.
    const details = await call("get_media_details", { ratingKey: charade });
    assert.match(details.text, /Charade \(1963\)/);

    // Removing tags or clearing a field asks first; nothing is sent.
    at = fake.requests.length;
    const ask = await call("update_metadata", {
      ratingKey: charade,
      genres: { remove: ["Comedy"] },
      tagline: "",
    });
    assert.match(
      ask.text,
      /On "Charade \(1963\)", remove genres Comedy cannot be undone: ask the user, then call again with confirm: true/,
    );
    assert.deepEqual(writes(fake, at), []);
    const removed = await call("update_metadata", {
      ratingKey: charade,
      genres: { remove: ["Comedy", "Western"] },
      confirm: true,
    });
    assert.equal(removed.r.isError, undefined, removed.text);
    assert.deepEqual(removed.s.after.genres, ["Mystery", "Romance", "Caper"]);
    // Only genres the item has are sent for removal.
    assert.deepEqual(writes(fake, at), [
      `PUT /library/sections/1/all?type=1&id=${charade}&genre[].tag.tag-=Comedy&genre.locked=1`,
    ]);

    // A collection tag creates that collection, as in Plex.
    const tagged = await call("update_metadata", {
      ratingKey: charade,
      collections: { add: ["Audrey Hepburn"] },
    });
    assert.equal(tagged.r.isError, undefined, tagged.text);
    const listed = await call("list_collections", { library: "1" });
    const made = listed.s.items.find((c: Any) => c.title === "Audrey Hepburn");
    assert.ok(made, listed.text);
    const inside = await call("get_collection", { ratingKey: made.ratingKey });
    assert.deepEqual(inside.s.items.map((i: Any) => i.ratingKey), [charade]);

    // A field the type lacks, and change-and-unlock together: refused
    // before anything is sent.
    at = fake.requests.length;
    const episode = [...fake.library.items.values()].find((i) =>
      i.raw.type === "episode"
    )!.ratingKey;
    const wrong = await call("update_metadata", {
      ratingKey: episode,
      tagline: "x",
      genres: { add: ["y"] },
    });
    assert.match(
      wrong.text,
      /A episode has no editable tagline, genres; it has title, sort_title, summary, content_rating, originally_available, labels, collections/,
    );
    const both = await call("update_metadata", {
      ratingKey: charade,
      title: "X",
      unlock: ["title"],
    });
    assert.match(both.text, /cannot be changed and unlocked in one call/);
    const missing = await call("update_metadata", {
      ratingKey: "999999",
      title: "X",
    });
    assert.match(missing.text, /No item with ratingKey 999999/);
    const nothing = await call("update_metadata", { ratingKey: charade });
    assert.match(nothing.text, /Nothing to change/);
    assert.deepEqual(writes(fake, at), []);

    // Refresh asks first; then the agent's values come back only where
    // the field is not locked.
    at = fake.requests.length;
    const unconfirmed = await call("refresh_metadata", { ratingKey: charade });
    assert.match(
      unconfirmed.text,
      /Refresh the metadata of movie "Charade \(1963\)" from its agent, replacing fields that are not locked \(locked: .*summary.*title.*\) cannot be undone/,
    );
    assert.deepEqual(writes(fake, at), []);
    const kept = await call("refresh_metadata", {
      ratingKey: charade,
      confirm: true,
    });
    assert.equal(kept.r.isError, undefined, kept.text);
    assert.deepEqual(writes(fake, at), [
      `PUT /library/metadata/${charade}/refresh`,
    ]);
    assert.deepEqual(kept.s.changed, [], "every edited field was locked");
    assert.equal(kept.s.after.title, "Charade (1963)");

    // Unlock title and summary (only `.locked=0`, values untouched), then
    // refresh: those two come back from the agent, the rest stays.
    at = fake.requests.length;
    const unlocked = await call("update_metadata", {
      ratingKey: charade,
      unlock: ["title", "summary"],
    });
    assert.equal(unlocked.r.isError, undefined, unlocked.text);
    assert.deepEqual(writes(fake, at), [
      `PUT /library/sections/1/all?type=1&id=${charade}&title.locked=0&summary.locked=0`,
    ]);
    assert.deepEqual(unlocked.s.changed, []);
    assert.match(unlocked.text, /unlocked (summary, title|title, summary)/);
    const back = await call("refresh_metadata", {
      ratingKey: charade,
      confirm: true,
    });
    assert.deepEqual(back.s.changed, ["title", "summary"]);
    assert.equal(back.s.after.title, "Charade");
    assert.equal(back.s.after.summary, agentSummary);
    assert.equal(back.s.after.year, 1964, "still locked");
    assert.deepEqual(back.s.after.genres, ["Mystery", "Romance", "Caper"]);
  } finally {
    await close();
  }
});

Deno.test("the fake's edit call is as strict as Plex: type required and matching, unknown ids 404, no id edits every item of the type", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "curation",
  });
  try {
    const detour = key(fake, "Detour");
    const put = (query: string) =>
      fake.handle(
        new Request(
          `http://fake/library/sections/1/all?${query}&X-Plex-Token=tok-SECRET-e2e-8f3a9c1d77`,
          { method: "PUT" },
        ),
      );
    assert.equal((await put(`id=${detour}&title.value=X`)).status, 400);
    assert.equal((await put(`type=2&id=${detour}&title.value=X`)).status, 400);
    assert.equal((await put(`type=1&id=999999&title.value=X`)).status, 404);
    assert.equal((await put(`type=1&id=${detour}&title.value=`)).status, 400);
    assert.equal(fake.library.items.get(detour)!.raw.title, "Detour");
    // Without `id`, Plex edits every item of that type in the library
    // (API.md §20.1), which is why the tools always send it.
    assert.equal((await put(`type=1&studio.value=Everyone`)).status, 200);
    const movies = fake.sectionItems(1, 1);
    assert.ok(movies.length > 3);
    assert.ok(movies.every((m) => m.raw.studio === "Everyone"));
    const r = await client.callTool({
      name: "update_metadata",
      arguments: { ratingKey: detour, studio: "PRC" },
    });
    assert.equal(r.isError, undefined, textOf(r));
    assert.equal(fake.library.items.get(detour)!.raw.studio, "PRC");
    assert.equal(
      movies.filter((m) => m.raw.studio === "Everyone").length,
      movies.length - 1,
      "only the named item changed",
    );
  } finally {
    await close();
  }
});
