/**
 * Fake Plex: subtitles (what the watch tools use).
 *
 * - `GET /library/metadata/{id}/subtitles?language&hearingImpaired&forced`
 *   is Plex's own subtitle search (python-plexapi video.py:120-145; the
 *   OpenAPI description lists the path with these parameters). It answers
 *   `Stream[]` with `key`, `codec`, `language`, `languageCode`,
 *   `providerTitle`, `score`, `perfectMatch`, `hearingImpaired`, `forced`
 *   (ppa media.py:440-476). ppa always sends all three; the fake refuses
 *   a search without `language` and values of `hearingImpaired`/`forced`
 *   outside ppa's documented 0–3 with a 400 (Plex's exact answer to them
 *   is unverified), an unknown item with a 404 (API.md §5) and an item
 *   without a video file with a 400. The form of a result's `key` is
 *   unverified; clients pass it back as it is, and so must plexmcp.
 * - `PUT /library/metadata/{id}/subtitles?key=` downloads a result (ppa
 *   video.py:147-160): the item's first part gains a sidecar subtitle
 *   stream (with a `key`, `/library/streams/{id}`). A key that no search
 *   of this item gave is refused 400 (unverified); downloading the same
 *   one again adds nothing.
 * - `PUT /library/parts/{partId}?subtitleStreamID&audioStreamID&allParts`
 *   selects streams for the user (OpenAPI `libraryPutPartsPart`; ppa
 *   media.py:208-231 sends `allParts=1`): `partId` an integer, else 400;
 *   an unknown part 404; neither stream given 400; a stream that is not
 *   the part's 400 ("One of the audio or subtitle streams does not belong
 *   to this part"); `subtitleStreamID=0` selects none. GET on it is 404
 *   (the spec lists PUT only).
 *
 * The selection is kept per part for the server's owner (Plex keeps one
 * per user; a Home member's is not modelled).
 *
 * @module
 */
import type { FakePlexState } from "../state.ts";
import { subtitleStreamsOf } from "../../subtitle_store.ts";
import type { RawObject } from "../../library.ts";

/** One part's subtitle streams and which is selected ("0": none). */
interface PartState {
  streams: RawObject[];
  selected: string;
}

/** Every fake's state, made on first use. */
const STATES = new WeakMap<FakePlexState, Map<string, PartState>>();

const LANGUAGES: Record<string, [string, string]> = {
  en: ["English", "eng"],
  fr: ["French", "fre"],
  es: ["Spanish", "spa"],
  de: ["German", "ger"],
};

function subtitle(
  id: number,
  language: string,
  codec: string,
  options: {
    external?: boolean;
    forced?: boolean;
    hearingImpaired?: boolean;
    provider?: string;
  } = {},
): RawObject {
  const [name, code] = LANGUAGES[language] ?? [language, language];
  const kind = options.external ? "External" : "";
  const label = `${name} (${codec.toUpperCase()}${kind ? ` ${kind}` : ""})`;
  return {
    id,
    streamType: 3,
    codec,
    language: name,
    languageCode: code,
    ...(options.external
      ? { key: `/library/streams/${id}`, format: codec }
      : { index: 2 }),
    ...(options.forced ? { forced: true } : {}),
    ...(options.hearingImpaired ? { hearingImpaired: true } : {}),
    ...(options.provider ? { providerTitle: options.provider, userID: 1 } : {}),
    displayTitle: label,
    extendedDisplayTitle: `${label}${options.hearingImpaired ? " SDH" : ""}`,
  };
}

/** The demo's subtitles: an SRT sidecar and an image track on Charade. */
function seed(fake: FakePlexState): Map<string, PartState> {
  const state = new Map<string, PartState>();
  const firstPart = (title: string, type: string) => {
    for (const item of fake.library.items.values()) {
      if (item.raw.title !== title || item.raw.type !== type) continue;
      const media = (item.raw.Media as RawObject[] | undefined)?.[0];
      const part = (media?.Part as RawObject[] | undefined)?.[0];
      if (part) return String(part.id);
    }
    return undefined;
  };
  const charade = firstPart("Charade", "movie");
  if (charade) {
    const base = Number(charade) * 10;
    state.set(charade, {
      streams: [
        subtitle(base + 2, "en", "srt", { external: true }),
        subtitle(base + 3, "fr", "pgs"),
      ],
      selected: String(base + 3),
    });
  }
  return state;
}

/**
 * A part's state: what was kept for it, else what it starts with (every
 * episode an embedded English track, nothing selected; made on first use,
 * so that a generated library of thousands of episodes costs nothing).
 */
function partState(
  fake: FakePlexState,
  partId: string,
  type: unknown,
): PartState | undefined {
  const kept = stateOf(fake).get(partId);
  if (kept) return kept;
  // A part the demo library gives subtitles of its own (The Lantern
  // Coast's sidecars, image and embedded tracks) starts with those.
  const own = subtitleStreamsOf(fake.library.subtitles, partId);
  if (own.length) {
    const on = own.find((x) => x.selected === true);
    return {
      streams: own.map(({ selected: _, ...x }) => x),
      selected: on ? String(on.id) : "0",
    };
  }
  if (type !== "episode") return undefined;
  return {
    streams: [subtitle(Number(partId) * 10 + 2, "en", "srt")],
    selected: "0",
  };
}

function stateOf(fake: FakePlexState): Map<string, PartState> {
  let state = STATES.get(fake);
  if (!state) {
    state = seed(fake);
    STATES.set(fake, state);
    fake.keepsState(state as Map<unknown, unknown>);
  }
  return state;
}

/** The subtitle streams `/library/metadata/{id}` shows on a part. */
export function partSubtitles(
  fake: FakePlexState,
  partId: unknown,
  type: unknown,
): RawObject[] {
  const s = partState(fake, String(partId), type);
  if (!s) return [];
  return s.streams.map((x) =>
    String(x.id) === s.selected ? { ...x, selected: true } : x
  );
}

/** What the subtitle search finds for an item in a language. */
function results(ratingKey: string, language: string): RawObject[] {
  const hit = (n: number, options: { sdh?: boolean; forced?: boolean }) => ({
    key: `/services/subtitles/demo/${ratingKey}-${language}-${n}`,
    streamType: 3,
    codec: "srt",
    language: LANGUAGES[language]![0],
    languageCode: LANGUAGES[language]![1],
    providerTitle: "OpenSubtitles",
    score: 900 - n * 100,
    perfectMatch: n === 1,
    hearingImpaired: options.sdh === true,
    forced: options.forced === true,
    title: `demo.${ratingKey}.${language}${options.sdh ? ".sdh" : ""}${
      options.forced ? ".forced" : ""
    }.srt`,
  });
  switch (language) {
    case "en":
      return [hit(1, {}), hit(2, { sdh: true })];
    case "fr":
      return [hit(1, {}), hit(2, { forced: true })];
    case "es":
      return [hit(1, {})];
    default:
      return [];
  }
}

/** Orders or filters by Plex's 0–3 preference (ppa video.py:126-134). */
function prefer(
  list: RawObject[],
  field: "hearingImpaired" | "forced",
  mode: number,
): RawObject[] {
  if (mode === 2) return list.filter((r) => r[field] === true);
  if (mode === 3) return list.filter((r) => r[field] !== true);
  const first = mode === 1;
  return [...list].sort((a, b) =>
    Number((b[field] === true) === first) -
    Number((a[field] === true) === first)
  );
}

function firstPartOf(item: RawObject): RawObject | undefined {
  const media = (item.Media as RawObject[] | undefined)?.[0];
  return (media?.Part as RawObject[] | undefined)?.[0];
}

/** Registers the subtitle routes. */
export function registerWatchRoutes(fake: FakePlexState): void {
  fake.partStreams.push((partId, type) => partSubtitles(fake, partId, type));
  stateOf(fake);
  const preference = (v: string | null) =>
    v === null ? 0 : /^[0-3]$/.test(v) ? Number(v) : undefined;

  fake.route("GET", /^\/library\/metadata\/([^/]+)\/subtitles$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item) return fake.notFound();
    const q = ctx.url.searchParams;
    const language = q.get("language");
    const sdh = preference(q.get("hearingImpaired"));
    const forced = preference(q.get("forced"));
    if (!language || sdh === undefined || forced === undefined) {
      return fake.badRequest();
    }
    if (!firstPartOf(item.raw) || item.raw.type === "track") {
      return fake.badRequest();
    }
    const lang = language.toLowerCase().slice(0, 2);
    // Hostile mode (`echoToken`): the keys carry the token, as a URL a
    // server hands out may.
    const token = ctx.req.headers.get("X-Plex-Token") ?? "";
    const echo = (r: RawObject) =>
      fake.echoToken ? { ...r, key: `${r.key}?X-Plex-Token=${token}` } : r;
    const found = prefer(
      prefer(results(item.ratingKey, lang), "hearingImpaired", sdh),
      "forced",
      forced,
    );
    return fake.container({ size: found.length, Stream: found.map(echo) });
  });

  fake.route("PUT", /^\/library\/metadata\/([^/]+)\/subtitles$/, (ctx) => {
    const item = fake.item(ctx.params[0]!);
    if (!item) return fake.notFound();
    const key = ctx.url.searchParams.get("key")?.replace(/\?.*$/, "");
    const part = firstPartOf(item.raw);
    if (!key || !part) return fake.badRequest();
    const m = /^\/services\/subtitles\/demo\/(\d+)-([a-z]{2})-(\d+)$/.exec(key);
    const found = m && m[1] === item.ratingKey
      ? results(item.ratingKey, m[2]!).find((r) => r.key === key)
      : undefined;
    if (!found) return fake.badRequest();
    const partId = String(part.id);
    const s = partState(fake, partId, item.raw.type) ??
      { streams: [], selected: "0" };
    stateOf(fake).set(partId, s);
    if (s.streams.some((x) => x.sourceKey === key)) return fake.ok();
    const id = Number(partId) * 10 + 5 + s.streams.length;
    s.streams.push({
      ...subtitle(id, m![2]!, "srt", {
        external: true,
        forced: found.forced === true,
        hearingImpaired: found.hearingImpaired === true,
        provider: String(found.providerTitle),
      }),
      sourceKey: key,
    });
    return fake.ok();
  });

  fake.route("PUT", /^\/library\/parts\/([^/]+)$/, (ctx) => {
    const partId = ctx.params[0]!;
    if (!/^\d+$/.test(partId)) return fake.badRequest();
    let part: RawObject | undefined;
    let type: unknown;
    for (const item of fake.library.items.values()) {
      for (const media of (item.raw.Media as RawObject[] | undefined) ?? []) {
        for (const p of (media.Part as RawObject[] | undefined) ?? []) {
          if (String(p.id) === partId) [part, type] = [p, item.raw.type];
        }
      }
    }
    if (!part) return fake.notFound();
    const q = ctx.url.searchParams;
    const sub = q.get("subtitleStreamID");
    const audio = q.get("audioStreamID");
    const allParts = q.get("allParts");
    if (sub === null && audio === null) return fake.badRequest();
    if (allParts !== null && !/^[01]$/.test(allParts)) {
      return fake.badRequest();
    }
    // The demo's one audio stream per part (fake_plex detailView).
    if (audio !== null && audio !== String(Number(partId) * 10 + 1)) {
      return fake.badRequest();
    }
    if (sub !== null) {
      const s = partState(fake, partId, type);
      if (sub !== "0" && !s?.streams.some((x) => String(x.id) === sub)) {
        return fake.badRequest();
      }
      if (s) {
        s.selected = sub;
        stateOf(fake).set(partId, s);
      }
    }
    return fake.ok();
  });
}
