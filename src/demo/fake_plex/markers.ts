/**
 * Fake Plex: the intro, credits and commercial markers of the demo items,
 * which `/library/metadata/{id}` shows only when asked with
 * `includeMarkers=1` (API.md §5: "includeMarkers=1 (intro/credits
 * `Marker[]`)"). Shape as python-plexapi reads it (media.py:1153-1183):
 * `id`, `type`, `startTimeOffset`, `endTimeOffset` (ms), `final` on the
 * last credits marker, and an `Attributes` object with the marker
 * `version` (ppa reads `Attributes.version` unconditionally).
 *
 * Every episode has an intro and credits that run to its end; Charade's
 * final credits end before the film does (a scene follows them), Detour's
 * run to the end, Night of the Living Dead has a commercial break; other
 * films have none, as on a server that has not analysed them.
 *
 * @module
 */
import type { DemoItem, RawObject } from "../library.ts";

function marker(
  id: number,
  type: string,
  start: number,
  end: number,
  final = false,
): RawObject {
  return {
    id,
    type,
    startTimeOffset: Math.round(start),
    endTimeOffset: Math.round(end),
    ...(final ? { final: true } : {}),
    Attributes: { id, version: 5 },
  };
}

/** The `Marker[]` of an item (empty: none). */
export function demoMarkers(item: DemoItem): RawObject[] {
  const d = Number(item.raw.duration);
  if (!Number.isFinite(d) || d <= 0) return [];
  const base = Number(item.ratingKey) * 10;
  if (item.raw.type === "episode") {
    return [
      marker(base + 1, "intro", 45_000, 105_000),
      marker(base + 2, "credits", d - 60_000, d, true),
    ];
  }
  if (item.raw.type !== "movie") return [];
  switch (item.raw.title) {
    case "Charade":
      // Credits, then a last scene of three minutes.
      return [
        marker(base + 1, "credits", d - 300_000, d - 180_000, true),
      ];
    case "Detour":
      return [marker(base + 1, "credits", d - 120_000, d, true)];
    case "Night of the Living Dead":
      return [
        marker(base + 1, "commercial", 1_800_000, 1_920_000),
        marker(base + 2, "credits", d - 90_000, d, true),
      ];
    default:
      return [];
  }
}
