/**
 * Fake Plex: a player's timeline (`/player/timeline/poll` through the
 * server), as Plex's own player answers it (API.md §17.5,
 * pmp:src/remote/RemoteComponent.cpp and RemoteSubscriber.cpp): XML, three
 * `Timeline` elements (music, video, photo), the idle ones `stopped`.
 *
 * What the player does with `setParameters` and `setStreams` is read from
 * the commands the playback routes recorded: a volume it took, and a
 * stream only when the item being played has it (an unknown stream id
 * changes nothing, so a tool must read the timeline back to know).
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import type { DemoClient } from "../../library.ts";

const TIMELINE_TYPE: Record<string, string> = {
  movie: "video",
  episode: "video",
  clip: "video",
  track: "music",
  photo: "photo",
};

function xmlAttr(value: string | number): string {
  return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;")
    .replace(/</g, "&lt;");
}

/** The last value of `param` the player took through `command`. */
function lastParam(
  client: DemoClient,
  command: string,
  param: string,
  accept: (v: string) => boolean = () => true,
): string | undefined {
  for (let i = client.commands.length - 1; i >= 0; i--) {
    const c = client.commands[i]!;
    const v = c.params[param];
    if (c.command === command && v !== undefined && accept(v)) return v;
  }
  return undefined;
}

/**
 * How long a player keeps a controller that stopped polling its timeline:
 * Plex Media Player drops subscribers older than 90 s
 * (pmp:src/remote/RemoteComponent.cpp:510).
 */
export const FAKE_SUBSCRIPTION_MS = 90_000;

const subscribers = new WeakMap<DemoClient, Map<string, number>>();

/**
 * The controllers subscribed to a player (their `X-Plex-Client-Identifier`
 * → when they last polled its timeline); tests may age or clear them.
 */
export function playerSubscribers(client: DemoClient): Map<string, number> {
  let map = subscribers.get(client);
  if (!map) subscribers.set(client, map = new Map());
  return map;
}

/**
 * Whether `controller` may command `client`: a player that gives a
 * timeline answers 406 to a controller that has not polled it in the last
 * 90 s, as Plex Media Player and Plex HTPC do (pmp RemoteComponent.cpp:
 * 317-324: not in its subscriber map; a timeline poll subscribes,
 * :268-293). Whether other Plex apps enforce it is unverified (API.md
 * §17.4); the fake's players all do.
 */
export function isSubscribed(client: DemoClient, controller: string): boolean {
  const caps = String(client.raw.protocolCapabilities ?? "").split(",");
  if (!caps.includes("timeline")) return true;
  const at = playerSubscribers(client).get(controller);
  return at !== undefined && Date.now() - at <= FAKE_SUBSCRIPTION_MS;
}

/** Registers the remote-control routes. */
export function registerRemoteRoutes(fake: FakePlexState): void {
  const lib = fake.library;

  fake.route("GET", /^\/player\/timeline\/poll$/, (ctx) => {
    const target = ctx.req.headers.get("X-Plex-Target-Client-Identifier");
    if (!target) return fake.badRequest();
    const client = lib.clients.find((c) => c.raw.machineIdentifier === target);
    if (!client) return fake.notFound();
    const q = ctx.url.searchParams;
    // Plex's player: no controller id or no commandID → 406 (pmp
    // RemoteComponent.cpp:300-305); `wait` is 0 or 1 (§17.5).
    if (
      !ctx.req.headers.get("X-Plex-Client-Identifier") || !q.get("commandID")
    ) {
      return new Response("", { status: 406 });
    }
    if (!["0", "1", null].includes(q.get("wait"))) return fake.badRequest();
    const caps = String(client.raw.protocolCapabilities ?? "").split(",");
    if (!client.acceptsCommands || !caps.includes("timeline")) {
      return new Response(
        "<html><body>Client does not provide a timeline</body></html>",
        { status: 400, headers: { "content-type": "text/html" } },
      );
    }
    // The poll subscribes its controller (pmp RemoteComponent.cpp:268).
    playerSubscribers(client).set(
      ctx.req.headers.get("X-Plex-Client-Identifier")!,
      Date.now(),
    );
    const item = client.playing ? lib.items.get(client.playing) : undefined;
    const playingType = item
      ? TIMELINE_TYPE[String(item.raw.type)] ?? "video"
      : undefined;
    // The streams of the version it plays: ids of another version's are
    // unknown to it (a stream id belongs to one part).
    const detail = item ? fake.detailView(item) : undefined;
    type Stream = { id: number; streamType: number; selected?: boolean };
    const media =
      ((detail?.Media as { Part?: { Stream?: Stream[] }[] }[]) ?? [])[
        client.media ?? 0
      ];
    const streams = (media?.Part ?? []).flatMap((p) => p.Stream ?? []);
    const ids = new Set(streams.map((s) => String(s.id)));
    const selected = (type: number) =>
      streams.find((s) => s.streamType === type && s.selected) ??
        streams.find((s) => s.streamType === type);
    const volume = lastParam(
      client,
      "playback/setParameters",
      "volume",
      (v) => /^\d+$/.test(v) && Number(v) <= 100,
    ) ?? "100";
    // A timeline names the streams in use (python-plexapi reads
    // audioStreamId, videoStreamId; client.py:603): the video stream of
    // the version playing, and an audio stream once one was chosen.
    const audio = lastParam(
      client,
      "playback/setStreams",
      "audioStreamID",
      (v) => ids.has(v),
    );
    const video = selected(1) ? String(selected(1)!.id) : undefined;
    const subtitle = lastParam(
      client,
      "playback/setStreams",
      "subtitleStreamID",
      (v) => v === "0" || ids.has(v),
    );
    const lines = ["music", "video", "photo"].map((type) => {
      if (type !== playingType || client.state === "stopped") {
        return `<Timeline type="${type}" state="stopped"/>`;
      }
      const attrs: Record<string, string | number> = {
        type,
        state: client.state,
        ratingKey: item!.ratingKey,
        key: `/library/metadata/${item!.ratingKey}`,
        time: client.offsetMs,
        duration: Number(item!.raw.duration ?? 0),
        volume,
        controllable:
          "playPause,stop,volume,seekTo,skipPrevious,skipNext,stepBack,stepForward,subtitleStream,audioStream",
        machineIdentifier: lib.machineIdentifier,
        protocol: "http",
        address: "192.168.1.20",
        port: 32400,
        ...(video ? { videoStreamID: video } : {}),
        ...(audio ? { audioStreamID: audio } : {}),
        ...(subtitle ? { subtitleStreamID: subtitle } : {}),
      };
      return `<Timeline ${
        Object.entries(attrs).map(([k, v]) => `${k}="${xmlAttr(v)}"`).join(" ")
      }/>`;
    });
    const location = playingType === "video" && client.state !== "stopped"
      ? "fullScreenVideo"
      : "navigation";
    return new Response(
      `<MediaContainer location="${location}" commandID="${
        xmlAttr(q.get("commandID")!)
      }" size="3">\n${lines.join("\n")}\n</MediaContainer>\n`,
      { status: 200, headers: { "content-type": "text/xml" } },
    );
  });
}
