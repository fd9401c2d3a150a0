/**
 * What every endpoint of the authorization server shares.
 *
 * @module
 */
import type { Logger } from "../../log.ts";
import type { ApproverCheck } from "./owner.ts";
import type { OAuthStore } from "./store.ts";

/** The authorization server's shared state and settings. */
export interface OAuthContext {
  /** Clients, grants, codes. */
  store: OAuthStore;
  /** The MCP endpoint's path. */
  path: string;
  /** Scopes offered. */
  scopes: readonly string[];
  /** Clock, epoch ms. */
  now(): number;
  /** Where events are logged (never a token or code). */
  logger: Logger;
  /** Who may approve, by plex.tv sign-in. */
  approver: ApproverCheck;
  /** Checks the server's own token (`PLEX_HTTP_TOKEN`); undefined when unset. */
  serverSecret: ((given: string) => Promise<boolean>) | undefined;
}

/** Whether two resource indicators name the same resource (no fragment; one trailing slash aside). */
export function sameResource(a: string, b: string): boolean {
  const norm = (v: string) => v.split("#")[0]!.replace(/\/$/, "");
  return norm(a) === norm(b);
}
