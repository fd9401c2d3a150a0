/**
 * The tools that talk to plex.tv (the watchlist, Plex Home users), end to
 * end: over stdio in demo mode, the watchlist marks what the libraries have
 * and the writes change it (per user too), read-only mode hides the writes;
 * in process against a loopback fake plex.tv at a configured address,
 * requests go there only, with the account's token; and they get the
 * catalogue-wide checks the other opt-in tools get in
 * tests/tools/opt_in_toolsets_test.ts: every fault of the fake Plex fails each
 * specifically and recovers, a hostile plex.tv leaks no token, a redirect
 * is refused, a server's shared token is told apart from an account's.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { serveFakePlexTv } from "../../../src/demo/fake_plextv/mod.ts";
import type { FetchLike } from "../../../src/plex/client.ts";
import {
  connectInMemory,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../../support/helpers.ts";
import { runFaultMatrix } from "../../support/fault_matrix.ts";
import { PLEX_TV_TOOLS } from "../../support/tool_args.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function key(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(title);
}

Deno.test("the watchlist over stdio (demo): where each title is, adding and removing, per user, read-only", async () => {
  const s = await spawnServer({
    env: { DEV_MOCK_MODE: "true", PLEX_TOOLSETS: "insights,library" },
  });
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    await s.client.callTool({ name, arguments: args });
  try {
    const list = await call("get_watchlist");
    assert.equal(list.isError, undefined, textOf(list));
    const items = (list.structuredContent as Any).items;
    assert.deepEqual(items.map((i: Any) => i.title), [
      "Metropolis",
      "Charade",
      "The Lone Ranger",
    ]);
    const charade = items[1];
    assert.deepEqual(charade.inLibrary, [{
      ratingKey: charade.ratingKey,
      library: "Classic Movies",
    }]);
    assert.deepEqual(items[0].inLibrary, []);
    assert.match(
      textOf(list),
      /Metropolis \(1927\) · movie · .*not in a library here/,
    );
    assert.match(
      textOf(list),
      /Charade \(1963\) · movie · .*in Classic Movies \[\d+\]/,
    );

    // An episode stands for its show; a title plex.tv knows, by search.
    const shows = await call("search_media", { query: "Flash Gordon" });
    const episode = (shows.structuredContent as Any).items.find((i: Any) =>
      i.type === "show"
    );
    const children = await call("get_children", {
      ratingKey: episode.ratingKey,
    });
    const season = (children.structuredContent as Any).items[0].ratingKey;
    const added = await call("add_to_watchlist", { ratingKey: season });
    assert.equal(added.isError, undefined, textOf(added));
    assert.match(textOf(added), /^Put Flash Gordon \(\d+\) on the watchlist/);
    const again = await call("add_to_watchlist", { ratingKey: season });
    assert.match(textOf(again), /already on the watchlist; nothing changed/);
    assert.equal((again.structuredContent as Any).changed, false);
    const nanook = await call("add_to_watchlist", {
      title: "Nanook of the North",
    });
    assert.equal((nanook.structuredContent as Any).onWatchlist, true);
    const vague = await call("add_to_watchlist", { title: "Sherlock" });
    assert.match(
      textOf(vague),
      /No title on plex\.tv is called exactly "Sherlock"; close: Sherlock Jr\. \(1924\), movie; Sherlock Holmes \(\d+\), show/,
    );
    const gone = await call("remove_from_watchlist", { id: items[0].id });
    assert.match(textOf(gone), /^Took Metropolis \(1927\) off the watchlist/);
    const after = (await call("get_watchlist", { type: "movie" }))
      .structuredContent as Any;
    assert.deepEqual(after.items.map((i: Any) => i.title).sort(), [
      "Charade",
      "Nanook of the North",
    ]);
    const notOn = await call("remove_from_watchlist", { id: items[0].id });
    assert.match(
      textOf(notOn),
      /Nothing with id .* is on the watchlist; nothing changed/,
    );

    // Alex has a watchlist of their own.
    const alex = await call("get_watchlist", { user: "Alex" });
    assert.deepEqual(
      (alex.structuredContent as Any).items.map((i: Any) => i.title),
      ["Nosferatu"],
    );
    assert.match(textOf(alex), /^Viewer: Alex\n/);

    const people = await call("list_home_users");
    assert.deepEqual(
      (people.structuredContent as Any).users.map((
        u: Any,
      ) => [u.name, u.protected, u.accountId]),
      [["viewer", false, "1"], ["Alex", false, "2"], ["Sam", true, "3"]],
    );
    assert.deepEqual(
      (people.structuredContent as Any).friends.map((f: Any) => f.name),
      ["Riley"],
    );
  } finally {
    await s.close();
  }

  const ro = await spawnServer({
    env: {
      DEV_MOCK_MODE: "true",
      PLEX_TOOLSETS: "insights",
      PLEX_READ_ONLY: "true",
    },
  });
  try {
    const names = (await ro.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes("get_watchlist"));
    assert.ok(!names.includes("add_to_watchlist"));
    assert.ok(!names.includes("remove_from_watchlist"));
  } finally {
    await ro.close();
  }
});

Deno.test("plex.tv at a configured address: only it is asked, with the account's token; a shared token is told apart", async () => {
  const fake = new FakePlex({ token: "acct-token-1234" });
  const tv = fake.plexTv;
  const served = serveFakePlexTv(tv);
  // Plex in process; plex.tv (and Discover) on loopback, at the address
  // the client is given.
  const asked: string[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(served.url)) {
      asked.push(url);
      return globalThis.fetch(input, init);
    }
    if (!url.startsWith("http://fake:32400")) {
      throw new Error(`request to ${url}`);
    }
    return fake.fetch(input, init);
  };
  const { client, close } = await connectInMemory({}, {}, () => {}, {
    token: "acct-token-1234",
    fetch,
    plexTvUrl: served.url,
    discoverUrl: served.url,
  });
  try {
    const r = await client.callTool({ name: "get_watchlist", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    assert.ok(asked.some((u) => u.includes("/library/sections/watchlist/all")));
    const home = await client.callTool({
      name: "get_on_deck",
      arguments: { user: "Alex" },
    });
    assert.equal(home.isError, undefined, textOf(home));
    assert.ok(
      asked.some((u) => /\/api\/v2\/home\/users\/[^/]+\/switch$/.test(u)),
    );
    assert.ok(tv.requests.every((q) => q.withToken));
  } finally {
    await close();
  }

  // A server's own shared token is not a plex.tv account's.
  const shared = await connectInMemory({}, {}, () => {}, {
    token: "acct-token-1234",
    accountToken: "shared-server-token-99",
    fetch,
    plexTvUrl: served.url,
    discoverUrl: served.url,
  });
  try {
    const r = await shared.client.callTool({
      name: "get_watchlist",
      arguments: {},
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      /plex\.tv did not accept this token .* \(401\): the watchlist needs the token of a plex\.tv account/,
    );
  } finally {
    await shared.close();
    await served.close();
  }
});

Deno.test("a hostile plex.tv: tokens in its titles are redacted, its redirects are not followed, its failures are named", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    const owner = "demo-token"; // connectInMemory's token
    const metropolis = fake.plexTv.catalog.find((c) =>
      c.title === "Metropolis"
    )!;
    metropolis.title = `Metropolis ${owner} X-Plex-Token=${owner}`;
    const r = await client.callTool({ name: "get_watchlist", arguments: {} });
    const all = JSON.stringify(r);
    assert.ok(!all.includes(owner), all.slice(0, 300));
    assert.match(all, /Metropolis \[REDACTED\]/);

    const handle = fake.plexTv.handle.bind(fake.plexTv);
    fake.plexTv.handle = () =>
      new Response(null, {
        status: 302,
        headers: { location: "https://evil.example/collect" },
      });
    const moved = await client.callTool({
      name: "get_watchlist",
      arguments: {},
    });
    assert.match(
      textOf(moved),
      /plex\.tv Discover redirected GET .* to evil\.example; not followed/,
    );
    fake.plexTv.handle = () =>
      new Response("<html>oops</html>", { status: 500 });
    const broken = await client.callTool({
      name: "add_to_watchlist",
      arguments: { ratingKey: key(fake, "Detour") },
    });
    assert.match(textOf(broken), /plex\.tv answered 500 for GET /);
    fake.plexTv.handle = handle;
    const legacy = fake.library.items.get(key(fake, "Detour"))!;
    legacy.raw.guid = "com.plexapp.agents.imdb://tt0037638?lang=en";
    const old = await client.callTool({
      name: "add_to_watchlist",
      arguments: { ratingKey: legacy.ratingKey },
    });
    assert.match(
      textOf(old),
      /Detour \(1945\) has no plex\.tv id \(it was matched by a legacy agent/,
    );
  } finally {
    await close();
  }
});

Deno.test("fault matrix, plex.tv tools: every tool × every fault of Plex fails specifically, then recovers", async () => {
  const run = await runFaultMatrix(PLEX_TV_TOOLS);
  assert.deepEqual(run.failures, []);
  assert.equal(run.passed, run.cases);
});

Deno.test("PLEX_TV_URL and PLEX_DISCOVER_URL point the real server's watchlist and Plex Home at them", async () => {
  const { fake, served } = startFake();
  const tv = serveFakePlexTv(fake.plexTv);
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_TOOLSETS: "default,insights",
      PLEX_TV_URL: tv.url,
      PLEX_DISCOVER_URL: tv.url,
    },
    allowNet: `${served.host},${tv.host}`,
  });
  try {
    const before = fake.plexTv.requests.length;
    const r = await s.client.callTool({ name: "get_watchlist", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    assert.ok(
      fake.plexTv.requests.slice(before).some((q) =>
        q.path.includes("/library/sections/watchlist/all")
      ),
      "the watchlist came from the configured address",
    );
    // Paged like every list: each page asks plex.tv for that page only,
    // the last has next_offset null, every entry comes once.
    const total = (r.structuredContent as Any).total;
    assert.ok(total >= 3, `${total} entries: ${textOf(r)}`);
    const seen: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const at = fake.plexTv.requests.length;
      const page = await s.client.callTool({
        name: "get_watchlist",
        arguments: { offset, limit: 2 },
      });
      const sc = page.structuredContent as Any;
      const asked = fake.plexTv.requests.slice(at).filter((q) =>
        q.path.includes("/library/sections/watchlist/")
      );
      assert.equal(asked.length, 1, "one watchlist request per page");
      // Paged as python-plexapi pages Discover: headers (base.py:278).
      assert.deepEqual(asked[0]!.pagingHeaders, {
        start: String(offset),
        size: "2",
      });
      assert.doesNotMatch(asked[0]!.path, /X-Plex-Container/);
      seen.push(...sc.items.map((i: Any) => i.id));
      assert.equal(sc.total, total);
      offset = sc.next_offset;
      assert.ok(seen.length <= total);
    }
    assert.equal(new Set(seen).size, total, "every entry once");
  } finally {
    await s.close();
    await tv.close();
    await served.close();
  }
});
