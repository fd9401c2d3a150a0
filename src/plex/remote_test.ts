import assert from "node:assert/strict";
import { readTimeline } from "./remote.ts";

Deno.test("readTimeline() reads Plex's XML: the three timelines, entities decoded", () => {
  const t = readTimeline(
    `<MediaContainer location="fullScreenVideo" commandID="7">
<Timeline type="music" state="stopped"/>
<Timeline type="video" state="paused" time="61000" duration="5400000" ratingKey="1003" volume="40" audioStreamId="11" controllable="playPause,volume" title="Tom &amp; Jerry"/>
<Timeline type="photo" state="stopped" />
</MediaContainer>`,
  )!;
  assert.equal(t.location, "fullScreenVideo");
  assert.deepEqual(t.timelines.map((x) => x.state), [
    "stopped",
    "paused",
    "stopped",
  ]);
  const v = t.timelines[1]!;
  assert.equal(v.time, 61000);
  assert.equal(v.ratingKey, "1003");
  assert.equal(v.volume, 40);
  assert.equal(v.audioStreamID, "11");
  assert.deepEqual(v.controllable, ["playPause", "volume"]);
});

Deno.test("readTimeline() reads JSON too, and refuses what is neither", () => {
  const t = readTimeline(
    JSON.stringify({
      MediaContainer: {
        Timeline: { type: "music", state: "playing", time: 5 },
      },
    }),
  )!;
  assert.equal(t.timelines[0]!.state, "playing");
  assert.equal(readTimeline("OK"), undefined);
  assert.equal(readTimeline("{not json"), undefined);
});
