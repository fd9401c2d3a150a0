import assert from "node:assert/strict";
import { FakePlex } from "../mod.ts";

const fake = new FakePlex({ token: "tok" });
const subs = [...fake.library.subtitles!.entries()];
const [srtId] = subs.find(([, s]) => s.stream.format === "srt")!;
const [vttId] = subs.find(([, s]) => s.stream.format === "vtt")!;
const [embeddedId] = subs.find(([, s]) =>
  !s.stream.key && s.stream.codec === "srt"
)!;
const [pgsId] = subs.find(([, s]) => s.stream.codec === "pgs")!;
const videoStreamId = subs[0]![1].partId * 10;

async function get(path: string, token: string | null = "tok") {
  const r = await fake.fetch(`http://fake:32400${path}`, {
    headers: token ? { "X-Plex-Token": token } : {},
  });
  return { status: r.status, text: await r.text() };
}

Deno.test("the fake serves a sidecar subtitle file in its own extension", async () => {
  const r = await get(`/library/streams/${srtId}.srt?encoding=utf-8`);
  assert.equal(r.status, 200);
  assert.match(r.text, /^1\n00:00:20,000 --> /);
  const vtt = await get(`/library/streams/${vttId}.vtt`);
  assert.match(vtt.text, /^WEBVTT/);
  assert.equal(
    (await get(`/library/streams/${srtId}.srt?format=srt`)).status,
    200,
  );
});

Deno.test("the fake refuses what Plex's description says Plex refuses", async () => {
  assert.equal((await get(`/library/streams/${srtId}.srt`, null)).status, 401);
  assert.equal(
    (await get(`/library/streams/${srtId}.srt`, "wrong")).status,
    401,
  );
  assert.equal((await get(`/library/streams/abc.srt`)).status, 400);
  assert.equal(
    (await get(`/library/streams/${srtId}.srt?format=exe`)).status,
    400,
  );
  assert.equal((await get(`/library/streams/987654321.srt`)).status, 404);
  assert.equal((await get(`/library/streams/${srtId}.ass`)).status, 404);
  assert.equal((await get(`/library/streams/${embeddedId}.srt`)).status, 501);
  assert.equal((await get(`/library/streams/${pgsId}.sup`)).status, 501);
  assert.equal(
    (await get(`/library/streams/${videoStreamId}.srt`)).status,
    501,
  );
  assert.equal(
    (await get(`/library/streams/${srtId}.srt?format=ass`)).status,
    501,
  );
});

Deno.test("the detail view lists subtitle streams as Plex does: key and format for sidecars only", async () => {
  const episode = [...fake.library.items.values()].find((i) =>
    i.raw.title === "First Light"
  )!;
  const r = await fake.fetch(
    `http://fake:32400/library/metadata/${episode.ratingKey}`,
    { headers: { "X-Plex-Token": "tok", Accept: "application/json" } },
  );
  const part = (await r.json()).MediaContainer.Metadata[0].Media[0].Part[0];
  const subtitles = part.Stream.filter((s: { streamType: number }) =>
    s.streamType === 3
  );
  assert.equal(subtitles.length, 2);
  for (const s of subtitles) {
    assert.equal(s.key, `/library/streams/${s.id}`);
    assert.equal(s.format, "srt");
  }
  const embedded = fake.library.subtitles!.get(embeddedId)!.stream;
  assert.equal(embedded.key, undefined);
  assert.equal(typeof embedded.index, "number");
});
