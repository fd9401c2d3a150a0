/**
 * Playback on real players: a transient token for the player, the server's
 * own LAN address, a show that starts where the viewer is, and a fake that
 * refuses what real players and servers refuse (API.md §17).
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../src/demo/fake_plex.ts";
import { FAKE_LAN_ADDRESS } from "../src/demo/routes_playback.ts";
import { connectStdio, TEST_TOKEN, textOf } from "./helpers.ts";

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
    assert.match(textOf(r), new RegExp(`Playing \\[${eps[2]!.ratingKey}\\]`));
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
    const noQueue = await get(
      `/player/playback/playMedia?commandID=2&type=video&key=/library/metadata/${
        rk(fake, "Detour")
      }&containerKey=/playQueues/999&machineIdentifier=${fake.library.machineIdentifier}&address=a&port=1&protocol=http&token=x`,
      target,
    );
    assert.equal(noQueue.status, 400, "no such play queue");
    const queue = await fake.fetch(
      "http://fake:32400/playQueues?uri=/library/metadata/1000",
      {
        method: "POST",
        headers: { "X-Plex-Token": TEST_TOKEN, Accept: "application/json" },
      },
    );
    assert.equal(queue.status, 400, "no type, uri not in server:// form");
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
