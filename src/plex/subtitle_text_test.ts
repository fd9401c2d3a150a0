import assert from "node:assert/strict";
import {
  fetchSubtitleText,
  readability,
  type SubtitleStreamInfo,
  SubtitleUnavailableError,
} from "./subtitle_text.ts";
import { PlexClient } from "./client.ts";

const base: SubtitleStreamInfo = {
  id: "42",
  key: "/library/streams/42",
  codec: "srt",
  format: "srt",
  language: "English",
  languageCode: "eng",
  languageTag: "en",
  title: "English (SRT External)",
  forced: false,
  hearingImpaired: false,
  selected: true,
};

Deno.test("readability: sidecar text yes; image, embedded, odd formats and ids no", () => {
  assert.deepEqual(readability(base), {
    readable: true,
    format: "srt",
    ext: "srt",
  });
  assert.deepEqual(
    readability({ ...base, codec: "subrip", format: undefined }),
    { readable: true, format: "srt", ext: "srt" },
  );
  assert.deepEqual(
    readability({ ...base, codec: "ssa", format: "ssa" }),
    { readable: true, format: "ass", ext: "ssa" },
  );
  const no = (s: Partial<SubtitleStreamInfo>) => {
    const r = readability({ ...base, ...s });
    assert.equal(r.readable, false);
    return r.readable ? "" : r.reason;
  };
  assert.match(
    no({ codec: "pgs", format: undefined, key: undefined }),
    /image/,
  );
  assert.match(no({ codec: "vobsub", format: "sub" }), /image/);
  assert.match(no({ key: undefined }), /embedded/);
  assert.match(no({ codec: "smi", format: "smi" }), /cannot read \(smi\)/);
  assert.match(no({ id: "1/../2" }), /not a number/);
});

function client(answer: (url: URL, init?: RequestInit) => Response) {
  const seen: { url: string; token: string | null }[] = [];
  const plex = new PlexClient({
    baseUrl: "http://plex.test:32400",
    token: "tok-subtitles",
    retries: 0,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init?.headers);
      seen.push({ url: url.href, token: headers.get("X-Plex-Token") });
      // What /identity answers, for the client's "is this Plex?" probe.
      if (url.pathname === "/identity") {
        return Promise.resolve(
          Response.json({ MediaContainer: { machineIdentifier: "m" } }),
        );
      }
      return Promise.resolve(answer(url, init));
    },
  });
  return { plex, seen };
}

Deno.test("fetchSubtitleText asks /library/streams/{id}.{ext}, the token in a header only", async () => {
  const { plex, seen } = client(() =>
    new Response("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
  );
  const got = await fetchSubtitleText(plex, base, "srt", {
    maxBytes: 1000,
    signal: new AbortController().signal,
  });
  assert.equal(got.bytes, got.text.length);
  assert.equal(
    seen[0]!.url,
    "http://plex.test:32400/library/streams/42.srt?encoding=utf-8",
  );
  assert.equal(seen[0]!.token, "tok-subtitles");
});

Deno.test("fetchSubtitleText names 501, 404 and a file over its limit", async () => {
  const signal = new AbortController().signal;
  for (
    const [status, reason] of [
      [501, /cannot extract it \(501/],
      [404, /no data for it \(404\)/],
    ] as const
  ) {
    const { plex } = client(() => new Response("<html/>", { status }));
    await assert.rejects(
      fetchSubtitleText(plex, base, "srt", { maxBytes: 1000, signal }),
      (e) => e instanceof SubtitleUnavailableError && reason.test(e.message),
    );
  }
  const { plex } = client(() => new Response("x".repeat(2000)));
  await assert.rejects(
    fetchSubtitleText(plex, base, "srt", { maxBytes: 1000, signal }),
    (e) =>
      e instanceof SubtitleUnavailableError &&
      /larger than 1000 bytes/.test(e.message),
  );
  const { plex: broken } = client(() =>
    new Response("<html/>", { status: 500 })
  );
  await assert.rejects(
    fetchSubtitleText(broken, base, "srt", { maxBytes: 1000, signal }),
    (e) => !(e instanceof SubtitleUnavailableError),
    "other failures are the call's, not one file's",
  );
});
