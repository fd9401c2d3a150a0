/**
 * The variables of OAuth mode (`PLEX_HTTP_AUTH=oauth`): the public address
 * clients use (the issuer and the resource behind a reverse proxy), the
 * state file that keeps clients and grants across restarts, and the
 * plex.tv accounts besides the server's owner that may approve a client.
 * Validated by hand like the rest of the configuration; every problem is
 * reported at once.
 *
 * @module
 */
import { ConfigError } from "../../config/config.ts";
import { isLoopbackHost } from "../settings.ts";

/** How `serve --http` authenticates clients (`PLEX_HTTP_AUTH`). */
export type HttpAuthMode = "bearer" | "oauth";

/** The OAuth-mode settings. */
export interface OAuthSettings {
  /**
   * The origin clients reach the server at (`PLEX_HTTP_PUBLIC_URL`), e.g.
   * `https://plex-mcp.example.org`, no trailing slash. Undefined: the
   * loopback address a request came to.
   */
  publicUrl: string | undefined;
  /** Where clients and grants are kept (`PLEX_HTTP_STATE`); undefined: memory only. */
  statePath: string | undefined;
  /**
   * plex.tv accounts that may approve besides the owner of every configured
   * server (`PLEX_HTTP_OWNERS`): user names (lower case) or account ids.
   */
  owners: string[];
}

/** How clients are authenticated, and the OAuth settings. */
export interface AuthSettings {
  /** `PLEX_HTTP_AUTH`. */
  auth: HttpAuthMode;
  /** Read whatever the mode (they matter in OAuth mode only). */
  oauth: OAuthSettings;
}

/**
 * Reads `PLEX_HTTP_AUTH`, `PLEX_HTTP_PUBLIC_URL`, `PLEX_HTTP_STATE` and
 * `PLEX_HTTP_OWNERS`. Throws {@link ConfigError} listing every problem.
 */
export function loadAuthSettings(
  env: Record<string, string | undefined>,
): AuthSettings {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === "" ? undefined : raw.trim();
  };
  let auth: HttpAuthMode = "bearer";
  const rawAuth = value("PLEX_HTTP_AUTH")?.toLowerCase();
  if (rawAuth === "oauth" || rawAuth === "bearer") auth = rawAuth;
  else if (rawAuth !== undefined) {
    problems.push(
      `PLEX_HTTP_AUTH must be bearer (one shared PLEX_HTTP_TOKEN, the default) or oauth (OAuth 2.1 with sign-in by the owner, for Claude custom connectors and other remote assistants) (got ${
        JSON.stringify(rawAuth.slice(0, 40))
      })`,
    );
  }

  let publicUrl: string | undefined;
  const rawUrl = value("PLEX_HTTP_PUBLIC_URL");
  if (rawUrl !== undefined) {
    const problem = (why: string) =>
      problems.push(
        `PLEX_HTTP_PUBLIC_URL ${why}, e.g. https://plex-mcp.example.org (got ${
          JSON.stringify(rawUrl.slice(0, 80))
        })`,
      );
    let u: URL | undefined;
    try {
      u = new URL(rawUrl);
    } catch { /* reported below */ }
    if (!u || (u.protocol !== "https:" && u.protocol !== "http:")) {
      problem("must be an https:// address");
    } else if (u.protocol === "http:" && !isLoopbackHost(u.hostname)) {
      problem(
        "must be https:// (OAuth sends tokens; only a loopback address may use http)",
      );
    } else if (
      u.username || u.password || u.search || u.hash ||
      (u.pathname !== "/" && u.pathname !== "")
    ) {
      problem(
        "must be the origin only, scheme://host[:port] with no path (the endpoint's path is PLEX_HTTP_PATH)",
      );
    } else publicUrl = u.origin;
  }

  const statePath = value("PLEX_HTTP_STATE");
  if (statePath !== undefined && statePath.endsWith("/")) {
    problems.push(
      `PLEX_HTTP_STATE must be a file path, e.g. /var/lib/plexmcp/oauth.json (got a directory: ${
        JSON.stringify(statePath.slice(0, 80))
      })`,
    );
  }

  const owners: string[] = [];
  for (
    const entry of (value("PLEX_HTTP_OWNERS") ?? "").split(",").map((s) =>
      s.trim()
    ).filter(Boolean)
  ) {
    // deno-lint-ignore no-control-regex
    if (entry.length > 100 || /[\x00-\x20\x7f]/.test(entry)) {
      problems.push(
        `PLEX_HTTP_OWNERS must be a comma list of plex.tv user names or account ids, e.g. alice,12345 (got ${
          JSON.stringify(entry.slice(0, 40))
        })`,
      );
      continue;
    }
    owners.push(entry.toLowerCase());
  }
  if (problems.length) throw new ConfigError(problems);
  return { auth, oauth: { publicUrl, statePath, owners } };
}
