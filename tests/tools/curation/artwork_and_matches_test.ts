/**
 * Artwork and matches end to end, through the real stdio server against
 * the fake Plex: posters and backgrounds listed and chosen with the choice
 * read back, and an item matched to another agent entry or unmatched, each
 * asked for first where it replaces metadata.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectStdio, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function writes(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).filter((r) => r.method !== "GET").map((r) =>
    `${r.method} ${decodeURIComponent(r.path.replaceAll("+", " "))}`
  );
}

Deno.test("artwork: list posters and backgrounds, choose one, read the choice back", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "curation",
  });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!.ratingKey;
    const listed = await call("list_artwork", { ratingKey: detour });
    assert.equal(listed.r.isError, undefined, listed.text);
    assert.equal(listed.s.total, 4);
    assert.equal(listed.s.artwork[0].selected, true, "the shown one first");
    const tmdb = listed.s.artwork.find((a: Any) => a.provider === "tmdb");
    assert.match(tmdb.thumb, /^https:\/\/images\.plex\.tv\/photo\?/);
    const thumbBefore = fake.library.items.get(detour)!.raw.thumb;

    let at = fake.requests.length;
    const set = await call("set_artwork", { ratingKey: detour, id: tmdb.id });
    assert.equal(set.r.isError, undefined, set.text);
    assert.deepEqual(set.s, {
      ratingKey: detour,
      kind: "poster",
      previous: listed.s.artwork[0].id,
      selected: tmdb.id,
      applied: true,
    });
    assert.deepEqual(writes(fake, at), [
      `PUT /library/metadata/${detour}/poster?url=${tmdb.id}`,
    ]);
    assert.notEqual(
      fake.library.items.get(detour)!.raw.thumb,
      thumbBefore,
      "the item's poster path changed",
    );
    const again = await call("list_artwork", { ratingKey: detour });
    assert.equal(again.s.artwork[0].id, tmdb.id);

    // Backgrounds are their own list; an id from another list is refused.
    at = fake.requests.length;
    const wrong = await call("set_artwork", {
      ratingKey: detour,
      kind: "background",
      id: tmdb.id,
    });
    assert.match(wrong.text, /has no background .*; list_artwork lists/);
    assert.deepEqual(writes(fake, at), []);
    const arts = await call("list_artwork", {
      ratingKey: detour,
      kind: "background",
    });
    const art = await call("set_artwork", {
      ratingKey: detour,
      kind: "background",
      id: arts.s.artwork[2].id,
    });
    assert.equal(art.s.applied, true, art.text);
    assert.deepEqual(writes(fake, at), [
      `PUT /library/metadata/${detour}/art?url=${arts.s.artwork[2].id}`,
    ]);
  } finally {
    await close();
  }
});

Deno.test("matches: candidates listed, a match or unmatch asked for first, applied and read back", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "curation",
  });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const item = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Charade"
    )!;
    const rk = item.ratingKey;
    const originalGuid = item.raw.guid;
    const listed = await call("list_matches", { ratingKey: rk });
    assert.equal(listed.s.current, originalGuid);
    assert.equal(listed.s.candidates[0].guid, originalGuid, "best first");
    assert.match(listed.text, /Charade \(1963\) · score 100 · current/);
    const remake = listed.s.candidates[1];
    assert.equal(remake.name, "Charade (Remake)");

    let at = fake.requests.length;
    const ask = await call("match_item", { ratingKey: rk, guid: remake.guid });
    assert.match(
      ask.text,
      /Match "Charade" to "Charade \(Remake\)" \(plex:\/\/movie\/\w+\), replacing its unlocked metadata cannot be undone/,
    );
    assert.deepEqual(writes(fake, at), []);
    const made = await call("match_item", {
      ratingKey: rk,
      guid: remake.guid,
      confirm: true,
    });
    assert.equal(made.r.isError, undefined, made.text);
    assert.deepEqual(made.s, {
      ratingKey: rk,
      before: { guid: originalGuid, title: "Charade" },
      after: { guid: remake.guid, title: "Charade (Remake)" },
      applied: true,
    });
    assert.deepEqual(writes(fake, at), [
      `PUT /library/metadata/${rk}/match?guid=${remake.guid}&name=Charade (Remake)`,
    ]);
    // Searching another title offers entries for it.
    const searched = await call("list_matches", {
      ratingKey: rk,
      title: "Charade",
      year: 1963,
    });
    const back = searched.s.candidates[0];
    assert.equal(back.name, "Charade");
    const remade = await call("match_item", {
      ratingKey: rk,
      guid: back.guid,
      title: "Charade",
      year: 1963,
      confirm: true,
    });
    assert.equal(remade.s.after.title, "Charade", remade.text);
    // A guid the agent did not offer is refused, nothing sent.
    at = fake.requests.length;
    const madeUp = await call("match_item", {
      ratingKey: rk,
      guid: "plex://movie/made-up",
      confirm: true,
    });
    assert.match(madeUp.text, /is not among the matches Plex offers/);
    const both = await call("match_item", {
      ratingKey: rk,
      guid: back.guid,
      unmatch: true,
    });
    assert.match(both.text, /exactly one of guid or unmatch/);
    assert.deepEqual(writes(fake, at), []);
    // Unmatch: asked for, then the item has no agent entry.
    const un = await call("match_item", {
      ratingKey: rk,
      unmatch: true,
      confirm: true,
    });
    assert.equal(un.s.applied, true, un.text);
    assert.equal(un.s.after.guid, `local://${rk}`);
    assert.deepEqual(writes(fake, at), [`PUT /library/metadata/${rk}/unmatch`]);
  } finally {
    await close();
  }
});
