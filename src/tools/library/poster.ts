/**
 * An item's poster as a small image a client can show: Plex's own photo
 * transcoder (`GET /photo/:/transcode`, API.md §18.2) resizes the item's
 * art to fit {@link POSTER_BOX} as a JPEG, and the server reads the bytes
 * itself, so no URL (and no token) ever reaches the client. An image over
 * {@link MAX_POSTER_BYTES} is asked for again smaller, once; what still does
 * not fit is refused.
 *
 * @module
 */
import type { PlexClient } from "../../plex/client.ts";
import type { PlexItem } from "../../plex/models.ts";
import { PlexResponseError } from "../../transport/errors.ts";

/** The box a poster is fitted into, in pixels (2:3, a poster's shape). */
export const POSTER_BOX = { width: 320, height: 480 } as const;

/** The second, smaller box, for art that is still too large. */
const SMALL_BOX = { width: 200, height: 300 } as const;

/** Largest poster returned, in bytes (about 67 KB of base64). */
export const MAX_POSTER_BYTES = 50 * 1024;

/** Largest answer read from the transcoder at all. */
const MAX_READ_BYTES = 1024 * 1024;

/** A poster, ready to send. */
export interface Poster {
  /** Base64 of the image. */
  data: string;
  /** `image/jpeg` or `image/png`. */
  mimeType: string;
  /** Size of the image, bytes. */
  bytes: number;
}

/**
 * The art that stands for an item: its own poster, or (episodes) the
 * show's, or (tracks) the album's; undefined when Plex has none.
 */
export function posterPath(item: PlexItem): string | undefined {
  const own = item.thumb;
  const candidates = item.type === "episode"
    ? [item.grandparentThumb, item.parentThumb, own]
    : item.type === "track"
    ? [item.parentThumb, item.grandparentThumb, own]
    : [own, item.parentThumb, item.grandparentThumb];
  // Plex's own placeholders (`/:/resources/movie.png`) are no poster.
  return candidates.find((p) =>
    p !== undefined && p !== "" && !p.startsWith("/:/resources/")
  );
}

/** The image type by its first bytes (a content type alone proves nothing). */
function kind(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return "image/jpeg";
  }
  if (
    bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e &&
    bytes[3] === 0x47
  ) return "image/png";
  return undefined;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * Fetches `item`'s poster through the photo transcoder. Undefined when the
 * item has no art; a {@link PlexResponseError} when the answer is not an
 * image or stays over {@link MAX_POSTER_BYTES}.
 */
export async function fetchPoster(
  plex: PlexClient,
  item: PlexItem,
  signal: AbortSignal,
): Promise<Poster | undefined> {
  const url = posterPath(item);
  if (!url) return undefined;
  const endpoint = "GET /photo/:/transcode";
  for (const box of [POSTER_BOX, SMALL_BOX]) {
    const answer = await plex.requestBytes("/photo/:/transcode", {
      query: {
        url,
        width: box.width,
        height: box.height,
        // Fit inside the box, never enlarge (API.md §18.2: minSize=0 fits,
        // 1 fills and may overflow).
        minSize: 0,
        upscale: 0,
        format: "jpg",
      },
      maxBytes: MAX_READ_BYTES,
      signal,
    });
    const mimeType = kind(answer.bytes);
    if (!mimeType) {
      throw new PlexResponseError(
        `Plex answered ${endpoint} for item ${item.ratingKey} with something that is not a JPEG or PNG image (${
          answer.contentType || "no content type"
        }, ${answer.bytes.byteLength} bytes)`,
        endpoint,
      );
    }
    if (answer.bytes.byteLength <= MAX_POSTER_BYTES) {
      return {
        data: base64(answer.bytes),
        mimeType,
        bytes: answer.bytes.byteLength,
      };
    }
  }
  throw new PlexResponseError(
    `Plex's poster for item ${item.ratingKey} is over ${
      MAX_POSTER_BYTES / 1024
    } KB even at ${SMALL_BOX.width}×${SMALL_BOX.height}: not sent`,
    endpoint,
  );
}
