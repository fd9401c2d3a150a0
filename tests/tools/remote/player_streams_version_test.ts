/**
 * set_player_streams picks stream ids from the version being played, not
 * always the first: an item with two versions has two sets of stream ids,
 * and a player ignores ids of the version it is not playing. The fake's
 * player plays the last of several versions and names the streams in use
 * in its timeline (as python-plexapi reads them, client.py:603).
 */
import assert from "node:assert/strict";
import type { RawObject } from "../../../src/demo/library.ts";
import { connectInMemory, textOf } from "../../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("set_player_streams chooses among the streams of the version the player plays", async () => {
  const { client, fake, close } = await connectInMemory();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    assert.equal(r.isError, undefined, `${name}: ${textOf(r)}`);
    return { text: textOf(r), s: r.structuredContent as Any };
  };
  try {
    const detour = [...fake.library.items.values()].find((i) =>
      i.raw.title === "Detour"
    )!;
    // A second, 4K version: its own part, so its own stream ids.
    const [hd] = detour.raw.Media as RawObject[];
    const uhd = structuredClone(hd!);
    uhd.id = Number(hd!.id) + 5;
    uhd.videoResolution = "4k";
    (uhd.Part as RawObject[])[0]!.id =
      Number((hd!.Part as RawObject[])[0]!.id) +
      5;
    (detour.raw.Media as RawObject[]).push(uhd);
    const audioOf = (media: number) =>
      String(
        (fake.detailView(detour).Media as Any)[media].Part[0].Stream.find((
          s: Any,
        ) => s.streamType === 2).id,
      );
    assert.notEqual(audioOf(0), audioOf(1));

    await call("play_media", {
      client: "Living Room TV",
      ratingKey: detour.ratingKey,
    });
    assert.equal(fake.library.clients[0]!.media, 1, "the player took the last");
    const chosen = await call("set_player_streams", {
      client: "Living Room TV",
      audio: "eng",
      subtitle: "off",
    });
    assert.equal(chosen.s.applied, true, chosen.text);
    assert.equal(chosen.s.audioStreamID, audioOf(1));
    const sent = fake.library.clients[0]!.commands.findLast((c) =>
      c.command === "playback/setStreams"
    )!;
    assert.equal(sent.params.audioStreamID, audioOf(1));
  } finally {
    await close();
  }
});
