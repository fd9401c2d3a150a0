/**
 * The demo library's subtitle streams: each stream as Plex lists it in a
 * part's `Stream[]`, with the text of the file behind it when it is a
 * sidecar (see fake_plex/routes/streams.ts for how the fake serves it).
 *
 * @module
 */

/** One subtitle stream of a demo part. */
export interface DemoSubtitle {
  /** The part it belongs to. */
  partId: number;
  /** The `Stream` entry as Plex sends it (streamType 3). */
  stream: Record<string, unknown>;
  /** The file's text (sidecars); undefined for an embedded stream. */
  body: string | undefined;
}

/** The `Stream` entries of the subtitles of part `partId`. */
export function subtitleStreamsOf(
  subtitles: ReadonlyMap<string, DemoSubtitle> | undefined,
  partId: unknown,
): Record<string, unknown>[] {
  if (!subtitles) return [];
  const out: Record<string, unknown>[] = [];
  for (const s of subtitles.values()) {
    if (s.partId === Number(partId)) out.push({ ...s.stream });
  }
  return out;
}
