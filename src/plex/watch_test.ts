import assert from "node:assert/strict";
import {
  foundSubtitlesSchema,
  itemSubtitlesSchema,
  itemWithMarkersSchema,
  type PlaybackSession,
  playbackSessionsSchema,
  summarizeMarkers,
} from "./watch.ts";

function parse<T>(
  schema: { safeParse(d: unknown): { success: boolean; data?: T } },
  data: unknown,
): T {
  const r = schema.safeParse(data);
  assert.ok(r.success);
  return r.data as T;
}

Deno.test("itemWithMarkersSchema reads Marker[] tolerantly and drops broken ones", () => {
  const c = parse(itemWithMarkersSchema, {
    MediaContainer: {
      librarySectionTitle: "TV",
      Metadata: [{
        ratingKey: "7",
        type: "episode",
        title: "Pilot",
        duration: 1_500_000,
        Marker: [
          {
            type: "credits",
            startTimeOffset: "1440000",
            endTimeOffset: 1_500_000,
            final: "1",
          },
          { type: "intro", startTimeOffset: 30_000, endTimeOffset: 90_000 },
          { type: "intro", startTimeOffset: 10 },
          { type: "intro", startTimeOffset: 50, endTimeOffset: 10 },
          "junk",
        ],
      }],
    },
  });
  assert.equal(c.item?.ratingKey, "7");
  assert.deepEqual(c.markers.map((m) => [m.type, m.startMs, m.final]), [
    ["intro", 30_000, false],
    ["credits", 1_440_000, true],
  ]);
  assert.equal(itemWithMarkersSchema.safeParse({}).success, false);
});

Deno.test("summarizeMarkers(): credits to the end, something after them, or unknown", () => {
  const credits = (start: number, end: number, final = false) => ({
    type: "credits",
    startMs: start,
    endMs: end,
    final,
  });
  assert.equal(summarizeMarkers([credits(100, 198)], 200).creditsToEnd, true);
  assert.equal(
    summarizeMarkers([credits(100, 150_000)], 400_000).creditsToEnd,
    false,
  );
  // The final flag wins over a later, non-final marker.
  const s = summarizeMarkers([
    credits(100_000, 400_000, true),
    credits(500_000, 510_000),
  ], 600_000);
  assert.equal(s.creditsStartMs, 100_000);
  assert.equal(s.creditsToEnd, false);
  assert.equal(summarizeMarkers([], 100).creditsToEnd, undefined);
  assert.equal(
    summarizeMarkers([credits(1, 2)], undefined).creditsToEnd,
    undefined,
  );
});

Deno.test("itemSubtitlesSchema and foundSubtitlesSchema read subtitle streams and results", () => {
  const item = parse(itemSubtitlesSchema, {
    MediaContainer: {
      Metadata: [{
        type: "movie",
        title: "X",
        Media: [{
          Part: [{
            id: 5,
            Stream: [
              { id: 1, streamType: 1 },
              {
                id: 2,
                streamType: 3,
                language: "English",
                selected: true,
                key: "/library/streams/2",
                hearingImpaired: "1",
              },
            ],
          }, { Stream: [] }],
        }],
      }],
    },
  });
  assert.equal(item.parts.length, 1);
  assert.deepEqual(
    item.parts[0]!.streams.map((
      s,
    ) => [s.id, s.selected, s.external, s.hearingImpaired]),
    [["2", true, true, true]],
  );
  const found = parse(foundSubtitlesSchema, {
    MediaContainer: {
      Stream: [{ key: "/k/1", score: "5", perfectMatch: 1 }, {
        title: "no key",
      }],
    },
  });
  assert.deepEqual(found.map((f) => [f.key, f.score, f.perfectMatch]), [[
    "/k/1",
    5,
    true,
  ]]);
  assert.deepEqual(
    parse(foundSubtitlesSchema, { MediaContainer: { size: 0 } }),
    [],
  );
});

Deno.test("playbackSessionsSchema reads the selected rendition, its decisions and the transcode", () => {
  const [s] = parse<PlaybackSession[]>(playbackSessionsSchema, {
    MediaContainer: {
      Metadata: [{
        sessionKey: 3,
        ratingKey: "9",
        type: "episode",
        title: "Pilot",
        grandparentTitle: "Show",
        parentIndex: 1,
        index: 2,
        User: { title: "Sam" },
        Player: { title: "TV", local: "0", relayed: "1", state: "buffering" },
        Session: { location: "wan", bandwidth: "900" },
        Media: [
          { videoResolution: "1080" },
          {
            selected: true,
            videoResolution: "720",
            Part: [{
              decision: "transcode",
              Stream: [{ streamType: 3, codec: "pgs", decision: "burn" }],
            }],
          },
        ],
        TranscodeSession: {
          videoDecision: "transcode",
          speed: "0.5",
          throttled: "0",
        },
      }],
    },
  });
  assert.ok(s);
  assert.equal(s.title, "Show S01E02 Pilot");
  assert.equal(s.sessionKey, "3");
  assert.equal(s.media.videoResolution, "720");
  assert.equal(s.player.relayed, true);
  assert.equal(s.player.local, false);
  assert.equal(s.bandwidthKbps, 900);
  assert.equal(s.streams[0]!.decision, "burn");
  assert.equal(s.transcode?.speed, 0.5);
  assert.equal(s.transcode?.throttled, false);
});
