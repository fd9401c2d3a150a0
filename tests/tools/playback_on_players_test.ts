/**
 * Playback on real players: a transient token for the player, the server's
 * own LAN address, a show that starts where the viewer is, and a fake that
 * refuses what real players and servers refuse (API.md §17).
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { FAKE_LAN_ADDRESS } from "../../src/demo/fake_plex/state.ts";
import {
  connectStdio,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function rk(fake: FakePlex, title: string, type?: string): string {
  for (const i of fake.library.items.values()) {
    if (i.raw.title === title && (!type || i.raw.type === type)) {
      return i.ratingKey;
    }
  }
  throw new Error(`no ${title}`);
}

Deno.test("play_media hands the player a transient token and the server's LAN address", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const movie = rk(fake, "Detour");
    const r = await client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: movie },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const cmd = fake.library.clients[0]!.commands.at(-1)!;
    assert.match(cmd.params.token!, /^transient-/);
    assert.equal(cmd.params.address, FAKE_LAN_ADDRESS);
    assert.equal(cmd.params.port, "32400");
    assert.equal(cmd.params.protocol, "http");
    assert.ok(
      fake.requests.some((q) =>
        q.path === "/security/token?type=delegation&scope=all"
      ),
    );
    assert.ok(
      !JSON.stringify(r).includes(cmd.params.token!),
      "the transient token never reaches the client",
    );
    // Reused, not asked for again on the next play.
    await client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: movie },
    });
    assert.equal(
      fake.requests.filter((q) => q.path.startsWith("/security/token")).length,
      1,
    );
  } finally {
    await close();
  }
});

Deno.test("play_media warns when the only address it has is loopback", async () => {
  // PLEX_SERVER_URL is the fake on 127.0.0.1: loopback.
  const { client, fake, close } = await connectStdio();
  try {
    // A server that does not answer /servers.
    fake.fault = "404";
    fake.faultFilter = (_m, path) => path === "/servers";
    const r = await client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: rk(fake, "Detour") },
    });
    assert.equal(r.isError, undefined, textOf(r));
    assert.match(textOf(r), /Note: PLEX_SERVER_URL points at 127\.0\.0\.1/);
    assert.match((r.structuredContent as Any).warning, /may not reach/);
  } finally {
    await close();
  }
});

Deno.test("play_media ranks the server's own addresses: LAN first, a Docker bridge last", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const play = async () => {
      const r = await client.callTool({
        name: "play_media",
        arguments: { client: "Living Room TV", ratingKey: rk(fake, "Detour") },
      });
      assert.equal(r.isError, undefined, textOf(r));
      return {
        r,
        address: fake.library.clients[0]!.commands.at(-1)!.params.address,
      };
    };
    // What a server in Docker (bridge) with more interfaces could report,
    // the bridge first.
    fake.serverAddresses = ["172.17.0.2", "10.0.0.5", "192.168.1.20"];
    assert.equal((await play()).address, "192.168.1.20");
    fake.serverAddresses = ["172.17.0.2", "10.0.0.5"];
    assert.equal((await play()).address, "10.0.0.5");
    // Only the bridge: sent, with a note that a player may not reach it.
    fake.serverAddresses = ["172.17.0.2"];
    const bridge = await play();
    assert.equal(bridge.address, "172.17.0.2");
    assert.match(
      textOf(bridge.r),
      /Note: the server reports its address as 172\.17\.0\.2.*may not reach it/,
    );
  } finally {
    await close();
  }
});

Deno.test("play_media with a path-prefixed PLEX_SERVER_URL says the player may not reach the server, and why", async () => {
  const { fake, served } = startFake();
  fake.pathPrefix = "/plex";
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: `${served.url}/plex`,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
    },
    allowNet: served.host,
  });
  try {
    const play = () =>
      s.client.callTool({
        name: "play_media",
        arguments: { client: "Living Room TV", ratingKey: rk(fake, "Detour") },
      });
    // The server knows its LAN address: players use that, no prefix needed.
    const lan = await play();
    assert.equal(lan.isError, undefined, textOf(lan));
    assert.equal((lan.structuredContent as Any).warning, undefined);
    assert.equal(
      fake.library.clients[0]!.commands.at(-1)!.params.address,
      "192.168.1.20",
    );
    // It reports none: only the URL is left, which a player cannot use.
    fake.serverAddresses = [];
    const r = await play();
    assert.equal(r.isError, undefined, textOf(r));
    assert.match(
      textOf(r),
      /Note: PLEX_SERVER_URL .*has a path prefix \(\/plex\), which players do not use.*may not reach the server/,
    );
    assert.match((r.structuredContent as Any).warning, /path prefix/);
    assert.ok(fake.requests.every((q) => q.path.startsWith("/plex/")));
  } finally {
    await s.close();
    await served.close();
  }
});

Deno.test("playing a season starts at its next unwatched episode and names it", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const show = fake.item(rk(fake, "Flash Gordon", "show"))!;
    const season = show.children[1]!;
    const eps = fake.leaves(fake.item(season)!);
    assert.ok(eps.length >= 2);
    eps[0]!.raw.viewCount = 1;
    fake.recount();
    const r = await client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: Number(season) },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const s = r.structuredContent as Any;
    assert.equal(s.ratingKey, season);
    assert.equal(s.started.ratingKey, eps[1]!.ratingKey);
    assert.equal(s.started.title.includes(String(eps[1]!.raw.title)), true);
    assert.match(
      textOf(r),
      new RegExp(
        `Sent \\[${eps[1]!.ratingKey}\\] .*${eps[1]!.raw.title}.* \\(from `,
      ),
    );
    const cmd = fake.library.clients[0]!.commands.at(-1)!;
    assert.equal(cmd.params.key, `/library/metadata/${eps[1]!.ratingKey}`);
    assert.equal(cmd.params.offset, "0");
  } finally {
    await close();
  }
});

Deno.test("an episode in progress resumes where it was left, alone or as its season", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const season = fake.item(rk(fake, "Flash Gordon", "show"))!.children[0]!;
    const eps = fake.leaves(fake.item(season)!);
    eps[0]!.raw.viewCount = 1;
    eps[1]!.raw.viewOffset = 754_000;
    fake.recount();
    for (const ratingKey of [season, eps[1]!.ratingKey]) {
      const r = await client.callTool({
        name: "play_media",
        arguments: { client: "Living Room TV", ratingKey },
      });
      assert.equal(r.isError, undefined, textOf(r));
      const s = r.structuredContent as Any;
      assert.equal(s.started.ratingKey, eps[1]!.ratingKey);
      assert.equal(s.offsetMs, 754_000);
      assert.match(textOf(r), / to Living Room TV to play from 13m/);
      const cmd = fake.library.clients[0]!.commands.at(-1)!;
      assert.equal(cmd.params.offset, "754000", ratingKey);
    }
    // A position given wins.
    const r = await client.callTool({
      name: "play_media",
      arguments: {
        client: "Living Room TV",
        ratingKey: eps[1]!.ratingKey,
        offset_seconds: 0,
      },
    });
    assert.equal(
      fake.library.clients[0]!.commands.at(-1)!.params.offset,
      "0",
      textOf(r),
    );
  } finally {
    await close();
  }
});

Deno.test("a transient token that died with a server restart is replaced once", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const args = { client: "Living Room TV", ratingKey: rk(fake, "Detour") };
    assert.equal(
      (await client.callTool({ name: "play_media", arguments: args })).isError,
      undefined,
    );
    const first = fake.library.clients[0]!.commands.at(-1)!.params.token;
    // Plex restarted: every transient token it issued is gone.
    fake.transientTokens.clear();
    const r = await client.callTool({ name: "play_media", arguments: args });
    assert.equal(r.isError, undefined, textOf(r));
    const second = fake.library.clients[0]!.commands.at(-1)!.params.token!;
    assert.notEqual(second, first);
    assert.ok(fake.transientTokens.has(second));
    assert.equal(
      fake.requests.filter((q) => q.path.startsWith("/security/token")).length,
      2,
    );
    // And the new one is cached again.
    await client.callTool({ name: "play_media", arguments: args });
    assert.equal(
      fake.requests.filter((q) => q.path.startsWith("/security/token")).length,
      2,
    );
  } finally {
    await close();
  }
});

Deno.test("a server that issues no transient token still gets the command, and the result says so", async () => {
  for (const status of [403, 404] as const) {
    const { client, fake, close } = await connectStdio();
    try {
      fake.transientTokenRefusal = status;
      const r = await client.callTool({
        name: "play_media",
        arguments: { client: "Living Room TV", ratingKey: rk(fake, "Detour") },
      });
      assert.equal(r.isError, undefined, textOf(r));
      const cmd = fake.library.clients[0]!.commands.at(-1)!;
      assert.equal(cmd.command, "playback/playMedia");
      assert.equal(cmd.params.token, undefined);
      assert.match(
        textOf(r),
        new RegExp(
          `Note: Plex would not issue a transient token \\(${status}\\)`,
        ),
      );
      assert.match((r.structuredContent as Any).warning, /transient token/);
    } finally {
      await close();
    }
  }
});

Deno.test("play_media refuses a ratingKey from Plex that is not a plain id, before sending anything", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const show = fake.item(rk(fake, "Flash Gordon", "show"))!;
    const first = fake.leaves(show)[0]!;
    first.raw.ratingKey = "1/../../playlists";
    const r = await client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: show.ratingKey },
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /not safe to use in a request/);
    assert.ok(!fake.requests.some((q) => q.method === "POST"));
    assert.equal(fake.library.clients[0]!.commands.length, 0);
  } finally {
    await close();
  }
});

Deno.test("playing a show starts at the next unwatched episode and says which", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const show = rk(fake, "Flash Gordon", "show");
    const eps = fake.leaves(fake.item(show)!);
    assert.ok(eps.length >= 3);
    // The first two episodes are watched.
    for (const e of eps.slice(0, 2)) e.raw.viewCount = 1;
    fake.recount();
    const r = await client.callTool({
      name: "play_media",
      arguments: { client: "Living Room TV", ratingKey: show },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const started = (r.structuredContent as Any).started;
    assert.equal(started.ratingKey, eps[2]!.ratingKey);
    assert.match(textOf(r), new RegExp(`Sent \\[${eps[2]!.ratingKey}\\]`));
    const cmd = fake.library.clients[0]!.commands.at(-1)!;
    assert.equal(cmd.params.key, `/library/metadata/${eps[2]!.ratingKey}`);
  } finally {
    await close();
  }
});

Deno.test("the fake refuses player commands and play queues the way real ones do", async () => {
  const { fake, close } = await connectStdio();
  try {
    const get = (path: string, headers: Record<string, string> = {}) =>
      fake.fetch(`http://fake:32400${path}`, {
        headers: {
          "X-Plex-Token": TEST_TOKEN,
          Accept: "application/json",
          ...headers,
        },
      });
    const target = {
      "X-Plex-Target-Client-Identifier": "demo-living-room-tv",
      "X-Plex-Client-Identifier": "test",
    };
    assert.equal(
      (await get("/player/playback/pause?type=video", target)).status,
      406,
      "no commandID",
    );
    assert.equal(
      (await get("/player/playback/pause?type=video&commandID=1", {
        "X-Plex-Target-Client-Identifier": "demo-living-room-tv",
      })).status,
      406,
      "no X-Plex-Client-Identifier",
    );
    assert.equal(
      (await get("/player/playback/pause?commandID=1", target)).status,
      400,
      "no type",
    );
    // A controller that has not polled the player's timeline is refused
    // (Plex Media Player: 406 for a controller it has no subscription of,
    // pmp RemoteComponent.cpp:317-324); the poll subscribes it.
    assert.equal(
      (await get("/player/playback/pause?type=video&commandID=1", target))
        .status,
      406,
      "not subscribed",
    );
    const poll = await get("/player/timeline/poll?wait=0&commandID=1", target);
    assert.equal(poll.status, 200);
    await poll.body?.cancel();
    const noQueue = await get(
      `/player/playback/playMedia?commandID=2&type=video&key=/library/metadata/${
        rk(fake, "Detour")
      }&containerKey=/playQueues/999&machineIdentifier=${fake.library.machineIdentifier}&address=a&port=1&protocol=http&token=x`,
      target,
    );
    assert.equal(noQueue.status, 400, "no such play queue");
    // Each requirement of POST /playQueues alone (API.md §17.2): with the
    // other one right, a missing or wrong `type`, or a `uri` that is not
    // server://{this machine}/com.plexapp.plugins.library/library/metadata/{rk},
    // is refused.
    const post = (query: Record<string, string>) =>
      fake.fetch(
        `http://fake:32400/playQueues?${new URLSearchParams(query)}`,
        {
          method: "POST",
          headers: { "X-Plex-Token": TEST_TOKEN, Accept: "application/json" },
        },
      );
    const movie = rk(fake, "Detour");
    const machine = fake.library.machineIdentifier;
    const uri =
      `server://${machine}/com.plexapp.plugins.library/library/metadata/${movie}`;
    assert.equal(
      (await post({ type: "video", uri })).status,
      200,
      "both right",
    );
    assert.equal((await post({ uri })).status, 400, "no type");
    assert.equal((await post({ type: "movie", uri })).status, 400, "bad type");
    for (
      const bad of [
        `/library/metadata/${movie}`,
        `server://other-machine/com.plexapp.plugins.library/library/metadata/${movie}`,
        `server://${machine}/library/metadata/${movie}`,
        `server://${machine}/com.plexapp.plugins.library/library/metadata/999999`,
      ]
    ) {
      assert.equal(
        (await post({ type: "video", uri: bad })).status,
        400,
        `uri ${bad}`,
      );
    }
    assert.equal((await post({ type: "video" })).status, 400, "no uri");
  } finally {
    await close();
  }
});

Deno.test("a show's children: seasons only and totals right, though Plex counts an All episodes directory", async () => {
  const { client, fake, close } = await connectStdio();
  try {
    const show = rk(fake, "Flash Gordon", "show");
    const seasons = fake.item(show)!.children;
    assert.equal(seasons.length, 2);
    const raw = async (query: string) =>
      (await (await fake.fetch(
        `http://fake:32400/library/metadata/${show}/children${query}`,
        { headers: { "X-Plex-Token": TEST_TOKEN, Accept: "application/json" } },
      )).json()).MediaContainer;
    // As the recording: the directory is a child, counted in size.
    const plain = await raw("");
    assert.equal(plain.Directory[0].title, "All episodes");
    assert.equal(plain.size, seasons.length + 1);
    const paged = await raw(
      "?X-Plex-Container-Start=0&X-Plex-Container-Size=1",
    );
    assert.equal(paged.totalSize, seasons.length + 1);
    assert.equal(paged.Metadata, undefined, "the directory filled the page");
    const excluded = await raw(
      "?excludeAllLeaves=1&X-Plex-Container-Start=0&X-Plex-Container-Size=1",
    );
    assert.equal(excluded.totalSize, seasons.length);
    assert.equal(excluded.Directory, undefined);

    const first = await client.callTool({
      name: "get_children",
      arguments: { ratingKey: show, limit: 1 },
    });
    const p1 = first.structuredContent as Any;
    assert.equal(p1.total, 2, textOf(first));
    assert.deepEqual(p1.items.map((i: Any) => i.ratingKey), [seasons[0]]);
    assert.equal(p1.next_offset, 1);
    const second = await client.callTool({
      name: "get_children",
      arguments: { ratingKey: show, limit: 1, offset: 1 },
    });
    const p2 = second.structuredContent as Any;
    assert.deepEqual(p2.items.map((i: Any) => i.ratingKey), [seasons[1]]);
    assert.equal(p2.next_offset, null);
    assert.doesNotMatch(textOf(first) + textOf(second), /All episodes/);
    const tools = fake.requests.filter((q) => q.path.includes("/children"))
      .slice(-2);
    assert.ok(tools.every((q) => q.path.includes("excludeAllLeaves=1")));
  } finally {
    await close();
  }
});
