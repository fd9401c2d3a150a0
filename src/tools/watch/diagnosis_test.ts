import assert from "node:assert/strict";
import type { PlaybackSession } from "../../plex/watch.ts";
import { diagnose } from "./diagnosis.ts";

function session(change: Partial<PlaybackSession> = {}): PlaybackSession {
  return {
    sessionKey: "1",
    ratingKey: "2",
    title: "Film",
    user: "Sam",
    player: {
      title: "TV",
      product: "Plex for LG",
      platform: "webOS",
      state: "playing",
      local: true,
      relayed: false,
    },
    location: "lan",
    bandwidthKbps: 8000,
    media: {
      videoResolution: "1080",
      videoCodec: "h264",
      audioCodec: "aac",
      bitrate: 8000,
      container: "mkv",
    },
    partDecision: "directplay",
    streams: [],
    transcode: undefined,
    ...change,
  };
}

const transcode = (
  t: Partial<NonNullable<PlaybackSession["transcode"]>>,
): NonNullable<PlaybackSession["transcode"]> => ({
  videoDecision: undefined,
  audioDecision: undefined,
  subtitleDecision: undefined,
  sourceVideoCodec: undefined,
  sourceAudioCodec: undefined,
  videoCodec: undefined,
  audioCodec: undefined,
  width: undefined,
  height: undefined,
  speed: undefined,
  throttled: undefined,
  hwRequested: undefined,
  hwDecoding: undefined,
  hwEncoding: undefined,
  ...t,
});

Deno.test("diagnose(): direct play on a LAN needs no fix", () => {
  const d = diagnose(session(), undefined, 10);
  assert.equal(d.playback, "direct play");
  assert.equal(d.fixes.length, 0);
  assert.match(d.reasons[0]!, /Direct play/);
});

Deno.test("diagnose(): direct stream, a codec the player cannot decode, audio conversion", () => {
  assert.equal(
    diagnose(
      session({
        transcode: transcode({ videoDecision: "copy", audioDecision: "copy" }),
      }),
      undefined,
      undefined,
    ).playback,
    "direct stream",
  );
  const d = diagnose(
    session({
      transcode: transcode({
        videoDecision: "transcode",
        audioDecision: "transcode",
        sourceVideoCodec: "hevc",
        videoCodec: "h264",
        sourceAudioCodec: "truehd",
        audioCodec: "aac",
        throttled: true,
      }),
    }),
    undefined,
    undefined,
  );
  assert.equal(d.playback, "transcode");
  const words = d.reasons.join(" ");
  assert.match(
    words,
    /converted from hevc to h264: the player \(Plex for LG\) cannot decode hevc/,
  );
  assert.match(words, /Audio is converted from truehd to aac/);
  assert.match(words, /throttled: .* not the cause/);
  assert.ok(d.fixes.some((f) => /optimized version/.test(f)));
});

Deno.test("diagnose(): the relay, a busy CPU, a buffering player", () => {
  const d = diagnose(
    session({
      player: {
        title: "Phone",
        product: "Plex for iOS",
        platform: "iOS",
        state: "buffering",
        local: false,
        relayed: true,
      },
      location: "cellular",
      transcode: transcode({ videoDecision: "transcode", speed: 1.4 }),
    }),
    {
      id: "1",
      duration: 1,
      bitrate: 20_000,
      width: 3840,
      height: 2160,
      videoResolution: "4k",
      videoCodec: "hevc",
      audioCodec: "eac3",
      audioChannels: 6,
      container: "mkv",
      parts: [],
    },
    93,
  );
  assert.match(d.reasons[0]!, /buffering now/);
  const words = d.reasons.join(" ");
  assert.match(words, /Plex Relay, which caps the stream at about 2 Mbps/);
  assert.match(words, /CPU is at 93%/);
  assert.match(words, /keeps up \(1\.4× real time\)/);
  assert.ok(d.fixes.some((f) => /Remote Access: forward the port/.test(f)));
  assert.ok(!words.includes("remote (cellular)"), "relay said instead");
});
