/**
 * Remote control end to end, through the real stdio server against the
 * fake Plex and its players: the timeline read, volume and streams read
 * back from it, navigation keys, and capability checks that name what is
 * missing before any command is sent.
 */
import assert from "node:assert/strict";
import type { FakePlex } from "../../../src/demo/fake_plex/mod.ts";
import { connectStdio, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

function playerRequests(fake: FakePlex, from: number): string[] {
  return fake.requests.slice(from).map((r) => r.path).filter((p) =>
    p.startsWith("/player/")
  );
}

Deno.test("remote: timeline, volume, streams and navigation on a player, each read back or refused by capability", async () => {
  const { client, fake, close } = await connectStdio({
    PLEX_TOOLSETS: "playback,remote",
  });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return { r, text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const tv = "Living Room TV";
    const idle = await call("get_player_timeline", { client: tv });
    assert.equal(idle.r.isError, undefined, idle.text);
    assert.equal(idle.s.state, "stopped");
    assert.match(
      idle.text,
      /Living Room TV is not playing anything \(navigation\)/,
    );
    const none = await call("set_player_streams", {
      client: tv,
      subtitle: "off",
    });
    assert.match(
      none.text,
      /not playing anything; start it with play_media first/,
    );

    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!.ratingKey;
    const played = await call("play_media", {
      client: tv,
      ratingKey: detour,
      offset_seconds: 600,
    });
    assert.equal(played.r.isError, undefined, played.text);
    const now = await call("get_player_timeline", { client: "living room" });
    assert.deepEqual(
      {
        state: now.s.state,
        type: now.s.type,
        ratingKey: now.s.ratingKey,
        title: now.s.title,
        positionMs: now.s.positionMs,
        location: now.s.location,
      },
      {
        state: "playing",
        type: "video",
        ratingKey: detour,
        title: "Detour (1945)",
        positionMs: 600_000,
        location: "fullScreenVideo",
      },
    );
    assert.match(
      now.text,
      /is playing \[\d+\] Detour \(1945\) at 10m of 1h 8m, volume 100/,
    );

    // Volume: sent with the playing timeline's type, read back.
    let at = fake.requests.length;
    const vol = await call("set_player_volume", { client: tv, volume: 40 });
    assert.equal(vol.r.isError, undefined, vol.text);
    assert.equal(vol.s.reported, 40);
    const sent = playerRequests(fake, at);
    assert.equal(sent.length, 3, sent.join(", "));
    assert.match(
      sent[1]!,
      /^\/player\/playback\/setParameters\?volume=40&type=video&commandID=\d+$/,
    );
    // Partial names are refused for commands.
    const partial = await call("set_player_volume", {
      client: "living",
      volume: 5,
    });
    assert.match(partial.text, /No player is named exactly "living"/);

    // Streams: audio by language, subtitles off, read back from the
    // timeline; a language the item lacks is refused, nothing sent.
    const audioId = String(
      (fake.detailView(fake.library.items.get(detour)!).Media as Any)[0]
        .Part[0].Stream.find((s: Any) => s.streamType === 2).id,
    );
    at = fake.requests.length;
    const streams = await call("set_player_streams", {
      client: tv,
      audio: "eng",
      subtitle: "off",
    });
    assert.equal(streams.r.isError, undefined, streams.text);
    assert.equal(streams.s.applied, true);
    assert.equal(streams.s.audioStreamID, audioId);
    assert.equal(streams.s.subtitleStreamID, "0");
    assert.ok(
      playerRequests(fake, at).some((p) =>
        p.startsWith(
          `/player/playback/setStreams?audioStreamID=${audioId}&subtitleStreamID=0&type=video`,
        )
      ),
    );
    at = fake.requests.length;
    const french = await call("set_player_streams", {
      client: tv,
      subtitle: "fre",
    });
    assert.match(
      french.text,
      /No subtitle stream matches "fre"; the item has no subtitle streams/,
    );
    assert.ok(
      playerRequests(fake, at).every((p) => p.startsWith("/player/timeline/")),
      "only the timeline was read",
    );

    // Navigation: one command per press, each with its own commandID.
    at = fake.requests.length;
    const nav = await call("navigate_player", {
      client: tv,
      action: "down",
      times: 3,
    });
    assert.equal(nav.s.sent, 3, nav.text);
    const ids = playerRequests(fake, at).map((p) => {
      assert.match(p, /^\/player\/navigation\/moveDown\?commandID=\d+$/);
      return Number(p.split("=")[1]);
    });
    assert.equal(new Set(ids).size, 3);
    const tvClient = fake.library.clients[0]!;
    assert.equal(
      tvClient.commands.filter((c) => c.command === "navigation/moveDown")
        .length,
      3,
    );

    // Capabilities: the Kitchen iPad offers timeline and playqueues only.
    at = fake.requests.length;
    for (
      const [name, args, message] of [
        [
          "navigate_player",
          { client: "Kitchen iPad", action: "home" },
          /does not advertise "navigation", which moving through its menus needs \(it offers: timeline, playqueues\)/,
        ],
        [
          "set_player_volume",
          { client: "Kitchen iPad", volume: 10 },
          /does not advertise "playback", which setting the volume needs/,
        ],
        [
          "set_player_streams",
          { client: "Kitchen iPad", audio: "eng" },
          /does not advertise "playback", which choosing streams needs/,
        ],
      ] as const
    ) {
      const r = await call(name, args);
      assert.equal(r.r.isError, true, name);
      assert.match(r.text, message);
    }
    assert.deepEqual(playerRequests(fake, at), [], "no command was sent");
    // It advertises a timeline but does not take remote control.
    const ipad = await call("get_player_timeline", { client: "Kitchen iPad" });
    assert.match(ipad.text, /did not give its timeline \(Plex answered 400\)/);
    // A player without a timeline: the volume is sent, not read back.
    tvClient.raw.protocolCapabilities = "playback,navigation";
    const blind = await call("set_player_volume", { client: tv, volume: 70 });
    assert.equal(blind.s.reported, null);
    assert.match(blind.text, /^Sent volume 70 to Living Room TV\.$/);
    const noTimeline = await call("get_player_timeline", { client: tv });
    assert.match(noTimeline.text, /does not advertise "timeline"/);
  } finally {
    await close();
  }
});
