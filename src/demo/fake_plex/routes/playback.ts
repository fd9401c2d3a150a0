/**
 * Fake Plex: players on the LAN, the server's own address, transient
 * tokens, play queues and proxied player commands, as strict as real
 * servers and players are (API.md §11 and §17).
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import type { DemoItem } from "../../library.ts";
import { isSubscribed } from "./remote.ts";

/** A play queue the fake holds. */
interface Queue {
  id: number;
  items: string[];
  selected: string;
}

/** Registers the playback routes. */
export function registerPlaybackRoutes(fake: FakePlexState): void {
  const lib = fake.library;
  let nextQueue = 700;
  const queues = new Map<number, Queue>();
  const transientTokens = fake.transientTokens;

  fake.route("GET", /^\/clients$/, () =>
    fake.container({
      size: lib.clients.length,
      Server: lib.clients.map((c) => c.raw),
    }));

  // The server's view of itself: `Server[]` with its address and port
  // (plex-api-spec @ 5478700 src/paths/servers.yaml: name, host, address,
  // port, machineIdentifier, version; the same attributes as a `/clients`
  // entry). It reports the address it sees on its own interface, so a
  // server in Docker reports its bridge address (`fake.serverAddresses`).
  fake.route("GET", /^\/servers$/, () =>
    fake.container({
      size: fake.serverAddresses.length,
      Server: fake.serverAddresses.map((address) => ({
        name: lib.name,
        host: address,
        address,
        port: 32400,
        machineIdentifier: lib.machineIdentifier,
        version: lib.version,
      })),
    }));

  // API.md §17.1: `type` only `delegation`, `scope` only `all`, else 400;
  // 403 when a token could not be created (`fake.transientTokenRefusal`).
  const securityToken = (ctx: { url: URL }) => {
    if (fake.transientTokenRefusal === 403) {
      return new Response("<html><body>Forbidden</body></html>", {
        status: 403,
        headers: { "content-type": "text/html" },
      });
    }
    if (fake.transientTokenRefusal === 404) return fake.notFound();
    const q = ctx.url.searchParams;
    if (q.get("type") !== "delegation" || q.get("scope") !== "all") {
      return fake.badRequest();
    }
    const token = `transient-${crypto.randomUUID()}`;
    transientTokens.add(token);
    return fake.container({ size: 0, token });
  };
  fake.route("GET", /^\/security\/token$/, securityToken);
  fake.route("POST", /^\/security\/token$/, securityToken);

  /** Leaves (episodes, tracks, photos) at or below an item, in order. */
  const leavesOf = (item: DemoItem): string[] =>
    fake.leaves(item).map((l) => l.ratingKey);

  // API.md §17.2: `type` (video|audio|photo) and `uri`
  // (server://{machineIdentifier}/com.plexapp.plugins.library/library/metadata/{rk})
  // are required; `key` names the item to start with.
  fake.route("POST", /^\/playQueues$/, (ctx) => {
    const q = ctx.url.searchParams;
    const type = q.get("type");
    const uri = q.get("uri") ?? "";
    const m =
      /^server:\/\/([^/]+)\/com\.plexapp\.plugins\.library\/library\/metadata\/(\d+)$/
        .exec(uri);
    const item = m && m[1] === lib.machineIdentifier
      ? fake.item(m[2]!)
      : undefined;
    if (!type || !["video", "audio", "photo"].includes(type) || !item) {
      return fake.badRequest();
    }
    const items = leavesOf(item);
    const key = q.get("key");
    const start = key
      ? /^\/library\/metadata\/(\d+)$/.exec(key)?.[1]
      : items[0];
    if (!start || !items.includes(start)) return fake.badRequest();
    const id = nextQueue++;
    queues.set(id, { id, items, selected: start });
    return fake.container({
      size: items.length,
      playQueueID: id,
      playQueueSelectedItemID: id * 100 + items.indexOf(start),
      playQueueSelectedItemOffset: 0,
      playQueueSelectedMetadataItemID: start,
      playQueueShuffled: false,
      playQueueSourceURI: uri,
      playQueueTotalCount: items.length,
      playQueueVersion: 1,
      Metadata: items.map((rk, i) => ({
        ...fake.listView(lib.items.get(rk)!),
        playQueueItemID: id * 100 + i,
      })),
    });
  });

  fake.route("GET", /^\/player\/(playback|navigation)\/([A-Za-z]+)$/, (ctx) => {
    const target = ctx.req.headers.get("X-Plex-Target-Client-Identifier");
    if (!target) return fake.badRequest();
    const client = lib.clients.find((c) => c.raw.machineIdentifier === target);
    if (!client) return fake.notFound();
    const params = Object.fromEntries(ctx.url.searchParams);
    // Plex's own player answers 406 to a command without the controller's
    // X-Plex-Client-Identifier or without commandID (API.md §17.4,
    // pmp:RemoteComponent.cpp:300-305).
    if (!ctx.req.headers.get("X-Plex-Client-Identifier") || !params.commandID) {
      return new Response("", { status: 406 });
    }
    if (!client.acceptsCommands) {
      return new Response(
        "<html><body>Client is not currently accepting playback controls</body></html>",
        { status: 400, headers: { "content-type": "text/html" } },
      );
    }
    const controller = ctx.params[0]!;
    const command = ctx.params[1]!;
    const stoppedItem = client.playing;
    // Every playback command names the timeline it is for (§17.4).
    if (
      controller === "playback" &&
      !["video", "music", "photo"].includes(params.type ?? "")
    ) {
      return fake.badRequest();
    }
    // A controller that has not polled the timeline lately: 406.
    if (
      !isSubscribed(client, ctx.req.headers.get("X-Plex-Client-Identifier")!)
    ) {
      return new Response("", { status: 406 });
    }
    switch (command) {
      case "playMedia": {
        // §17.3: the play queue must exist and hold `key`; the player
        // fetches the media from the server with the transient token.
        const queueId = /^\/playQueues\/(\d+)/.exec(params.containerKey ?? "")
          ?.[1];
        const queue = queueId ? queues.get(Number(queueId)) : undefined;
        const rk = /^\/library\/metadata\/(\d+)$/.exec(params.key ?? "")?.[1];
        if (
          !queue || !rk || !queue.items.includes(rk) ||
          params.machineIdentifier !== lib.machineIdentifier ||
          !params.address || !params.port || !params.protocol
        ) {
          return fake.badRequest();
        }
        // A token the server does not know (it restarted) is refused. A
        // server that issues no transient tokens takes the command without
        // one, as python-plexapi sends it then (client.py playMedia).
        if (
          params.token
            ? !transientTokens.has(params.token)
            : fake.transientTokenRefusal === undefined
        ) {
          return new Response("", { status: 401 });
        }
        client.playing = rk;
        // Which version plays is the player's choice (its quality settings,
        // what it can play directly; `mediaIndex` when the controller names
        // one, as python-plexapi's playMedia may pass it): with several,
        // the fake's players take the last, so no tool may assume the
        // first (which a real player picks is unverified).
        const versions = (lib.items.get(rk)?.raw.Media as unknown[] | undefined)
          ?.length ?? 1;
        client.media = params.mediaIndex !== undefined
          ? Math.min(Number(params.mediaIndex) || 0, versions - 1)
          : versions - 1;
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
    client.commands.push({ command: `${controller}/${command}`, params });
    // The player reports its new state to the server, which sends
    // `playing` on its notification socket (API.md §23).
    const played = client.playing ?? stoppedItem;
    if (
      controller === "playback" && played &&
      ["playMedia", "pause", "play", "stop", "seekTo"].includes(command)
    ) {
      const session = lib.sessions.find((s) =>
        (s.Player as { machineIdentifier?: string } | undefined)
          ?.machineIdentifier === client.raw.machineIdentifier
      );
      fake.notifyPlaying({
        sessionKey: String(
          session?.sessionKey ?? 1000 + lib.clients.indexOf(client),
        ),
        ratingKey: played,
        state: client.state,
        viewOffset: client.offsetMs,
      });
    }
    return new Response('<Response code="200" status="OK"/>', {
      status: 200,
      headers: { "content-type": "text/xml" },
    });
  });
}
