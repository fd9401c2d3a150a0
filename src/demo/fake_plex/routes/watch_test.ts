import assert from "node:assert/strict";
import { FakePlex } from "../mod.ts";

const TOKEN = "fake-test-token";

function call(f: FakePlex, method: string, path: string) {
  return f.handle(
    new Request(`http://plex.test:32400${path}`, {
      method,
      headers: { Accept: "application/json", "X-Plex-Token": TOKEN },
    }),
  );
}

function itemOf(f: FakePlex, title: string) {
  return [...f.library.items.values()].find((i) => i.raw.title === title)!;
}

function partOf(f: FakePlex, title: string): string {
  const media = (itemOf(f, title).raw.Media as Record<string, unknown>[])[0]!;
  return String((media.Part as Record<string, unknown>[])[0]!.id);
}

Deno.test("fake: markers only with includeMarkers=1, in python-plexapi's shape", async () => {
  const f = new FakePlex({ token: TOKEN });
  const rk = itemOf(f, "Charade").ratingKey;
  const plain = await (await call(f, "GET", `/library/metadata/${rk}`)).json();
  assert.equal(plain.MediaContainer.Metadata[0].Marker, undefined);
  const withMarkers = await (await call(
    f,
    "GET",
    `/library/metadata/${rk}?includeMarkers=1`,
  )).json();
  const [m] = withMarkers.MediaContainer.Metadata[0].Marker;
  assert.equal(m.type, "credits");
  assert.equal(m.final, true);
  assert.ok(m.endTimeOffset < withMarkers.MediaContainer.Metadata[0].duration);
  assert.equal(typeof m.Attributes.version, "number");
});

Deno.test("fake: the subtitle search refuses what Plex refuses", async () => {
  const f = new FakePlex({ token: TOKEN });
  const rk = itemOf(f, "Charade").ratingKey;
  const show =
    [...f.library.items.values()].find((i) => i.raw.type === "show")!.ratingKey;
  const cases: [string, string, number][] = [
    ["GET", `/library/metadata/${rk}/subtitles?language=en`, 200],
    ["GET", `/library/metadata/${rk}/subtitles`, 400],
    ["GET", `/library/metadata/${rk}/subtitles?language=en&forced=7`, 400],
    [
      "GET",
      `/library/metadata/${rk}/subtitles?language=en&hearingImpaired=x`,
      400,
    ],
    ["GET", `/library/metadata/999999/subtitles?language=en`, 404],
    ["GET", `/library/metadata/${show}/subtitles?language=en`, 400],
    ["POST", `/library/metadata/${rk}/subtitles?language=en`, 404],
    ["PUT", `/library/metadata/${rk}/subtitles`, 400],
    ["PUT", `/library/metadata/${rk}/subtitles?key=%2Fnope`, 400],
    // A key from another item's search.
    [
      "PUT",
      `/library/metadata/${rk}/subtitles?key=%2Fservices%2Fsubtitles%2Fdemo%2F1-en-1`,
      400,
    ],
  ];
  for (const [method, path, status] of cases) {
    const r = await call(f, method, path);
    await r.body?.cancel();
    assert.equal(r.status, status, `${method} ${path}`);
  }
  const found = await (await call(
    f,
    "GET",
    `/library/metadata/${rk}/subtitles?language=en&hearingImpaired=2`,
  )).json();
  assert.deepEqual(
    found.MediaContainer.Stream.map((s: { hearingImpaired: boolean }) =>
      s.hearingImpaired
    ),
    [true],
  );
});

Deno.test("fake: a download adds a sidecar stream to the part, once", async () => {
  const f = new FakePlex({ token: TOKEN });
  const rk = itemOf(f, "Detour").ratingKey;
  const key = encodeURIComponent(`/services/subtitles/demo/${rk}-es-1`);
  for (let i = 0; i < 2; i++) {
    const r = await call(
      f,
      "PUT",
      `/library/metadata/${rk}/subtitles?key=${key}`,
    );
    assert.equal(r.status, 200);
  }
  const item = await (await call(f, "GET", `/library/metadata/${rk}`)).json();
  const subs = item.MediaContainer.Metadata[0].Media[0].Part[0].Stream.filter(
    (s: { streamType: number }) => s.streamType === 3,
  );
  assert.equal(subs.length, 1);
  assert.equal(subs[0].language, "Spanish");
  assert.match(subs[0].key, /^\/library\/streams\/\d+$/);
});

Deno.test("fake: PUT /library/parts/{id} selects a part's own stream and refuses the rest", async () => {
  const f = new FakePlex({ token: TOKEN });
  const part = partOf(f, "Charade");
  const other = partOf(f, "Detour");
  const english = Number(part) * 10 + 2;
  const cases: [string, string, number][] = [
    [
      "PUT",
      `/library/parts/${part}?subtitleStreamID=${english}&allParts=1`,
      200,
    ],
    ["PUT", `/library/parts/${part}?subtitleStreamID=0`, 200],
    ["PUT", `/library/parts/${part}`, 400],
    ["PUT", `/library/parts/abc?subtitleStreamID=0`, 400],
    ["PUT", `/library/parts/999999?subtitleStreamID=0`, 404],
    ["PUT", `/library/parts/${other}?subtitleStreamID=${english}`, 400],
    ["PUT", `/library/parts/${part}?subtitleStreamID=0&allParts=2`, 400],
    ["PUT", `/library/parts/${part}?audioStreamID=1`, 400],
    ["GET", `/library/parts/${part}?subtitleStreamID=0`, 404],
  ];
  for (const [method, path, status] of cases) {
    const r = await call(f, method, path);
    await r.body?.cancel();
    assert.equal(r.status, status, `${method} ${path}`);
  }
  await call(f, "PUT", `/library/parts/${part}?subtitleStreamID=${english}`);
  const rk = itemOf(f, "Charade").ratingKey;
  const item = await (await call(f, "GET", `/library/metadata/${rk}`)).json();
  const selected = item.MediaContainer.Metadata[0].Media[0].Part[0].Stream
    .filter((s: { streamType: number; selected?: boolean }) =>
      s.streamType === 3 && s.selected
    );
  assert.deepEqual(selected.map((s: { id: number }) => s.id), [english]);
});

Deno.test("fake Discover: availabilities want an account token and a known id, GET only", async () => {
  const f = new FakePlex({ token: TOKEN });
  const id = f.plexTv.catalog.find((c) => c.title === "Charade")!.id;
  const ask = (method: string, path: string, token = TOKEN) =>
    f.fetch(`https://discover.provider.plex.tv${path}`, {
      method,
      headers: {
        Accept: "application/json",
        "X-Plex-Token": token,
        "X-Plex-Client-Identifier": "routes-watch-test",
      },
    });
  const good = await ask("GET", `/library/metadata/${id}/availabilities`);
  assert.equal(good.status, 200);
  const body = await good.json();
  assert.ok(body.MediaContainer.Availability.length >= 1);
  assert.ok(body.MediaContainer.Availability[0].offerType);
  for (
    const [method, path, token, status] of [
      ["GET", `/library/metadata/${id}/availabilities`, "nope", 401],
      ["GET", `/library/metadata/${"0".repeat(24)}/availabilities`, TOKEN, 404],
      ["PUT", `/library/metadata/${id}/availabilities`, TOKEN, 404],
    ] as const
  ) {
    const r = await ask(method, path, token);
    await r.body?.cancel();
    assert.equal(r.status, status, `${method} ${path} ${token}`);
  }
});

Deno.test("fake: an episode's embedded English track can be selected, and stays selected", async () => {
  const f = new FakePlex({ token: TOKEN });
  const episode = [...f.library.items.values()].find((i) =>
    i.raw.type === "episode"
  )!;
  const media = (episode.raw.Media as Record<string, unknown>[])[0]!;
  const part = String((media.Part as Record<string, unknown>[])[0]!.id);
  const english = Number(part) * 10 + 2;
  const r = await call(
    f,
    "PUT",
    `/library/parts/${part}?subtitleStreamID=${english}&allParts=1`,
  );
  assert.equal(r.status, 200);
  const item = await (await call(
    f,
    "GET",
    `/library/metadata/${episode.ratingKey}`,
  )).json();
  const subs = item.MediaContainer.Metadata[0].Media[0].Part[0].Stream.filter(
    (s: { streamType: number }) => s.streamType === 3,
  );
  assert.deepEqual(
    subs.map((s: { id: number; selected?: boolean }) => [s.id, s.selected]),
    [[english, true]],
  );
});
