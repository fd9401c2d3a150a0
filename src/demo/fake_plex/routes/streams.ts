/**
 * Fake Plex: `GET /library/streams/{streamId}.{ext}`, a sidecar subtitle
 * file's text, as Plex's OpenAPI description documents it (operation
 * `libraryGetStreamsStream`):
 *
 * - `streamId` is an integer: anything else is a 400 ("A parameter has a
 *   bad value", the description's generic 400 body);
 * - "404: The stream doesn't exist or has no data": an unknown id, and a
 *   sidecar asked for in another extension than its file's (`ext` is "the
 *   extension of the stream"; the fake holds one file per stream);
 * - "501: The stream is not a sidecar subtitle": a subtitle embedded in
 *   the video file (no `key` in its `Stream` entry, as recorded in
 *   GET__library_metadata_{ratingKey}.episode.json), or an audio or video
 *   stream;
 * - `format` asks Plex to convert a text subtitle; the fake holds each file
 *   in one format and does not convert, so it serves only that format and
 *   answers any other 501 (an unknown format name is a 400). plexmcp never
 *   asks for a conversion. `encoding` is taken and the text is UTF-8.
 * - Without a valid token the core answers 401 before any route (Plex:
 *   "401 Unauthorized" on every library path).
 *
 * In hostile mode (`echoToken`) the file ends with a cue at 0:01 that
 * repeats the token the request carried, as a subtitle written by a
 * careless tool might.
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";

const HTML_501 =
  "<html><head><title>Not Implemented</title></head><body><h1>501 Not Implemented</h1></body></html>";

/** Subtitle formats Plex names for `format`. */
const TEXT_FORMATS = new Set(["srt", "ass", "ssa", "vtt", "smi", "ttml"]);

function notImplemented(): Response {
  return new Response(HTML_501, {
    status: 501,
    headers: { "content-type": "text/html" },
  });
}

/** Whether `id` is the id of a video or audio stream of some part. */
function isMediaStream(fake: FakePlexState, id: number): boolean {
  // detailView numbers a part's video stream part.id * 10, audio + 1.
  const partId = Math.floor(id / 10);
  if (id % 10 > 1) return false;
  for (const item of fake.library.items.values()) {
    for (const m of (item.raw.Media as Record<string, unknown>[]) ?? []) {
      for (const p of (m.Part as Record<string, unknown>[]) ?? []) {
        if (Number(p.id) === partId) return true;
      }
    }
  }
  return false;
}

/** Registers the route. */
export function registerStreamRoutes(fake: FakePlexState): void {
  fake.route("GET", /^\/library\/streams\/([^/]+)\.([^./]+)$/, (ctx) => {
    const [id, ext] = ctx.params as [string, string];
    if (!/^\d+$/.test(id)) return fake.badRequest();
    const format = ctx.url.searchParams.get("format");
    if (format !== null && !TEXT_FORMATS.has(format)) {
      return fake.badRequest();
    }
    const sub = fake.library.subtitles?.get(id);
    if (!sub) {
      return isMediaStream(fake, Number(id))
        ? notImplemented()
        : fake.notFound();
    }
    if (sub.body === undefined || !sub.stream.key) return notImplemented();
    const own = String(sub.stream.format ?? sub.stream.codec);
    if (ext !== own) return fake.notFound();
    if (format !== null && format !== own) return notImplemented();
    let body = sub.body;
    if (fake.echoToken) {
      const token = ctx.req.headers.get("X-Plex-Token") ??
        ctx.url.searchParams.get("X-Plex-Token") ?? "";
      body += own === "ass"
        ? `Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,${token}\n`
        : own === "vtt"
        ? `\n00:00:01.000 --> 00:00:02.000\n${token}\n`
        : `\n9999\n00:00:01,000 --> 00:00:02,000\n${token}\n`;
    }
    return new Response(body, {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  });
}
