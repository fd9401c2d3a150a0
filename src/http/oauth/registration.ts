/**
 * Dynamic client registration (RFC 7591) for public clients: the metadata
 * is read with the SDK's `OAuthClientMetadataSchema`, redirect URIs must be
 * https or a loopback http address (RFC 8252 §7.3), and every client is
 * registered as public (`token_endpoint_auth_method: none`, no secret:
 * PKCE protects its codes). Registration flooding is bounded: at most
 * `registrationsPerWindow` in a window (429 after), at most `maxClients`
 * kept (the oldest never-used one makes room), and a client that obtains
 * no token within a day is removed.
 *
 * @module
 */
import { isLoopbackHost } from "../settings.ts";
import { randomSecret } from "./crypto.ts";
import { jsonAnswer, oauthError } from "./errors.ts";
import {
  type OAuthClientInformationFull,
  OAuthClientMetadataSchema,
} from "./sdk_auth.ts";
import { normalizeScopes, parseScopes } from "./scopes.ts";
import type { OAuthStore } from "./store.ts";

/** Largest registration body, bytes. */
export const MAX_REGISTRATION_BYTES = 16 * 1024;

/** Most redirect URIs one client may register. */
export const MAX_REDIRECT_URIS = 10;

/** Longest client name kept (longer ones are cut). */
export const MAX_CLIENT_NAME = 80;

/**
 * Checks one redirect URI: https anywhere, or http on a loopback address;
 * no fragment, no user info, at most 2,000 characters. Returns the
 * problem, or undefined.
 */
export function checkRedirectUri(uri: string): string | undefined {
  if (uri.length > 2000) return "is longer than 2,000 characters";
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return "is not a URL";
  }
  if (u.hash || uri.includes("#")) return "has a fragment (RFC 6749 §3.1.2)";
  if (u.username || u.password) return "carries user info";
  if (u.protocol === "https:") return undefined;
  if (u.protocol === "http:" && isLoopbackHost(u.hostname)) return undefined;
  return "must be https://, or http:// on a loopback address (127.0.0.1, [::1], localhost)";
}

/** A sliding window of recent registrations. */
export class RegistrationLimiter {
  readonly #times: number[] = [];
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  /** At most `max` registrations in `windowSeconds`. */
  constructor(max: number, windowSeconds: number, now: () => number) {
    this.#max = max;
    this.#windowMs = windowSeconds * 1000;
    this.#now = now;
  }

  /** Seconds to wait before another registration; 0 when one may go now (it is counted). */
  take(): number {
    const now = this.#now();
    while (this.#times.length && now - this.#times[0]! >= this.#windowMs) {
      this.#times.shift();
    }
    if (this.#times.length >= this.#max) {
      return Math.max(
        1,
        Math.ceil((this.#times[0]! + this.#windowMs - now) / 1000),
      );
    }
    this.#times.push(now);
    return 0;
  }
}

/** What {@link register} needs. */
export interface RegistrationContext {
  /** Where clients are kept. */
  store: OAuthStore;
  /** The registration rate limit. */
  limiter: RegistrationLimiter;
  /** Scopes this server offers. */
  supportedScopes: readonly string[];
  /** Clock, epoch ms. */
  now: () => number;
}

/** Answers `POST /oauth/register` (the body already read, at most {@link MAX_REGISTRATION_BYTES}). */
export async function register(
  body: string,
  context: RegistrationContext,
): Promise<{ response: Response; client?: OAuthClientInformationFull }> {
  const wait = context.limiter.take();
  if (wait > 0) {
    return {
      response: oauthError(
        429,
        "too_many_requests",
        `Too many client registrations: try again in ${wait} s`,
        { "Retry-After": String(wait) },
      ),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {
      response: oauthError(
        400,
        "invalid_client_metadata",
        "The body must be the client's metadata as JSON (RFC 7591)",
      ),
    };
  }
  const parsed = OAuthClientMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      response: oauthError(
        400,
        issue?.path[0] === "redirect_uris"
          ? "invalid_redirect_uri"
          : "invalid_client_metadata",
        `Invalid client metadata: ${
          issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "?"
        }`.slice(0, 300),
      ),
    };
  }
  const meta = parsed.data;
  if (meta.redirect_uris.length === 0) {
    return {
      response: oauthError(
        400,
        "invalid_redirect_uri",
        "At least one redirect URI is required",
      ),
    };
  }
  if (meta.redirect_uris.length > MAX_REDIRECT_URIS) {
    return {
      response: oauthError(
        400,
        "invalid_redirect_uri",
        `At most ${MAX_REDIRECT_URIS} redirect URIs may be registered`,
      ),
    };
  }
  for (const uri of meta.redirect_uris) {
    const problem = checkRedirectUri(uri);
    if (problem) {
      return {
        response: oauthError(
          400,
          "invalid_redirect_uri",
          `Redirect URI ${JSON.stringify(uri.slice(0, 100))} ${problem}`,
        ),
      };
    }
  }
  const grantTypes = meta.grant_types ?? ["authorization_code"];
  const badGrant = grantTypes.find((g) =>
    g !== "authorization_code" && g !== "refresh_token"
  );
  if (badGrant !== undefined) {
    return {
      response: oauthError(
        400,
        "invalid_client_metadata",
        `grant_types: only authorization_code and refresh_token are supported (got ${
          JSON.stringify(badGrant.slice(0, 40))
        })`,
      ),
    };
  }
  const responseTypes = meta.response_types ?? ["code"];
  if (responseTypes.some((r) => r !== "code")) {
    return {
      response: oauthError(
        400,
        "invalid_client_metadata",
        "response_types: only code is supported",
      ),
    };
  }
  let scope: string | undefined;
  if (meta.scope !== undefined) {
    const scopes = parseScopes(meta.scope, context.supportedScopes);
    if ("error" in scopes) {
      return {
        response: oauthError(400, "invalid_client_metadata", scopes.error),
      };
    }
    scope = normalizeScopes(scopes.scopes).join(" ");
  }
  const name = meta.client_name?.trim().slice(0, MAX_CLIENT_NAME);
  // Registered as public whatever was asked (RFC 7591 §3.2.1 lets the
  // server replace a value): no secret to keep, PKCE protects the codes.
  const client: OAuthClientInformationFull = {
    client_id: `mcp-${randomSecret(18)}`,
    client_id_issued_at: Math.floor(context.now() / 1000),
    redirect_uris: [...meta.redirect_uris],
    token_endpoint_auth_method: "none",
    grant_types: grantTypes.includes("refresh_token")
      ? grantTypes
      : [...grantTypes, "refresh_token"],
    response_types: ["code"],
    ...(name ? { client_name: name } : {}),
    ...(meta.client_uri ? { client_uri: meta.client_uri } : {}),
    ...(scope ? { scope } : {}),
    ...(meta.software_id
      ? { software_id: meta.software_id.slice(0, 100) }
      : {}),
    ...(meta.software_version
      ? { software_version: meta.software_version.slice(0, 40) }
      : {}),
  };
  if (!await context.store.addClient(client)) {
    return {
      response: oauthError(
        429,
        "too_many_requests",
        `This server keeps at most ${context.store.limits.maxClients} clients and every one is in use: revoke one before adding another`,
        { "Retry-After": "3600" },
      ),
    };
  }
  return { response: jsonAnswer(201, client), client };
}
