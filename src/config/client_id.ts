/**
 * One `X-Plex-Client-Identifier` per installation, sent by `login` and by
 * the server alike, to plex.tv and to every Plex server: plex.tv ties the
 * tokens it issues to the identifier that asked for them (its JWT tokens
 * carry it, see the "Authenticating with Plex" section of Plex's OpenAPI
 * description), and each identifier is one device in the account's list.
 *
 * `login` generates it once and keeps it in the settings file as
 * `PLEX_CLIENT_ID` (the name plex.tv's own sign-in link gives it:
 * `app.plex.tv/auth#?clientID=…`), reusing the one already there when it
 * overwrites the file. Without the variable (settings written by hand) the
 * identifier is a one-way hash of the default server's address and token:
 * stable while they are, different between installations, and never the
 * token.
 *
 * @module
 */
import { deriveClientIdentifier } from "../plex/client.ts";

/** What a client identifier may be: 1-128 printable ASCII characters. */
export const CLIENT_ID_PATTERN: RegExp = /^[\x21-\x7e]{1,128}$/;

/** A new random identifier, `plexmcp-` and 24 hex digits. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "plexmcp-" +
    [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The installation's identifier: `configured` (`PLEX_CLIENT_ID`) when set,
 * else the hash of the default server's address and token.
 */
export async function installationClientId(
  configured: string | undefined,
  defaultServer: { url: string; token: string } | undefined,
): Promise<string | undefined> {
  if (configured) return configured;
  return defaultServer
    ? await deriveClientIdentifier(defaultServer.url, defaultServer.token)
    : undefined;
}
