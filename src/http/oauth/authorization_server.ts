/**
 * The authorization server of `serve --http` in OAuth mode, on
 * web-standard `Request` → `Response`: discovery (RFC 9728, RFC 8414),
 * registration (RFC 7591), the consent flow, the token endpoint,
 * revocation (RFC 7009), and the access-token check of the MCP endpoint.
 *
 * Its public origin is `PLEX_HTTP_PUBLIC_URL`; without it, the loopback
 * address a request came to (any other `Host` is refused: behind a
 * reverse proxy the public https address must be configured).
 *
 * @module
 */
import type { Logger } from "../../log.ts";
import type { PlexTvClient } from "../../plextv/client.ts";
import { rpcError, TokenCheck } from "../guard.ts";
import { isLoopbackHost } from "../settings.ts";
import { Authorizer } from "./authorize.ts";
import { checkBearer } from "./bearer.ts";
import { readLimited } from "./body.ts";
import type { OAuthContext } from "./context.ts";
import { jsonAnswer, oauthError } from "./errors.ts";
import {
  authorizationServerMetadata,
  OAUTH_PATHS,
  protectedResourceMetadata,
} from "./metadata.ts";
import {
  MAX_REGISTRATION_BYTES,
  register,
  RegistrationLimiter,
} from "./registration.ts";
import { revocationEndpoint } from "./revocation.ts";
import { supportedScopes } from "./scopes.ts";
import type { OAuthSettings } from "./settings.ts";
import { StateFile } from "./state_file.ts";
import { type Grant, type OAuthLimits, OAuthStore } from "./store.ts";
import { TOKEN_ANSWERS, tokenEndpoint } from "./token_endpoint.ts";

/** What {@link OAuthServer.open} needs. */
export interface OAuthServerOptions {
  /** `PLEX_HTTP_PUBLIC_URL`, `PLEX_HTTP_STATE`, `PLEX_HTTP_OWNERS`. */
  settings: OAuthSettings;
  /** The MCP endpoint's path. */
  path: string;
  /** The server is read-only: only `plex:read` is offered. */
  readOnly: boolean;
  /** plex.tv, for the owner's sign-in. */
  plexTv: PlexTvClient;
  /** Machine identifiers of every configured Plex server. */
  serverIds(): Promise<string[]>;
  /** `PLEX_HTTP_TOKEN`: approves on the consent page when plex.tv cannot be reached. */
  serverSecret?: string;
  /** Where events are logged. */
  logger: Logger;
  /** Clock, epoch ms (tests). */
  now?: () => number;
  /** Lifetimes and caps (tests). */
  limits?: Partial<OAuthLimits>;
}

/** The authorization server (see the module documentation). */
export class OAuthServer {
  readonly #ctx: OAuthContext;
  readonly #settings: OAuthSettings;
  readonly #authorizer: Authorizer;
  readonly #limiter: RegistrationLimiter;
  readonly #plexTv: PlexTvClient;
  readonly #serverSecret: string | undefined;
  readonly #sweeper: ReturnType<typeof setInterval>;
  readonly #ended: ((grant: Grant, why: string) => void)[] = [];
  #lastSweep = 0;

  private constructor(options: OAuthServerOptions, store: OAuthStore) {
    const now = options.now ?? (() => Date.now());
    const secret = options.serverSecret
      ? new TokenCheck(options.serverSecret)
      : undefined;
    this.#ctx = {
      store,
      path: options.path,
      scopes: supportedScopes(options.readOnly),
      now,
      logger: options.logger,
      approver: {
        plexTv: options.plexTv,
        owners: options.settings.owners,
        serverIds: options.serverIds,
      },
      serverSecret: secret ? (given) => secret.matches(given) : undefined,
    };
    this.#settings = options.settings;
    this.#plexTv = options.plexTv;
    this.#serverSecret = options.serverSecret;
    this.#authorizer = new Authorizer(this.#ctx);
    this.#limiter = new RegistrationLimiter(
      store.limits.registrationsPerWindow,
      store.limits.registrationWindowSeconds,
      now,
    );
    store.onGrantEnded = (grant, why) => {
      options.logger.info(
        `OAuth: a grant of client ${grant.clientId} ended: ${why}`,
      );
      for (const f of this.#ended) f(grant, why);
    };
    this.#lastSweep = now();
    this.#sweeper = setInterval(() => this.#sweep(true), 60_000);
    Deno.unrefTimer(this.#sweeper as unknown as number);
  }

  /** Drops what expired (at most every 5 s unless `now`); saves when anything did. */
  #sweep(force = false): void {
    const now = this.#ctx.now();
    if (!force && now - this.#lastSweep < 5_000) return;
    this.#lastSweep = now;
    if (this.#ctx.store.sweep()) {
      this.#ctx.store.persist().catch((error) =>
        this.#ctx.logger.error(`OAuth: ${(error as Error).message}`)
      );
    }
  }

  /**
   * Opens the server: loads the state file when one is configured. Throws
   * `StateFileError` when it cannot be used (nothing is overwritten).
   */
  static async open(options: OAuthServerOptions): Promise<OAuthServer> {
    const store = await OAuthStore.open({
      file: options.settings.statePath
        ? new StateFile(options.settings.statePath)
        : undefined,
      now: options.now,
      limits: options.limits,
    });
    return new OAuthServer(options, store);
  }

  /** The store (tests and diagnostics). */
  get store(): OAuthStore {
    return this.#ctx.store;
  }

  /** Scopes offered. */
  get scopes(): readonly string[] {
    return this.#ctx.scopes;
  }

  /** Calls `listener` whenever a grant ends (its sessions should end too). */
  onGrantEnded(listener: (grant: Grant, why: string) => void): void {
    this.#ended.push(listener);
  }

  /** Secrets to keep out of logs and answers: plex.tv account tokens seen at sign-in, the server's token. */
  secrets(): readonly string[] {
    const seen = this.#plexTv.secrets();
    return this.#serverSecret ? [...seen, this.#serverSecret] : seen;
  }

  /** Whether an answer carries new tokens on purpose (the token endpoint's). */
  carriesCredentials(response: Response): boolean {
    return TOKEN_ANSWERS.has(response);
  }

  /** The public origin for a request, or the answer saying it is unknown. */
  base(req: Request): string | Response {
    if (this.#settings.publicUrl) return this.#settings.publicUrl;
    const url = new URL(req.url);
    const host = req.headers.get("host") ?? url.host;
    const hostname = host.replace(/:\d+$/, "");
    if (isLoopbackHost(hostname)) return `http://${host}`;
    return oauthError(
      421,
      "invalid_request",
      `This server was reached as ${
        JSON.stringify(host.slice(0, 60))
      }, but OAuth needs its public https address: set PLEX_HTTP_PUBLIC_URL (e.g. https://plex-mcp.example.org)`,
    );
  }

  /** Whether `path` is one of the authorization server's. */
  handles(path: string): boolean {
    return path === OAUTH_PATHS.authorizationServer ||
      path === OAUTH_PATHS.protectedResource ||
      path.startsWith(`${OAUTH_PATHS.protectedResource}/`) ||
      path.startsWith("/oauth/");
  }

  /** Answers a request to one of its paths (see {@link handles}). */
  async handle(req: Request): Promise<Response> {
    this.#sweep();
    const path = new URL(req.url).pathname;
    if (req.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          Allow: "GET, POST, OPTIONS",
          "Access-Control-Allow-Methods": "GET, POST",
          "Access-Control-Allow-Headers":
            "Authorization, Content-Type, Mcp-Protocol-Version",
          "Access-Control-Max-Age": "600",
        },
      });
    }
    const base = this.base(req);
    if (base instanceof Response) return base;
    const only = (method: string) =>
      req.method === method ? undefined : oauthError(
        405,
        "invalid_request",
        `Use ${method} for ${path}`,
        { Allow: `${method}, OPTIONS` },
      );
    const ctx = this.#ctx;
    if (path === OAUTH_PATHS.authorizationServer) {
      return only("GET") ??
        jsonAnswer(200, authorizationServerMetadata(base, ctx.scopes));
    }
    if (
      path === OAUTH_PATHS.protectedResource ||
      path === `${OAUTH_PATHS.protectedResource}${ctx.path}`
    ) {
      return only("GET") ??
        jsonAnswer(
          200,
          protectedResourceMetadata(base, ctx.path, ctx.scopes),
        );
    }
    switch (path) {
      case OAUTH_PATHS.authorize:
        return only("GET") ?? await this.#authorizer.authorize(req, base);
      case OAUTH_PATHS.consent:
        return only("POST") ?? await this.#authorizer.consent(req);
      case OAUTH_PATHS.plexReturn:
        return only("GET") ?? await this.#authorizer.plexReturn(req);
      case OAUTH_PATHS.token:
        return only("POST") ?? await tokenEndpoint(req, ctx);
      case OAUTH_PATHS.revoke:
        return only("POST") ?? await revocationEndpoint(req, ctx);
      case OAUTH_PATHS.register: {
        const wrong = only("POST");
        if (wrong) return wrong;
        const body = await readLimited(req, MAX_REGISTRATION_BYTES);
        if (body === undefined) {
          return oauthError(
            413,
            "invalid_client_metadata",
            `Client metadata may be at most ${MAX_REGISTRATION_BYTES} bytes`,
          );
        }
        const { response, client } = await register(body, {
          store: ctx.store,
          limiter: this.#limiter,
          supportedScopes: ctx.scopes,
          now: ctx.now,
        });
        if (client) {
          ctx.logger.info(
            `OAuth: client ${client.client_id}${
              client.client_name
                ? ` (${JSON.stringify(client.client_name)})`
                : ""
            } registered (${ctx.store.clientCount} now)`,
          );
        } else if (response.status === 429) {
          ctx.logger.warn("OAuth: a client registration was refused: too many");
        }
        return response;
      }
    }
    return oauthError(404, "invalid_request", `No OAuth endpoint at ${path}`);
  }

  /** The grant behind an MCP request's access token, or the 401 answer. */
  async authenticate(req: Request): Promise<Grant | Response> {
    this.#sweep();
    const base = this.base(req);
    if (base instanceof Response) {
      return rpcError(
        401,
        -32001,
        "Unauthorized: OAuth needs this server's public https address: set PLEX_HTTP_PUBLIC_URL",
      );
    }
    return await checkBearer(req, this.#ctx, base);
  }

  /** Stops the sweeper. */
  close(): void {
    clearInterval(this.#sweeper);
  }
}
