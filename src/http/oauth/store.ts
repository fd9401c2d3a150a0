/**
 * What the authorization server remembers: registered clients, grants
 * (one per approval: its scopes, the resource it is bound to, its access
 * tokens and its current refresh token) and authorization codes. Only the
 * SHA-256 of a token or code is kept, never the value. Clients and grants
 * go to the state file after every change when there is one; codes live
 * a minute and only in memory.
 *
 * Refresh tokens rotate: each use gives a new one and spends the old. A
 * spent one used again means it was copied: the whole grant is revoked
 * (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
 *
 * @module
 */
import { randomSecret, sha256 } from "./crypto.ts";
import {
  type OAuthClientInformationFull,
  OAuthClientInformationFullSchema,
} from "./sdk_auth.ts";
import { type StateFile, StateFileError } from "./state_file.ts";

/** Lifetimes and caps. */
export interface OAuthLimits {
  /** Lifetime of an access token, seconds. */
  accessTokenSeconds: number;
  /** A refresh token unused this long expires, seconds. */
  refreshTokenSeconds: number;
  /** Lifetime of an authorization code, seconds. */
  codeSeconds: number;
  /** Lifetime of a consent page (an authorization request), seconds. */
  requestSeconds: number;
  /** Most registered clients. */
  maxClients: number;
  /** Most registrations in one window. */
  registrationsPerWindow: number;
  /** The registration window, seconds. */
  registrationWindowSeconds: number;
  /** A client that obtained no token within this long is removed, seconds. */
  unusedClientSeconds: number;
  /** A client without a grant, unused this long, is removed, seconds. */
  idleClientSeconds: number;
  /** Most grants kept (the oldest goes first). */
  maxGrants: number;
  /** Most consent pages open at once. */
  maxRequests: number;
}

/** The defaults (README "OAuth"). */
export const DEFAULT_LIMITS: Readonly<OAuthLimits> = {
  accessTokenSeconds: 3600,
  refreshTokenSeconds: 30 * 86_400,
  codeSeconds: 60,
  requestSeconds: 900,
  maxClients: 100,
  registrationsPerWindow: 10,
  registrationWindowSeconds: 600,
  unusedClientSeconds: 86_400,
  idleClientSeconds: 90 * 86_400,
  maxGrants: 500,
  maxRequests: 50,
};

/** A registered client. */
export interface StoredClient {
  /** What it registered, as answered (RFC 7591). */
  info: OAuthClientInformationFull;
  /** When it registered, epoch ms. */
  registeredAt: number;
  /** When it last obtained a token, epoch ms. */
  lastUsedAt: number | undefined;
}

/** One approval and the tokens it issued. */
export interface Grant {
  /** Random id (not a secret). */
  id: string;
  /** The client it was approved for. */
  clientId: string;
  /** Granted scopes. */
  scopes: string[];
  /** The resource (RFC 8707) its tokens are bound to: the MCP endpoint's URL. */
  resource: string;
  /** Who approved it (a plex.tv account, or the server's token). */
  approvedBy: string;
  /** When it was approved, epoch ms. */
  createdAt: number;
  /** The current refresh token's hash and expiry. */
  refresh: { hash: string; expiresAt: number } | undefined;
  /** Hashes of spent refresh tokens (their reuse revokes the grant). */
  spent: string[];
  /** Live access tokens' hashes and expiries. */
  access: { hash: string; expiresAt: number }[];
}

/** An authorization code's request, as approved. */
export interface CodeGrant {
  /** The client it was issued to. */
  clientId: string;
  /** The redirect URI it was sent to. */
  redirectUri: string;
  /** Whether the request named `redirect_uri` (then the token request must). */
  redirectUriGiven: boolean;
  /** The S256 challenge. */
  challenge: string;
  /** Granted scopes. */
  scopes: string[];
  /** The resource its tokens will be bound to. */
  resource: string;
  /** Who approved it. */
  approvedBy: string;
}

interface StoredCode extends CodeGrant {
  expiresAt: number;
  used: boolean;
  /** The grant made from it, once redeemed. */
  grantId?: string;
}

/** Tokens just issued (the only time their values exist). */
export interface IssuedTokens {
  /** The grant. */
  grant: Grant;
  /** Access token. */
  accessToken: string;
  /** Refresh token. */
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** Why a refresh was refused (`refused`: the caller's check said no). */
export type RefreshRefusal =
  | "unknown"
  | "expired"
  | "client"
  | "reused"
  | "refused";

/** What the state file holds. */
interface StateData {
  version: 1;
  clients: StoredClient[];
  grants: Grant[];
}

const SPENT_KEPT = 20;

function isGrant(g: unknown): g is Grant {
  if (!g || typeof g !== "object") return false;
  const o = g as Record<string, unknown>;
  const str = (v: unknown) => typeof v === "string" && v.length > 0;
  const token = (v: unknown) =>
    !!v && typeof v === "object" &&
    str((v as Record<string, unknown>).hash) &&
    typeof (v as Record<string, unknown>).expiresAt === "number";
  return str(o.id) && str(o.clientId) && str(o.resource) &&
    Array.isArray(o.scopes) && o.scopes.every((s) => typeof s === "string") &&
    typeof o.createdAt === "number" &&
    (o.refresh === undefined || o.refresh === null || token(o.refresh)) &&
    Array.isArray(o.spent) && o.spent.every(str) &&
    Array.isArray(o.access) && o.access.every(token);
}

/** Clients, grants and codes (see the module documentation). */
export class OAuthStore {
  readonly limits: OAuthLimits;
  readonly #file: StateFile | undefined;
  readonly #now: () => number;
  readonly #clients = new Map<string, StoredClient>();
  readonly #grants = new Map<string, Grant>();
  /** Access token hash → grant id. */
  readonly #access = new Map<string, string>();
  /** Refresh token hash (current or spent) → grant id. */
  readonly #refresh = new Map<string, string>();
  /** Code hash → code. */
  readonly #codes = new Map<string, StoredCode>();
  /** Called when a grant ends (revoked, reused, expired). */
  onGrantEnded: (grant: Grant, why: string) => void = () => {};

  /** An empty store; {@link open} loads one from a state file. */
  constructor(
    options: {
      file?: StateFile;
      now?: () => number;
      limits?: Partial<OAuthLimits>;
    } = {},
  ) {
    this.#file = options.file;
    this.#now = options.now ?? (() => Date.now());
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** A store with what `file` holds (none: empty, memory only). */
  static async open(
    options: {
      file?: StateFile;
      now?: () => number;
      limits?: Partial<OAuthLimits>;
    } = {},
  ): Promise<OAuthStore> {
    const store = new OAuthStore(options);
    const data = await options.file?.load();
    if (data !== undefined) store.#restore(data, options.file!.path);
    store.sweep();
    return store;
  }

  #restore(data: unknown, path: string): void {
    const o = data as Partial<StateData> | null;
    if (
      !o || typeof o !== "object" || o.version !== 1 ||
      !Array.isArray(o.clients) || !Array.isArray(o.grants)
    ) {
      throw new StateFileError(
        `PLEX_HTTP_STATE ${path} is not a plexmcp OAuth state file (version 1): it was left as it is. Move it away (clients will sign in again)`,
      );
    }
    for (const c of o.clients) {
      const info = OAuthClientInformationFullSchema.safeParse(c?.info);
      if (!info.success || typeof c.registeredAt !== "number") continue;
      this.#clients.set(info.data.client_id, {
        info: info.data,
        registeredAt: c.registeredAt,
        lastUsedAt: typeof c.lastUsedAt === "number" ? c.lastUsedAt : undefined,
      });
    }
    for (const g of o.grants) {
      if (!isGrant(g) || !this.#clients.has(g.clientId)) continue;
      const grant: Grant = {
        ...g,
        refresh: g.refresh ?? undefined,
        approvedBy: typeof g.approvedBy === "string" ? g.approvedBy : "",
      };
      this.#index(grant);
    }
  }

  #index(grant: Grant): void {
    this.#grants.set(grant.id, grant);
    for (const a of grant.access) this.#access.set(a.hash, grant.id);
    if (grant.refresh) this.#refresh.set(grant.refresh.hash, grant.id);
    for (const h of grant.spent) this.#refresh.set(h, grant.id);
  }

  async #save(): Promise<void> {
    if (!this.#file) return;
    const data: StateData = {
      version: 1,
      clients: [...this.#clients.values()],
      grants: [...this.#grants.values()],
    };
    await this.#file.save(data);
  }

  /** Registered clients now. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Grants now. */
  get grantCount(): number {
    return this.#grants.size;
  }

  /** A registered client. */
  client(id: string): StoredClient | undefined {
    return this.#clients.get(id);
  }

  /** A grant by id. */
  grant(id: string): Grant | undefined {
    return this.#grants.get(id);
  }

  /**
   * Keeps a new client. At the cap, the oldest client that never obtained
   * a token makes room; false when every client has (nothing is evicted).
   */
  async addClient(info: OAuthClientInformationFull): Promise<boolean> {
    this.sweep();
    if (this.#clients.size >= this.limits.maxClients) {
      const unused = [...this.#clients.values()]
        .filter((c) => c.lastUsedAt === undefined)
        .sort((a, b) => a.registeredAt - b.registeredAt)[0];
      if (!unused) return false;
      this.#clients.delete(unused.info.client_id);
    }
    this.#clients.set(info.client_id, {
      info,
      registeredAt: this.#now(),
      lastUsedAt: undefined,
    });
    await this.#save();
    return true;
  }

  /** Issues an authorization code for an approved request. */
  async createCode(grant: CodeGrant): Promise<string> {
    this.#sweepCodes();
    const code = randomSecret();
    this.#codes.set(await sha256(code), {
      ...grant,
      expiresAt: this.#now() + this.limits.codeSeconds * 1000,
      used: false,
    });
    return code;
  }

  /**
   * Takes a code: the first time, its request (the code is spent at once,
   * whatever happens next); a second time, `reused` (the grant made from
   * it is revoked); expired or unknown, undefined.
   */
  async takeCode(
    code: string,
  ): Promise<
    { code: CodeGrant; accept(grantId: string): void } | "reused" | undefined
  > {
    const stored = this.#codes.get(await sha256(code));
    if (!stored) return undefined;
    if (stored.used) {
      if (stored.grantId) {
        await this.revokeGrant(stored.grantId, "authorization code used twice");
      }
      return "reused";
    }
    stored.used = true;
    if (this.#now() > stored.expiresAt) return undefined;
    return {
      code: stored,
      accept: (grantId) => {
        stored.grantId = grantId;
      },
    };
  }

  /** Makes a grant from an approved code and issues its first tokens. */
  async issue(code: CodeGrant): Promise<IssuedTokens> {
    const grant: Grant = {
      id: randomSecret(12),
      clientId: code.clientId,
      scopes: [...code.scopes],
      resource: code.resource,
      approvedBy: code.approvedBy,
      createdAt: this.#now(),
      refresh: undefined,
      spent: [],
      access: [],
    };
    this.#grants.set(grant.id, grant);
    while (this.#grants.size > this.limits.maxGrants) {
      const oldest = [...this.#grants.values()].sort((a, b) =>
        a.createdAt - b.createdAt
      )[0]!;
      this.#drop(oldest, "too many grants: the oldest went");
    }
    return await this.#mint(grant);
  }

  async #mint(grant: Grant): Promise<IssuedTokens> {
    const now = this.#now();
    const accessToken = randomSecret();
    const refreshToken = randomSecret();
    const access = {
      hash: await sha256(accessToken),
      expiresAt: now + this.limits.accessTokenSeconds * 1000,
    };
    const refresh = {
      hash: await sha256(refreshToken),
      expiresAt: now + this.limits.refreshTokenSeconds * 1000,
    };
    if (grant.refresh) {
      grant.spent = [...grant.spent, grant.refresh.hash].slice(-SPENT_KEPT);
    }
    grant.refresh = refresh;
    grant.access = [...grant.access.filter((a) => a.expiresAt > now), access];
    this.#reindex(grant);
    const client = this.#clients.get(grant.clientId);
    if (client) client.lastUsedAt = now;
    await this.#save();
    return {
      grant,
      accessToken,
      refreshToken,
      expiresIn: this.limits.accessTokenSeconds,
    };
  }

  #reindex(grant: Grant): void {
    for (const [h, id] of this.#access) {
      if (id === grant.id) this.#access.delete(h);
    }
    for (const [h, id] of this.#refresh) {
      if (id === grant.id) this.#refresh.delete(h);
    }
    this.#index(grant);
  }

  /**
   * Rotates a refresh token: new access and refresh tokens, the old one
   * spent. A spent one presented again revokes its grant (`reused`).
   * `accept` sees the grant before anything changes; false refuses
   * (`refused`) and leaves the token as it was.
   */
  async refresh(
    token: string,
    clientId: string,
    accept: (grant: Grant) => boolean = () => true,
  ): Promise<IssuedTokens | RefreshRefusal> {
    const hash = await sha256(token);
    const id = this.#refresh.get(hash);
    const grant = id === undefined ? undefined : this.#grants.get(id);
    if (!grant) return "unknown";
    if (grant.clientId !== clientId) return "client";
    if (grant.refresh?.hash !== hash) {
      await this.revokeGrant(grant.id, "a spent refresh token was used again");
      return "reused";
    }
    if (this.#now() > grant.refresh.expiresAt) {
      await this.revokeGrant(grant.id, "its refresh token expired");
      return "expired";
    }
    if (!accept(grant)) return "refused";
    return await this.#mint(grant);
  }

  /** The grant behind a live access token; undefined otherwise. */
  async verifyAccess(token: string): Promise<Grant | undefined> {
    const hash = await sha256(token);
    const id = this.#access.get(hash);
    const grant = id === undefined ? undefined : this.#grants.get(id);
    const entry = grant?.access.find((a) => a.hash === hash);
    if (!grant || !entry || this.#now() > entry.expiresAt) return undefined;
    return grant;
  }

  /**
   * Revokes a token (RFC 7009) issued to `clientId`: a refresh token ends
   * its grant, an access token only itself. Returns what happened.
   */
  async revokeToken(
    token: string,
    clientId: string,
  ): Promise<"grant" | "access" | "none"> {
    const hash = await sha256(token);
    const refreshOf = this.#refresh.get(hash);
    if (refreshOf !== undefined) {
      const grant = this.#grants.get(refreshOf);
      if (!grant || grant.clientId !== clientId) return "none";
      await this.revokeGrant(grant.id, "revoked by the client");
      return "grant";
    }
    const accessOf = this.#access.get(hash);
    const grant = accessOf === undefined
      ? undefined
      : this.#grants.get(accessOf);
    if (!grant || grant.clientId !== clientId) return "none";
    grant.access = grant.access.filter((a) => a.hash !== hash);
    this.#access.delete(hash);
    await this.#save();
    return "access";
  }

  /** Ends a grant: every token it issued stops working at once. */
  async revokeGrant(id: string, why: string): Promise<void> {
    const grant = this.#grants.get(id);
    if (!grant) return;
    this.#drop(grant, why);
    await this.#save();
  }

  #drop(grant: Grant, why: string): void {
    this.#grants.delete(grant.id);
    for (const a of grant.access) this.#access.delete(a.hash);
    if (grant.refresh) this.#refresh.delete(grant.refresh.hash);
    for (const h of grant.spent) this.#refresh.delete(h);
    this.onGrantEnded(grant, why);
  }

  #sweepCodes(): void {
    const now = this.#now();
    for (const [h, c] of this.#codes) {
      // Spent codes are kept until they would have expired, to detect reuse.
      if (now > c.expiresAt + this.limits.codeSeconds * 1000) {
        this.#codes.delete(h);
      }
    }
  }

  /**
   * Drops what has expired: codes, access tokens, grants whose refresh
   * token expired, clients that never obtained a token in time, and
   * clients without a grant unused for long. Returns whether anything
   * kept in the state file changed ({@link persist} saves it).
   */
  sweep(): boolean {
    const now = this.#now();
    this.#sweepCodes();
    let changed = false;
    for (const grant of [...this.#grants.values()]) {
      if (!grant.refresh || now > grant.refresh.expiresAt) {
        this.#drop(grant, "its refresh token expired");
        changed = true;
        continue;
      }
      const live = grant.access.filter((a) => a.expiresAt > now);
      if (live.length !== grant.access.length) {
        for (const a of grant.access) {
          if (a.expiresAt <= now) this.#access.delete(a.hash);
        }
        grant.access = live;
        changed = true;
      }
    }
    const granted = new Set([...this.#grants.values()].map((g) => g.clientId));
    for (const [id, c] of this.#clients) {
      const unused = c.lastUsedAt === undefined &&
        now - c.registeredAt > this.limits.unusedClientSeconds * 1000;
      const idle = !granted.has(id) &&
        now - (c.lastUsedAt ?? c.registeredAt) >
          this.limits.idleClientSeconds * 1000;
      if (unused || idle) {
        this.#clients.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  /** Writes the state file now (when there is one). */
  persist(): Promise<void> {
    return this.#save();
  }
}
