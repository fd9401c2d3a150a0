/**
 * Random values and hashes for the authorization server, all from Web
 * Crypto: opaque secrets (32 random bytes, base64url), their SHA-256
 * (what is stored: never the secret itself), and comparison in constant
 * time.
 *
 * @module
 */

/** `bytes` as base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

/** A fresh opaque secret: `bytes` random bytes (default 32), base64url. */
export function randomSecret(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 of `text` (UTF-8), base64url: how secrets are stored. */
export async function sha256(text: string): Promise<string> {
  return base64url(
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
    ),
  );
}

/**
 * Whether `a` equals `b`, comparing their SHA-256 digests so that neither
 * the length nor where they first differ shows in the time taken.
 */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(a)),
    crypto.subtle.digest("SHA-256", enc.encode(b)),
  ]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i]! ^ v[i]!;
  return diff === 0;
}
