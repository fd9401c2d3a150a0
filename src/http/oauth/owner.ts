/**
 * Who may approve a client: the plex.tv account that signed in on the
 * consent page must own every configured Plex server (plex.tv's
 * resources list it as `owned`, API.md §2.2), or be listed in
 * `PLEX_HTTP_OWNERS` by user name or account id. A friend a server is
 * shared with, or a Plex Home member, is refused.
 *
 * @module
 */
import type { PlexTvClient } from "../../plextv/client.ts";

/** What {@link checkApprover} needs. */
export interface ApproverCheck {
  /** plex.tv. */
  plexTv: PlexTvClient;
  /** `PLEX_HTTP_OWNERS`, lower case. */
  owners: readonly string[];
  /** Machine identifiers of every configured server. */
  serverIds(): Promise<string[]>;
}

/** The verdict on a signed-in account. */
export type ApproverVerdict =
  | { ok: true; account: string }
  | { ok: false; account: string; why: string };

/**
 * Whether the account behind `accountToken` may approve. Throws what the
 * plex.tv client throws (`PlexTvError`) when plex.tv cannot answer.
 */
export async function checkApprover(
  accountToken: string,
  check: ApproverCheck,
): Promise<ApproverVerdict> {
  const user = await check.plexTv.user(accountToken);
  const account = user.title || user.username || `account ${user.id}`;
  if (
    check.owners.includes(user.username.toLowerCase()) ||
    check.owners.includes(String(user.id))
  ) {
    return { ok: true, account };
  }
  const [ids, resources] = await Promise.all([
    check.serverIds(),
    check.plexTv.servers(accountToken),
  ]);
  const owned = new Set(
    resources.filter((r) => r.owned).map((r) => r.machineIdentifier),
  );
  const missing = ids.filter((id) => !owned.has(id));
  if (ids.length > 0 && missing.length === 0) return { ok: true, account };
  return {
    ok: false,
    account,
    why: `the Plex account ${account} does not own ${
      ids.length > 1 ? "every server" : "the server"
    } this plexmcp serves, so it cannot approve. Sign in with the owner's account, or have the owner add this account to PLEX_HTTP_OWNERS`,
  };
}
