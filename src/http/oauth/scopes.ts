/**
 * The scopes a client may ask for, and what each lets it do: `plex:read`
 * sees everything and changes nothing (the server's read-only filter, so
 * no write tool is even listed); `plex:write` adds the tools that change
 * things. Write implies read. When the server itself is read-only
 * (`PLEX_READ_ONLY`), only `plex:read` exists.
 *
 * @module
 */

/** See libraries, playback, history; change nothing. */
export const READ_SCOPE = "plex:read";

/** Also change things: playlists, collections, playback, metadata. */
export const WRITE_SCOPE = "plex:write";

/** What each scope means, for the consent page. */
export const SCOPE_TEXT: Readonly<Record<string, string>> = {
  [READ_SCOPE]:
    "see your libraries, what is playing, watch history and server status",
  [WRITE_SCOPE]:
    "change things: playlists, collections, watched state, metadata, playback on your players",
};

/** The scopes this server offers. */
export function supportedScopes(readOnly: boolean): string[] {
  return readOnly ? [READ_SCOPE] : [READ_SCOPE, WRITE_SCOPE];
}

/** Scopes in their canonical order, write implying read, no repeats. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const set = new Set(scopes);
  if (set.has(WRITE_SCOPE)) set.add(READ_SCOPE);
  return [READ_SCOPE, WRITE_SCOPE].filter((s) => set.has(s));
}

/**
 * Reads a `scope` parameter: space-separated, each one this server
 * offers. Absent or empty: every offered scope (the owner narrows it on
 * the consent page). Returns the scopes, or the problem.
 */
export function parseScopes(
  raw: string | undefined | null,
  supported: readonly string[],
): { scopes: string[] } | { error: string } {
  const asked = (raw ?? "").split(" ").filter(Boolean);
  if (asked.length === 0) return { scopes: normalizeScopes(supported) };
  const unknown = asked.filter((s) => !supported.includes(s));
  if (unknown.length) {
    return {
      error: `unknown scope ${
        JSON.stringify(unknown[0]!.slice(0, 40))
      }: this server offers ${supported.join(", ")}`,
    };
  }
  return { scopes: normalizeScopes(asked) };
}

/** The `scope` string of a token answer. */
export function scopeString(scopes: readonly string[]): string {
  return normalizeScopes(scopes).join(" ");
}

/** Whether a grant with these scopes may use the tools that change things. */
export function grantsWrite(scopes: readonly string[]): boolean {
  return scopes.includes(WRITE_SCOPE);
}
