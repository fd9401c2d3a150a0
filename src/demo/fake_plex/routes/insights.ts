/**
 * Fake Plex: the photo transcoder and related hubs, for posters and
 * recommendations.
 *
 * - `GET /photo/:/transcode` (API.md §18.2) resizes an image the server has
 *   (`url` = one of its items' `thumb` or `art` paths) to a JPEG. Like the
 *   pre-Oct-2025 spec, which marked them required, it wants `width` and
 *   `height`; an image it does not have is a 404. The demo's posters are
 *   small (60×90), so with `upscale=0` the answer is the poster itself: a
 *   real JPEG (`POSTER_JPEG`).
 * - `GET /library/metadata/{id}/related` (spec: `MediaContainer.Hub[]`;
 *   python-plexapi `HubsMixin.hubs`) lists items like this one: same
 *   library and type, sharing a director or two genres, best first.
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import type { DemoItem } from "../../library.ts";
import { tagsOf } from "../query.ts";

/** A real 60×90 JPEG (994 bytes): the demo's every poster. */
export const POSTER_JPEG: Uint8Array = Uint8Array.from(
  atob(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIf" +
      "IiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7" +
      "Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCABaADwDASIA" +
      "AhEBAxEB/8QAGgABAAMBAQEAAAAAAAAAAAAAAAIFBwYDCP/EAC0QAAEDAgMHBAIDAQAAAAAAAAEA" +
      "AhEDBAUGIRIWFzFUVdJBUZKjBxMiI3Fh/8QAGgEBAAIDAQAAAAAAAAAAAAAAAAIDAQQFBv/EACER" +
      "AAECBgMBAQAAAAAAAAAAAAABAgMEEhRRkREVU0Eh/9oADAMBAAIRAxEAPwDL4SFOEhdKkrIQkKcJ" +
      "CUghCQpwkJSCEJCnCQlIJwkKcJCupMHQZMyhVzXiTqZqfps7fZdcVARtQZhrR7mDryET7A7LZZUy" +
      "/h1JtO2we0aGtc3afSD3kOkOBc6SQQSNTyMclz34lFMZTrbDnFxvH7YLYDTss0GuoiDOmpIjST3C" +
      "48zFcsRW/ELmp+HH5m/HOD4zZPOH2tDD75rf6qlJuxTMT/FzRpBnmBI05gQcVurWrZXda1uGbFah" +
      "UdTqNkHZcDBEjTmF9NLDfyU2nv1fFjnOcW0tsFoAaf1t0GuoiDOmpIjSTdJxHOcrFIvT6clCQpwk" +
      "LpUlZOEhekJCupB1WQs4DLV4+2vA52H3TgXkSTRdy2wPUe/rAHtB2a2ube8oNuLWvTr0Xzs1KTw5" +
      "pgwYI05hfN8KVN9Sk4upPcxxaWktJBgggj/CCQf9WlHkkirUi8KTR3BvOZM1YdlqyfVuajalzszS" +
      "tWuG3UJmDHo3Qy7/AJ6mAcKxK/uMVxK4v7p21WuHl7tSQPYCSTAGgHoAF4wkKyBKtgplTCu5POEh" +
      "ekJC2aSJOEhX+5OYe3/dT8k3JzD2/wC6n5KF1LejdoTofgoISFf7k5h7f91PyTcnMPb/ALqfkl1L" +
      "ejdoKH4KCEhX+5OYe3/dT8k3JzD2/wC6n5JdS3o3aCh+CghIV/uTmHt/3U/JNycw9v8Aup+SXUt6" +
      "N2gofg1hFnXEHF+ms/g/yTiDi/TWfwf5LzPSTeE2blww0VFnXEHF+ms/g/yTiDi/TWfwf5J0k3hN" +
      "i4YaKizriDi/TWfwf5JxBxfprP4P8k6SbwmxcMNFRZ1xBxfprP4P8k4g4v01n8H+SdJN4TYuGHMw" +
      "kKSL3fBzyMJCkicAjCQpInAIwkKSJwD/2Q==",
  ),
  (c) => c.charCodeAt(0),
);

/** Registers the routes. */
export function registerInsightRoutes(fake: FakePlexState): void {
  fake.route("GET", /^\/photo\/:\/transcode$/, (ctx) => {
    const p = ctx.url.searchParams;
    const width = Number(p.get("width"));
    const height = Number(p.get("height"));
    const format = p.get("format") ?? "jpg";
    if (
      !Number.isInteger(width) || !Number.isInteger(height) || width < 1 ||
      height < 1 || !["jpg", "jpeg", "png", "ppm"].includes(format)
    ) {
      return fake.badRequest();
    }
    const url = p.get("url") ?? "";
    const m = /^\/library\/metadata\/(\d+)\/(thumb|art)\/\d+$/.exec(url);
    const item = m ? fake.item(m[1]!) : undefined;
    if (!item || item.raw[m![2]!] !== url) return fake.notFound();
    const bytes = fake.posterBytes ?? POSTER_JPEG;
    return new Response(bytes.slice().buffer, {
      status: 200,
      headers: {
        "content-type": "image/jpeg",
        "content-length": String(bytes.byteLength),
      },
    });
  });

  fake.route("GET", /^\/library\/metadata\/([^/]+)\/related$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item) return fake.notFound();
    const related = relatedTo(fake, item);
    const type = String(item.raw.type);
    return fake.container({
      size: related.length ? 1 : 0,
      Hub: related.length
        ? [{
          hubIdentifier: `${type}.similar`,
          title: `More ${type === "show" ? "Shows" : "Movies"} Like This`,
          type,
          context: "hub.movie.similar",
          size: related.length,
          more: false,
          style: "shelf",
          Metadata: related.map((i) => fake.listView(i)),
        }]
        : [],
    });
  });
}

/** Items like `item`: same section and type, a shared director or two genres. */
function relatedTo(fake: FakePlexState, item: DemoItem): DemoItem[] {
  const genres = new Set(tagsOf(item, "genre"));
  const directors = new Set(tagsOf(item, "director"));
  const scored = fake.sectionItems(item.sectionId)
    .filter((i) => i !== item && i.raw.type === item.raw.type)
    .map((i) => {
      const sharedGenres = tagsOf(i, "genre").filter((g) => genres.has(g));
      const sharedDirector = tagsOf(i, "director").some((d) =>
        directors.has(d)
      );
      return {
        i,
        score: sharedGenres.length + (sharedDirector ? 2 : 0),
        ok: sharedDirector || sharedGenres.length >= 2,
      };
    })
    .filter((s) => s.ok)
    .sort((a, b) =>
      b.score - a.score || a.i.ratingKey.localeCompare(b.i.ratingKey)
    );
  return scored.slice(0, 10).map((s) => s.i);
}
