/**
 * Secret redaction: the Plex token must never reach logs, errors or tool
 * output. Everything that leaves the process as text goes through here.
 *
 * @module
 */

/** What a redacted secret is replaced with. */
export const REDACTED = "[REDACTED]";

const TOKEN_IN_TEXT =
  /((?:X-Plex-Token|X-Plex-Token%3D|token|authToken|accessToken|authenticationToken)["']?\s*[=:]\s*["']?)([A-Za-z0-9_\-\.~%]{4,})/gi;

/**
 * Replaces every occurrence of the given secrets, and anything that looks like
 * a token parameter (`X-Plex-Token=...`, `"authToken":"..."`), with
 * {@link REDACTED}.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out.replace(
    TOKEN_IN_TEXT,
    (_m, prefix: string, value: string) =>
      value === REDACTED ? `${prefix}${value}` : `${prefix}${REDACTED}`,
  );
}
