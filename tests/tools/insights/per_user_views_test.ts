/**
 * Per-user views end to end: over stdio in demo mode (the demo's plex.tv
 * answers in process), Alex's on deck is not the owner's and Sam's is not
 * Alex's; Sam's profile needs its PIN, a wrong one is refused, and the PIN
 * is in no output; a friend who is not in the Plex Home is refused
 * clearly; an unknown name lists the members. In process: a write as Alex
 * changes Alex's watch state only, the Home members' tokens are redacted
 * from every answer, and the fake Plex answers per token.
 */
import assert from "node:assert/strict";
import { DEMO_HOME_TOKENS, DEMO_SAM_PIN } from "../../../src/demo/demo_home.ts";
import { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectInMemory, spawnServer, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function titles(r: Any): string[] {
  return (r.structuredContent?.items ?? []).map((i: Any) => i.title);
}

Deno.test("per-user on deck over stdio: the owner's, Alex's and Sam's differ; PINs and friends", async () => {
  const s = await spawnServer({
    env: { DEV_MOCK_MODE: "true", DEV_LOG_LEVEL: "debug" },
  });
  const outputs: string[] = [];
  const call = async (args: Record<string, unknown>, name = "get_on_deck") => {
    const r = await s.client.callTool({ name, arguments: args });
    outputs.push(JSON.stringify(r));
    return r;
  };
  try {
    const owner = await call({});
    const alex = await call({ user: "Alex" });
    const sam = await call({ user: "Sam", pin: DEMO_SAM_PIN });
    assert.equal(owner.isError, undefined, textOf(owner));
    assert.equal(alex.isError, undefined, textOf(alex));
    assert.equal(sam.isError, undefined, textOf(sam));
    // The owner is halfway through His Girl Friday; Alex through Charade
    // (which the owner has not started); Sam has started nothing.
    assert.ok(titles(owner).includes("His Girl Friday"), titles(owner).join());
    assert.ok(!titles(owner).includes("Charade"));
    assert.deepEqual(titles(alex), ["Charade"]);
    assert.deepEqual(titles(sam), []);
    assert.match(textOf(alex), /^Viewer: Alex\n/);
    assert.match(textOf(sam), /^Viewer: Sam\nNo on deck items/);
    assert.doesNotMatch(textOf(owner), /Viewer:/);

    const noPin = await call({ user: "Sam" });
    assert.equal(noPin.isError, true);
    assert.match(
      textOf(noPin),
      /Sam's profile is protected by a PIN: pass pin/,
    );
    const wrongPin = "1357";
    const wrong = await call({ user: "sam", pin: wrongPin });
    assert.equal(wrong.isError, true);
    assert.match(textOf(wrong), /plex\.tv refused the PIN for Sam \(401\)/);
    const badPin = await call({ user: "Sam", pin: "12345" });
    assert.match(textOf(badPin), /pin must be the profile's 4-digit PIN/);

    const friend = await call({ user: "Riley" });
    assert.equal(friend.isError, true);
    assert.match(
      textOf(friend),
      /Riley is a friend this server is shared with, not a member of your Plex Home: plexmcp cannot answer as them .* get_watch_history with account "Riley"/,
    );
    const nobody = await call({ user: "Zed" });
    assert.match(
      textOf(nobody),
      /No Plex Home user matches "Zed": choose "viewer", "Alex", "Sam" \(list_home_users\)/,
    );

    // History: Alex's token may not read the play history, so Alex gets
    // Alex's own last plays.
    const history = await call({ user: "Alex", limit: 3 }, "get_watch_history");
    assert.equal(history.isError, undefined, textOf(history));
    assert.match(
      textOf(history),
      /may not read the play history \(Plex answered 401\)/,
    );
    assert.equal(
      (history.structuredContent as Any).items[0].item.title,
      "Charade",
    );
    const filtered = await call(
      { user: "Alex", account: "Sam" },
      "get_watch_history",
    );
    assert.match(textOf(filtered), /no account can be chosen/);
  } finally {
    await s.close();
  }
  // Neither PIN, nor any Home member's token, in any answer or log line.
  const everything = [...outputs, s.stderr()].join("\n");
  for (
    const secret of [DEMO_SAM_PIN, "1357", ...Object.values(DEMO_HOME_TOKENS)]
  ) {
    assert.ok(!everything.includes(secret), `${secret} leaked`);
  }
});

Deno.test("a write as Alex changes Alex's watch state only", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!;
    const r = await client.callTool({
      name: "mark_watched",
      arguments: { ratingKey: detour.ratingKey, user: "Alex" },
    });
    assert.equal(r.isError, undefined, textOf(r));
    assert.match(textOf(r), /^Viewer: Alex\n/);
    const alex = fake.viewers.get(DEMO_HOME_TOKENS.alexServer)!;
    assert.equal(alex.state.get(detour.ratingKey)?.viewCount, 1);
    assert.equal(
      detour.raw.viewCount,
      undefined,
      "the owner's state is untouched",
    );
    const rate = await client.callTool({
      name: "rate_media",
      arguments: {
        ratingKey: detour.ratingKey,
        rating: 9,
        user: "Sam",
        pin: DEMO_SAM_PIN,
      },
    });
    assert.equal(rate.isError, undefined, textOf(rate));
    const sam = fake.viewers.get(DEMO_HOME_TOKENS.samServer)!;
    assert.equal(sam.state.get(detour.ratingKey)?.userRating, 9);
    assert.equal(detour.raw.userRating, undefined);
    // And Alex's details show Alex's state.
    const seen = await client.callTool({
      name: "get_on_deck",
      arguments: { user: "Alex" },
    });
    assert.deepEqual(titles(seen), ["Charade"]);
  } finally {
    await close();
  }
});

Deno.test("Home members' tokens are secrets: redacted from every answer", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    // A title that carries Alex's server token and plex.tv token (a
    // hostile agent or plugin could write anything there).
    const charade = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Charade"
    )!;
    charade.raw.title =
      `Charade ${DEMO_HOME_TOKENS.alexServer} ${DEMO_HOME_TOKENS.alexTv}`;
    const r = await client.callTool({
      name: "get_on_deck",
      arguments: { user: "Alex" },
    });
    const all = JSON.stringify(r);
    assert.ok(!all.includes(DEMO_HOME_TOKENS.alexServer), all);
    assert.ok(!all.includes(DEMO_HOME_TOKENS.alexTv), all);
    assert.match(all, /Charade \[REDACTED\] \[REDACTED\]/);
  } finally {
    await close();
  }
});

Deno.test("the fake Plex answers per token: a Home member's watch state, the owner's history only for the owner", async () => {
  const fake = new FakePlex({ token: "owner-token" });
  const get = async (path: string, token: string) => {
    const r = await fake.fetch(`http://fake:32400${path}`, {
      headers: { Accept: "application/json", "X-Plex-Token": token },
    });
    return { status: r.status, body: r.status === 200 ? await r.json() : null };
  };
  const owner = await get("/library/onDeck", "owner-token");
  const alex = await get("/library/onDeck", DEMO_HOME_TOKENS.alexServer);
  const names = (b: Any) =>
    b.MediaContainer.Metadata?.map((m: Any) => m.title) ?? [];
  assert.ok(names(owner.body).includes("His Girl Friday"));
  assert.deepEqual(names(alex.body), ["Charade"]);
  // The owner's state is back after Alex's request.
  const again = await get("/library/onDeck", "owner-token");
  assert.deepEqual(names(again.body), names(owner.body));
  for (
    const path of [
      "/status/sessions/history/all",
      "/status/sessions",
      "/accounts",
    ]
  ) {
    assert.equal(
      (await get(path, DEMO_HOME_TOKENS.alexServer)).status,
      401,
      path,
    );
    assert.equal((await get(path, "owner-token")).status, 200, path);
  }
  assert.equal((await get("/library/onDeck", "someone-else")).status, 401);
});
