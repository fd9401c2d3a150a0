/**
 * Match searches by title or year carry the library's agent and language,
 * as python-plexapi sends them (mixins.py:223-240) and Plex's OpenAPI lists
 * them; a year alone searches the item's own title. The bare search stays
 * `manual=1`. The fake's agent finds nothing for a search without them.
 */
import assert from "node:assert/strict";
import { connectInMemory, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("list_matches and match_item search by title or year with the library's agent and language", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  const lastMatches = () =>
    new URL(
      fake.requests.findLast((q) => q.path.includes("/matches"))!.path,
      "http://x",
    ).searchParams;
  try {
    const charade = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Charade"
    )!;
    const section = fake.library.sections.get(charade.sectionId)!;
    // The bare search: manual=1 alone, as Plex Web asks.
    const bare = await call("list_matches", { ratingKey: charade.ratingKey });
    assert.equal(bare.r.isError, undefined, bare.text);
    assert.deepEqual([...lastMatches().keys()], ["manual"]);

    // By title and year: the library's agent and language with them.
    const titled = await call("list_matches", {
      ratingKey: charade.ratingKey,
      title: "Charade",
      year: 1963,
    });
    assert.equal(titled.r.isError, undefined, titled.text);
    assert.ok(titled.s.candidates.length > 0, titled.text);
    const q = lastMatches();
    assert.equal(q.get("agent"), section.raw.agent);
    assert.equal(q.get("language"), section.raw.language);
    assert.equal(q.get("title"), "Charade");
    assert.equal(q.get("year"), "1963");

    // A year alone: the item's title is searched, as python-plexapi fills it.
    const byYear = await call("list_matches", {
      ratingKey: charade.ratingKey,
      year: 1963,
    });
    assert.ok(byYear.s.candidates.length > 0, byYear.text);
    assert.equal(lastMatches().get("title"), "Charade");
    assert.equal(lastMatches().get("agent"), section.raw.agent);

    // match_item repeats the same search before it applies a candidate.
    const pick = titled.s.candidates[1];
    const made = await call("match_item", {
      ratingKey: charade.ratingKey,
      guid: pick.guid,
      title: "Charade",
      year: 1963,
      confirm: true,
    });
    assert.equal(made.r.isError, undefined, made.text);
    assert.equal(lastMatches().get("agent"), section.raw.agent);

    // The fake's agent finds nothing for a title search without them.
    const raw = await fake.handle(
      new Request(
        `http://fake/library/metadata/${charade.ratingKey}/matches?manual=1&title=Charade&year=1963`,
        {
          headers: { "X-Plex-Token": "demo-token", Accept: "application/json" },
        },
      ),
    );
    assert.equal((await raw.json()).MediaContainer.size, 0);
  } finally {
    await close();
  }
});
