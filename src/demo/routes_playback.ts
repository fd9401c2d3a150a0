/**
 * Fake Plex: players on the LAN, play queues and proxied player commands.
 *
 * @module
 */
import type { FakePlex } from "./fake_plex.ts";

/** Registers the playback routes. */
export function registerPlaybackRoutes(fake: FakePlex): void {
  const lib = fake.library;
  let nextQueue = 700;

  fake.route("GET", /^\/clients$/, () =>
    fake.container({
      size: lib.clients.length,
      Server: lib.clients.map((c) => c.raw),
    }));

  fake.route("POST", /^\/playQueues$/, (ctx) => {
    const uri = ctx.url.searchParams.get("uri") ?? "";
    const m = /\/library\/metadata\/(\d+)$/.exec(uri);
    const item = m && lib.items.get(m[1]!);
    if (!item || !uri.startsWith(`server://${lib.machineIdentifier}/`)) {
      return fake.badRequest();
    }
    const id = nextQueue++;
    return fake.container({
      size: 1,
      playQueueID: id,
      playQueueSelectedItemID: id * 10,
      playQueueSelectedItemOffset: 0,
      playQueueSelectedMetadataItemID: item.ratingKey,
      playQueueShuffled: false,
      playQueueSourceURI: uri,
      playQueueTotalCount: 1,
      playQueueVersion: 1,
      Metadata: [{ ...fake.listView(item), playQueueItemID: id * 10 }],
    });
  });

  fake.route("GET", /^\/player\/(playback|navigation)\/([A-Za-z]+)$/, (ctx) => {
    const target = ctx.req.headers.get("X-Plex-Target-Client-Identifier");
    if (!target) return fake.badRequest();
    const client = lib.clients.find((c) => c.raw.machineIdentifier === target);
    if (!client) return fake.notFound();
    if (!client.acceptsCommands) {
      return new Response(
        "<html><body>Client is not currently accepting playback controls</body></html>",
        { status: 400, headers: { "content-type": "text/html" } },
      );
    }
    const command = ctx.params[1]!;
    const params = Object.fromEntries(ctx.url.searchParams);
    client.commands.push({ command: `${ctx.params[0]}/${command}`, params });
    switch (command) {
      case "playMedia": {
        const rk = /\/library\/metadata\/(\d+)/.exec(params.key ?? "")?.[1];
        if (!rk || !lib.items.has(rk)) return fake.badRequest();
        client.playing = rk;
        client.state = "playing";
        client.offsetMs = Number(params.offset ?? 0);
        break;
      }
      case "pause":
        client.state = "paused";
        break;
      case "play":
        client.state = "playing";
        break;
      case "stop":
        client.state = "stopped";
        client.playing = undefined;
        break;
      case "seekTo":
        client.offsetMs = Number(params.offset ?? 0);
        break;
    }
    return new Response('<Response code="200" status="OK"/>', {
      status: 200,
      headers: { "content-type": "text/xml" },
    });
  });
}
