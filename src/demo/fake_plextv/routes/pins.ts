/**
 * Fake plex.tv: plex.tv PIN sign-in: create a PIN, poll it (API.md §2).
 *
 * @module
 */
import { errors, type FakePin, type FakePlexTvState, json } from "../state.ts";

/** `POST /api/v2/pins`: a new PIN (API.md §2.1). */
export function createPin(
  tv: FakePlexTvState,
  clientId: string,
  req: Request,
  url: URL,
): Response {
  const product = req.headers.get("x-plex-product") ?? "";
  const now = Date.now();
  const strong = url.searchParams.get("strong") === "true";
  const id = tv.nextPin++;
  // A strong PIN's code is long; a plain one is the 4 characters typed
  // at plex.tv/link (API.md §2.1).
  const code = strong
    ? crypto.randomUUID().replaceAll("-", "").slice(0, 25)
    : "ABCD";
  const pin: FakePin = {
    id,
    code,
    clientIdentifier: clientId,
    product,
    createdAt: now,
    expiresAt: now + tv.pinLifetime * 1000,
    authToken: null,
    polls: 0,
  };
  tv.pins.set(id, pin);
  return json(201, pinBody(pin));
}

/** A PIN as plex.tv answers it. */
export function pinBody(
  pin: FakePin,
): Record<string, unknown> {
  return {
    id: pin.id,
    code: pin.code,
    product: pin.product || "0",
    trusted: false,
    clientIdentifier: pin.clientIdentifier,
    location: { code: "GB", country: "United Kingdom" },
    expiresIn: Math.max(0, Math.round((pin.expiresAt - Date.now()) / 1000)),
    createdAt: new Date(pin.createdAt).toISOString().replace(/\.\d+Z$/, "Z"),
    expiresAt: new Date(pin.expiresAt).toISOString().replace(/\.\d+Z$/, "Z"),
    authToken: pin.authToken,
    newRegistration: pin.authToken ? false : null,
  };
}

/** `GET /api/v2/pins/{id}`: a poll of a PIN, linked or expired as the switches say. */
export function checkPin(
  tv: FakePlexTvState,
  id: number,
  clientId: string,
): Response {
  const pin = tv.pins.get(id);
  // A PIN is only known to the client that made it (API.md §0.1: the
  // identifier must be the same on create and poll); expired or unknown
  // PINs are 404, code 1020 (API.md §0.5).
  if (
    !pin || pin.clientIdentifier !== clientId || Date.now() > pin.expiresAt
  ) {
    return errors(404, 1020, "Code not found or expired");
  }
  pin.polls++;
  if (
    tv.expireAfterPolls !== undefined && pin.polls > tv.expireAfterPolls
  ) {
    tv.pins.delete(id);
    return errors(404, 1020, "Code not found or expired");
  }
  if (
    tv.linkAfterPolls !== undefined && pin.polls >= tv.linkAfterPolls
  ) {
    pin.authToken = tv.accountToken;
  }
  return json(200, pinBody(pin));
}
