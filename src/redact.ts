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

/** What {@link mayHoldSecret} looks for: each secret, and its URL form. */
function needlesOf(secrets: readonly string[]): string[] {
  const out: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out.push(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out.push(encoded);
  }
  return out;
}

/** Cheap pre-check: could `text` hold a secret or a token parameter? */
function mayHoldSecret(text: string, needles: readonly string[]): boolean {
  if (/oken/i.test(text)) return true;
  for (const needle of needles) if (text.includes(needle)) return true;
  return false;
}

/**
 * {@link redact} with the secrets prepared once, for many strings: a string
 * that cannot hold a secret or a token parameter comes back as it was (the
 * same string) after one scan.
 */
export function redactor(
  secrets: readonly string[] = [],
): (text: string) => string {
  const needles = needlesOf(secrets);
  return (text) => mayHoldSecret(text, needles) ? redact(text, secrets) : text;
}

/**
 * Returns `value` with {@link redact} applied to every string in it, at any
 * depth (object keys included). Strings that cannot hold a secret are left
 * as they are, and objects without any change are returned as they were, so
 * the common case costs one scan of each string.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  return walk(value, secrets, needlesOf(secrets)) as T;
}

function walk(
  value: unknown,
  secrets: readonly string[],
  needles: readonly string[],
): unknown {
  if (typeof value === "string") {
    return mayHoldSecret(value, needles) ? redact(value, secrets) : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], secrets, needles);
      if (v !== value[i]) (copy ??= [...value])[i] = v;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const before = (value as Record<string, unknown>)[key];
    const after = walk(before, secrets, needles);
    const safeKey = walk(key, secrets, needles) as string;
    if (after !== before || safeKey !== key) {
      copy ??= { ...(value as Record<string, unknown>) };
      if (safeKey !== key) delete copy[key];
      copy[safeKey] = after;
    }
  }
  return copy ?? value;
}
