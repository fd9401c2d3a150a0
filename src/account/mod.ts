/**
 * The plex.tv account a Plex server client acts for (watchlist, Plex Home,
 * friends, sharing). It sits above both clients: the server client says
 * which account and how to reach plex.tv ({@link PlexClient.plexTvAccess}),
 * the plex.tv client does the calls.
 *
 * @module
 */
import type { PlexClient } from "../plex/client.ts";
import type { PlexTvAccountApi } from "../plextv/models.ts";

/**
 * Why the plex.tv tools cannot run for a server shared with the account
 * when no account token is configured, and how to fix it.
 */
const NO_ACCOUNT_TOKEN =
  "This server is shared with you, and plex.tv (watchlist, Plex Home, sharing) refuses a shared server's own token: it needs your plex.tv account's token. Run `plexmcp login` again, which keeps it in the settings file as PLEX_ACCOUNT_TOKEN, or set PLEX_ACCOUNT_TOKEN yourself";

const accounts = new WeakMap<PlexClient, Promise<PlexTvAccountApi>>();

/**
 * The plex.tv account `client` acts for, made once per client. Rejects
 * with how to get an account token when the server has none.
 */
export function accountOf(client: PlexClient): Promise<PlexTvAccountApi> {
  let account = accounts.get(client);
  if (!account) {
    account = open(client);
    accounts.set(client, account);
  }
  return account;
}

async function open(client: PlexClient): Promise<PlexTvAccountApi> {
  const access = client.plexTvAccess();
  // The plex.tv modules load with the first plex.tv call, not at start-up.
  if (!access) {
    const { PlexTvError } = await import("../plextv/client.ts");
    throw new PlexTvError(NO_ACCOUNT_TOKEN, "unauthorized");
  }
  const { PlexAccountApi } = await import("../plextv/account.ts");
  return new PlexAccountApi({
    ...access,
    clientIdentifier: await access.clientIdentifier(),
  });
}
