/**
 * copy_playlist_to_user end to end: through the real stdio server, with
 * the fake Plex on loopback and its plex.tv served at PLEX_TV_URL. The
 * user's token comes from plex.tv's shared_servers (XML, the owner's
 * token); the copy is made with that token (the fake gives a playlist to
 * whoever's token created it, so the copy's owner proves which token was
 * used), holds the source's items in order, in batches for a long one, is
 * regular for a smart source, and is read back. A second copy asks first;
 * users without a share, the owner and unknown names are refused clearly;
 * the user's token is in no output. In process: plex.tv refusing the
 * token, a server the account does not own, and a hostile Plex.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { serveFakePlexTv } from "../../../src/demo/fake_plextv/mod.ts";
import type { DemoPlaylist } from "../../../src/demo/library.ts";
import { playlistOwner } from "../../../src/demo/fake_plex/playlist_owners.ts";
import { shareServer } from "../../../src/demo/fake_plex/shares.ts";
import { readSharedServers } from "../../../src/plextv/account.ts";
import {
  connectInMemory,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** The playlists of one account on the fake, by title. */
function playlistsOf(
  fake: FakePlex,
  account: number,
): [string, DemoPlaylist][] {
  return [...fake.library.playlists.entries()].filter(([, p]) =>
    playlistOwner(p) === account
  );
}

const RILEY = 33301;

Deno.test("copy_playlist_to_user over stdio: the user's token from shared_servers, a copy they own, read back; a second copy asks first", async () => {
  const { fake, served } = startFake();
  const tv = serveFakePlexTv(fake.plexTv);
  // Wait for the fake to share the server with its friends.
  await Promise.resolve();
  const riley = fake.plexTv.shares.find((s) => s.userID === RILEY)!;
  assert.ok(riley, "the demo's friend Riley has a share");
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
      PLEX_TOOLSETS: "playlists,curation",
      PLEX_TV_URL: tv.url,
    },
    allowNet: `${served.host},${tv.host}`,
  });
  const outputs: string[] = [];
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await s.client.callTool({ name, arguments: args });
    outputs.push(JSON.stringify(r));
    return { r, text: textOf(r), sc: r.structuredContent as Any };
  };
  const writes = (from: number) =>
    fake.requests.slice(from).filter((q) => q.method !== "GET").map((q) =>
      `${q.method} ${q.path.split("?")[0]}`
    );
  try {
    const [halloweenKey, halloween] = playlistsOf(fake, 1).find(([, p]) =>
      p.raw.title === "Halloween Night"
    )!;
    const sourceItems = halloween.entries.map((e) => e.ratingKey);
    let at = fake.requests.length;
    const tvAt = fake.plexTv.requests.length;
    const copied = await call("copy_playlist_to_user", {
      playlist: "Halloween Night",
      user: "riley",
    });
    assert.equal(copied.r.isError, undefined, copied.text);
    // plex.tv was asked for the shares with the owner's token.
    const asked = fake.plexTv.requests.slice(tvAt);
    assert.ok(
      asked.some((q) =>
        q.path ===
          `/api/servers/${fake.library.machineIdentifier}/shared_servers` &&
        q.withToken
      ),
      JSON.stringify(asked),
    );
    // One create, nothing else written; the copy is Riley's (made with
    // Riley's token), with the same items in the same order.
    assert.deepEqual(writes(at), ["POST /playlists"]);
    const post = fake.requests.slice(at).find((q) => q.method === "POST")!;
    const q = new URL(`http://x${post.path}`).searchParams;
    assert.equal(q.get("type"), "video");
    assert.equal(q.get("title"), "Halloween Night");
    assert.equal(q.get("smart"), "0");
    assert.equal(
      q.get("uri"),
      `server://${fake.library.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${
        sourceItems.join(",")
      }`,
    );
    const mine = playlistsOf(fake, RILEY);
    assert.equal(mine.length, 1);
    const [copyKey, copy] = mine[0]!;
    assert.equal(copy.raw.title, "Halloween Night");
    assert.equal(copy.raw.smart, false);
    assert.deepEqual(copy.entries.map((e) => e.ratingKey), sourceItems);
    assert.deepEqual(copied.sc, {
      source: { ratingKey: halloweenKey, title: "Halloween Night" },
      user: "Riley",
      copy: { ratingKey: copyKey, items: sourceItems.length },
      sent: sourceItems.length,
      smart: false,
    });
    assert.match(
      copied.text,
      new RegExp(
        `^Copied \\[${halloweenKey}\\] "Halloween Night" to Riley: their playlist \\[${copyKey}\\] holds 3 items\\.$`,
      ),
    );
    // The owner's playlists are as they were: the copy is not theirs.
    const list = await call("list_playlists", {});
    assert.deepEqual(
      list.sc.items.map((p: Any) => p.title),
      ["Halloween Night"],
    );

    // A second copy would make a duplicate: refused until confirmed.
    at = fake.requests.length;
    const again = await call("copy_playlist_to_user", {
      playlist: halloweenKey,
      user: "Riley",
    });
    assert.equal(again.r.isError, true);
    assert.match(
      again.text,
      /Riley already has a playlist "Halloween Night"; copying makes a second one of that title: ask the user, then call again with confirm: true\. Nothing was copied/,
    );
    assert.deepEqual(writes(at), []);
    const twice = await call("copy_playlist_to_user", {
      playlist: halloweenKey,
      user: "riley@example.com",
      confirm: true,
    });
    assert.equal(twice.r.isError, undefined, twice.text);
    assert.equal(playlistsOf(fake, RILEY).length, 2);

    // A smart playlist: copied as a regular one with its current items.
    const smart = await call("create_smart_playlist", {
      title: "Horror now",
      library: "Classic Movies",
      filter: { genre: "Horror" },
    });
    assert.equal(smart.r.isError, undefined, smart.text);
    const [, smartSource] = playlistsOf(fake, 1).find(([, p]) =>
      p.raw.title === "Horror now"
    )!;
    const now = smartSource.entries.map((e) => e.ratingKey);
    assert.ok(now.length >= 2, `${now.length} horror films`);
    const smartCopy = await call("copy_playlist_to_user", {
      playlist: "Horror now",
      user: String(RILEY),
    });
    assert.equal(smartCopy.r.isError, undefined, smartCopy.text);
    assert.equal(smartCopy.sc.smart, true);
    assert.match(
      smartCopy.text,
      /it is a regular playlist with the smart one's current items\.$/,
    );
    const [, rileysHorror] = playlistsOf(fake, RILEY).find(([, p]) =>
      p.raw.title === "Horror now"
    )!;
    assert.equal(rileysHorror.raw.smart, false);
    assert.deepEqual(rileysHorror.entries.map((e) => e.ratingKey), now);

    // A long playlist: created with the first 100 items, the rest added
    // in batches of 100, all read back.
    const movies = [...fake.library.items.values()].filter((i) =>
      i.raw.type === "movie"
    ).map((i) => i.ratingKey);
    const long = Array.from(
      { length: 250 },
      (_, i) => movies[i % movies.length]!,
    );
    const longKey = String(fake.library.nextKey++);
    fake.library.playlists.set(longKey, {
      raw: {
        ...halloween.raw,
        ratingKey: longKey,
        key: `/playlists/${longKey}/items`,
        title: "Every film, many times",
      },
      entries: long.map((ratingKey) => ({
        id: fake.library.nextPlaylistItemId++,
        ratingKey,
      })),
    });
    at = fake.requests.length;
    const big = await call("copy_playlist_to_user", {
      playlist: "Every film, many times",
      user: "Riley",
    });
    assert.equal(big.r.isError, undefined, big.text);
    assert.deepEqual(writes(at), [
      "POST /playlists",
      `PUT /playlists/${big.sc.copy.ratingKey}/items`,
      `PUT /playlists/${big.sc.copy.ratingKey}/items`,
    ]);
    assert.equal(big.sc.copy.items, 250);
    const [, rileysLong] = playlistsOf(fake, RILEY).find(([, p]) =>
      p.raw.title === "Every film, many times"
    )!;
    assert.deepEqual(rileysLong.entries.map((e) => e.ratingKey), long);

    // Refusals, each before anything is written.
    fake.plexTv.friends.push({
      id: 44401,
      uuid: "d4e5f6a7b8c9d0e1",
      title: "Jordan",
      username: "jordan",
    });
    at = fake.requests.length;
    for (
      const [user, message] of [
        [
          "Jordan",
          /^Jordan has no share of this server: Plex keeps playlists per user, and only a user the server is shared with has playlists here/,
        ],
        [
          "viewer",
          /^viewer is the server's owner: the playlist is already theirs$/,
        ],
        [
          "Zed",
          /^No user this server is shared with matches "Zed": choose "Alex" \(22201\), "Sam" \(22202\), "Riley" \(33301\)$/,
        ],
        ["rile", /No user this server is shared with matches "rile"/],
      ] as const
    ) {
      const r = await call("copy_playlist_to_user", {
        playlist: "Halloween Night",
        user,
      });
      assert.equal(r.r.isError, true, user);
      assert.match(r.text, message, r.text);
    }
    const unknown = await call("copy_playlist_to_user", {
      playlist: "Halloween",
      user: "Riley",
    });
    assert.match(unknown.text, /No playlist is named exactly "Halloween"/);
    assert.deepEqual(writes(at), []);
  } finally {
    await s.close();
    await tv.close();
    await served.close();
  }
  // The user's token for the server is a secret like the owner's.
  for (const o of [...outputs, s.stderr()]) {
    assert.ok(!o.includes(riley.accessToken), "Riley's token leaked");
    assert.ok(!o.includes(TEST_TOKEN), "the token leaked");
  }
});

Deno.test("copy_playlist_to_user: a managed Home member's share has no name, the Home gives it", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    await Promise.resolve();
    const sam = await client.callTool({
      name: "copy_playlist_to_user",
      arguments: { playlist: "Halloween Night", user: "sam" },
    });
    assert.equal(sam.isError, undefined, textOf(sam));
    assert.match(textOf(sam), / to Sam: their playlist \[\d+\] holds 3 items/);
    // Sam's server account (3) owns the copy.
    assert.equal(
      playlistsOf(fake, 3).map(([, p]) => p.raw.title).join(),
      "Halloween Night",
    );
  } finally {
    await close();
  }
});

Deno.test("the fake plex.tv's shared_servers: XML for the owner's token only, with each library's shared flag", async () => {
  const fake = new FakePlex({ token: "owner-token-1234" });
  await Promise.resolve();
  const casey = { id: 55501, title: "Casey", username: "casey" };
  const share = shareServer(fake, casey, { sections: ["1"] });
  const ask = (
    token: string | undefined,
    machine = fake.library.machineIdentifier,
  ) =>
    fake.fetch(`https://plex.tv/api/servers/${machine}/shared_servers`, {
      headers: {
        "X-Plex-Client-Identifier": "test",
        ...(token ? { "X-Plex-Token": token } : {}),
      },
    });
  const r = await ask("owner-token-1234");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type")!, /^application\/xml/);
  const xml = await r.text();
  assert.match(
    xml,
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<MediaContainer friendlyName="myPlex" identifier="com\.plexapp\.plugins\.myplex" machineIdentifier="[^"]+" size="4">/,
  );
  const shares = readSharedServers(xml);
  assert.deepEqual(shares.map((s) => s.userID), [
    "22201",
    "22202",
    "33301",
    "55501",
  ]);
  const theirs = shares.find((s) => s.userID === "55501")!;
  assert.equal(theirs.accessToken, share.accessToken);
  assert.deepEqual(
    theirs.sections.map((x) => [x.key, x.shared]),
    [...fake.library.sections.keys()].map((k) => [String(k), k === 1]),
  );
  // A managed member: no user name or email.
  const sam = shares.find((s) => s.userID === "22202")!;
  assert.equal(sam.username, undefined);
  assert.equal(sam.email, undefined);
  // Another token (a Home member's, a share's) or none: refused; a server
  // the account does not own: 404.
  for (const token of [share.accessToken, "demo-tv-alex-4f1c2d9e", undefined]) {
    const no = await ask(token);
    assert.equal(no.status, 401, String(token));
    await no.body?.cancel();
  }
  const elsewhere = await ask("owner-token-1234", "not-this-server");
  assert.equal(elsewhere.status, 404);
  await elsewhere.body?.cancel();
  // And the fake Plex takes the share's token as Casey's.
  const mine = await fake.fetch("http://x:32400/playlists", {
    headers: { "X-Plex-Token": share.accessToken, Accept: "application/json" },
  });
  assert.equal(mine.status, 200);
  assert.deepEqual((await mine.json()).MediaContainer.size, 0);
  // The owner's playlists are not Casey's to read or change: Plex answers
  // "404 not found or no permission" (playlist_owners.ts).
  const [ownersKey] = playlistsOf(fake, 1)[0]!;
  const machine = fake.library.machineIdentifier;
  for (
    const [method, path] of [
      ["GET", `/playlists/${ownersKey}`],
      ["GET", `/playlists/${ownersKey}/items`],
      [
        "PUT",
        `/playlists/${ownersKey}/items?uri=${
          encodeURIComponent(
            `server://${machine}/com.plexapp.plugins.library/library/metadata/1000`,
          )
        }`,
      ],
      ["DELETE", `/playlists/${ownersKey}`],
    ]
  ) {
    const no = await fake.fetch(`http://x:32400${path}`, {
      method,
      headers: {
        "X-Plex-Token": share.accessToken,
        Accept: "application/json",
      },
    });
    assert.equal(no.status, 404, `${method} ${path}`);
    await no.body?.cancel();
  }
  assert.ok(fake.library.playlists.has(ownersKey), "still the owner's");
  const logs = await fake.fetch("http://x:32400/diagnostics/logs", {
    headers: { "X-Plex-Token": share.accessToken },
  });
  assert.equal(logs.status, 401, "the owner's endpoints are not theirs");
  await logs.body?.cancel();
});

Deno.test("copy_playlist_to_user: plex.tv refusing the token, a server the account does not own, a hostile Plex", async () => {
  // The configured plex.tv token is not an account's (a server's shared
  // token): plex.tv answers 401, and nothing is written.
  const other = await connectInMemory({}, {}, () => {}, {
    accountToken: "shared-server-token-99",
  });
  try {
    const at = other.fake.requests.length;
    const r = await other.client.callTool({
      name: "copy_playlist_to_user",
      arguments: { playlist: "Halloween Night", user: "Riley" },
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      /plex\.tv did not accept this token for GET \/api\/servers\/[^/]+\/shared_servers \(401\): listing the server's shares needs the token of a plex\.tv account/,
    );
    assert.deepEqual(
      other.fake.requests.slice(at).filter((q) => q.method !== "GET"),
      [],
    );
  } finally {
    await other.close();
  }

  const { client, fake, close } = await connectInMemory();
  try {
    await Promise.resolve();
    fake.plexTv.servers[0]!.owned = false;
    const r = await client.callTool({
      name: "copy_playlist_to_user",
      arguments: { playlist: "Halloween Night", user: "Riley" },
    });
    assert.match(
      textOf(r),
      /plex\.tv did not list who this server is shared with \(404 for GET \/api\/servers\/[^/]+\/shared_servers\): only its owner's account may, so PLEX_TOKEN must be the owner's/,
    );
    fake.plexTv.servers[0]!.owned = true;

    // plex.tv answers something that is not its XML.
    const handle = fake.plexTv.handle.bind(fake.plexTv);
    fake.plexTv.handle = () =>
      new Response("<html>Sign in</html>", {
        headers: { "content-type": "text/html" },
      });
    const page = await client.callTool({
      name: "copy_playlist_to_user",
      arguments: { playlist: "Halloween Night", user: "Riley" },
    });
    assert.match(
      textOf(page),
      /plex\.tv answered GET \/api\/servers\/[^/]+\/shared_servers with something that is not its XML list of shares/,
    );
    fake.plexTv.handle = handle;

    // Every string of Plex's answers carries the owner's token: the copy is
    // made (by ratingKey) and nothing quotes a token.
    fake.echoToken = true;
    const key = [...fake.library.playlists.keys()][0]!;
    const echoed = await client.callTool({
      name: "copy_playlist_to_user",
      arguments: { playlist: key, user: "Riley", confirm: true },
    });
    fake.echoToken = false;
    const all = JSON.stringify(echoed);
    assert.equal(echoed.isError, undefined, textOf(echoed));
    assert.ok(!all.includes("demo-token"), all.slice(0, 300));
    assert.match(all, /\[REDACTED\]/);
    const share = fake.plexTv.shares.find((s) => s.userID === RILEY)!;
    assert.ok(!all.includes(share.accessToken));
  } finally {
    await close();
  }
});

Deno.test("copy_playlist_to_user: read-only mode does not offer it", async () => {
  const { client, close } = await connectInMemory({ readOnly: true });
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(!names.includes("copy_playlist_to_user"));
    assert.ok(names.includes("list_playlists"));
  } finally {
    await close();
  }
});
