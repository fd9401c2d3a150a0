/**
 * The authorization endpoint and the owner's consent (OAuth 2.1 §4.1).
 *
 * `GET /oauth/authorize` checks the client and its redirect URI first:
 * an unknown client or a redirect URI it did not register gets an error
 * page, never a redirect (no open redirect). Every other problem (not
 * `code`, PKCE missing or not S256, an unknown scope, another resource) is
 * sent back to the registered redirect URI with `state`. A good request
 * gets the consent page, bound to this browser by a cookie and to its form
 * by a CSRF token.
 *
 * The owner approves by signing in with Plex (`POST /oauth/consent` makes
 * a PIN and sends the browser to plex.tv, which sends it back to
 * `/oauth/plex`; the account must pass {@link checkApprover}), or with the
 * server's token where plex.tv cannot be reached. Approval sends the
 * browser back to the client with a single-use code, `state` and `iss`.
 *
 * @module
 */
import { PlexTvError } from "../../plextv/client.ts";
import { readForm } from "./body.ts";
import {
  BROWSER_COOKIE,
  browserCookie,
  cookieOf,
  htmlAnswer,
  PLEX_SIGN_IN_ORIGIN,
  renderConsent,
  renderMessage,
} from "./consent_page.ts";
import { type OAuthContext, sameResource } from "./context.ts";
import { randomSecret, sameSecret, sha256 } from "./crypto.ts";
import { OAUTH_PATHS } from "./metadata.ts";
import { checkApprover } from "./owner.ts";
import { checkChallenge } from "./pkce.ts";
import { normalizeScopes, parseScopes, READ_SCOPE } from "./scopes.ts";

/** Longest `state` passed through. */
export const MAX_STATE_CHARS = 1024;

/** Largest consent form body, bytes. */
const MAX_FORM_BYTES = 8 * 1024;

/** Failed attempts at the server's token before a pause. */
export const MAX_SECRET_FAILURES = 5;

/** The pause after too many failed attempts, seconds. */
export const SECRET_PAUSE_SECONDS = 900;

/** One authorization request waiting for the owner. */
interface Pending {
  id: string;
  clientId: string;
  clientName: string | undefined;
  redirectUri: string;
  redirectUriGiven: boolean;
  state: string | undefined;
  challenge: string;
  scopes: string[];
  resource: string;
  issuer: string;
  secure: boolean;
  csrf: string;
  /** SHA-256 of the browser cookie it is bound to. */
  browser: string;
  expiresAt: number;
  /** The scopes the owner chose (set when they act). */
  granted?: string[];
  /** The plex.tv PIN of a sign-in under way. */
  pinId?: number;
}

function redirectTo(
  location: string,
  status: 302 | 303,
): Response {
  return new Response(null, {
    status,
    headers: {
      Location: location,
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}

/** The client's redirect URI with `params` added. */
function withParams(uri: string, params: Record<string, string | undefined>) {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) u.searchParams.set(k, v);
  }
  return u.href;
}

function originOf(uri: string): string {
  try {
    return new URL(uri).origin;
  } catch {
    return "";
  }
}

/** The consent flow (see the module documentation). */
export class Authorizer {
  readonly #ctx: OAuthContext;
  readonly #pending = new Map<string, Pending>();
  #failures: number[] = [];

  /** Creates the flow over the shared context. */
  constructor(context: OAuthContext) {
    this.#ctx = context;
  }

  /** Consent pages open now. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  #sweep(): void {
    const now = this.#ctx.now();
    for (const [id, p] of this.#pending) {
      if (now > p.expiresAt) this.#pending.delete(id);
    }
  }

  #page(status: number, title: string, text: string): Response {
    return htmlAnswer(status, (nonce) => renderMessage(title, text, nonce));
  }

  #consentPage(
    status: number,
    p: Pending,
    extra: { error?: string; notice?: string; cookie?: string } = {},
  ): Response {
    const client = this.#ctx.store.client(p.clientId);
    return htmlAnswer(status, (nonce) =>
      renderConsent({
        clientName: client?.info.client_name ?? p.clientName,
        clientId: p.clientId,
        redirectUri: p.redirectUri,
        scopes: p.scopes,
        requestId: p.id,
        csrf: p.csrf,
        tokenApproval: this.#ctx.serverSecret !== undefined,
        error: extra.error,
        notice: extra.notice,
      }, nonce), {
      formTargets: [PLEX_SIGN_IN_ORIGIN, originOf(p.redirectUri)],
      headers: extra.cookie ? { "Set-Cookie": extra.cookie } : {},
    });
  }

  /** The error answer sent to the client's redirect URI. */
  #errorRedirect(
    p: { redirectUri: string; state: string | undefined; issuer: string },
    error: string,
    description: string,
    status: 302 | 303,
  ): Response {
    return redirectTo(
      withParams(p.redirectUri, {
        error,
        error_description: description,
        state: p.state,
        iss: p.issuer,
      }),
      status,
    );
  }

  /** `GET /oauth/authorize`: checks the request, shows the consent page. */
  async authorize(req: Request, base: string): Promise<Response> {
    this.#sweep();
    const q = new URL(req.url).searchParams;
    const clientId = q.get("client_id");
    const client = clientId ? this.#ctx.store.client(clientId) : undefined;
    if (!clientId || !client) {
      return this.#page(
        400,
        "Unknown client",
        clientId
          ? "This server does not know the client that sent you here (it may have expired). Start again from your assistant; it registers itself anew."
          : "The request names no client (client_id).",
      );
    }
    const asked = q.get("redirect_uri");
    const registered = client.info.redirect_uris;
    let redirectUri: string;
    if (asked !== null) {
      // Exact match only: no prefix, no port or path leeway.
      if (!registered.includes(asked)) {
        this.#ctx.logger.warn(
          `OAuth: an authorization request for client ${clientId} named a redirect URI it did not register: refused`,
        );
        return this.#page(
          400,
          "Unregistered redirect address",
          "The address this request would send you back to is not one the client registered, so nothing was sent there. If you did not start this from your assistant, close this page.",
        );
      }
      redirectUri = asked;
    } else if (registered.length === 1) {
      redirectUri = registered[0]!;
    } else {
      return this.#page(
        400,
        "No redirect address",
        "The client registered several addresses and the request names none (redirect_uri).",
      );
    }

    const state = q.get("state") ?? undefined;
    const back = { redirectUri, state, issuer: base };
    if (state !== undefined && state.length > MAX_STATE_CHARS) {
      return this.#errorRedirect(
        { ...back, state: undefined },
        "invalid_request",
        `state is longer than ${MAX_STATE_CHARS} characters`,
        302,
      );
    }
    if (q.get("response_type") !== "code") {
      return this.#errorRedirect(
        back,
        "unsupported_response_type",
        "response_type must be code",
        302,
      );
    }
    const pkce = checkChallenge(
      q.get("code_challenge"),
      q.get("code_challenge_method"),
    );
    if (pkce) {
      return this.#errorRedirect(back, "invalid_request", pkce, 302);
    }
    const scopes = parseScopes(
      q.get("scope") ?? client.info.scope,
      this.#ctx.scopes,
    );
    if ("error" in scopes) {
      return this.#errorRedirect(back, "invalid_scope", scopes.error, 302);
    }
    const ours = `${base}${this.#ctx.path}`;
    const resource = q.get("resource");
    if (resource !== null && !sameResource(resource, ours)) {
      return this.#errorRedirect(
        back,
        "invalid_target",
        `This server is the resource ${ours}; it cannot issue tokens for another`,
        302,
      );
    }

    let cookie = cookieOf(req, BROWSER_COOKIE);
    if (!cookie || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) cookie = randomSecret();
    while (this.#pending.size >= this.#ctx.store.limits.maxRequests) {
      const oldest = [...this.#pending.values()].sort((a, b) =>
        a.expiresAt - b.expiresAt
      )[0]!;
      this.#pending.delete(oldest.id);
    }
    const lifetime = this.#ctx.store.limits.requestSeconds;
    const p: Pending = {
      id: randomSecret(18),
      clientId,
      clientName: client.info.client_name,
      redirectUri,
      redirectUriGiven: asked !== null,
      state,
      challenge: q.get("code_challenge")!,
      scopes: scopes.scopes,
      resource: ours,
      issuer: base,
      secure: base.startsWith("https:"),
      csrf: randomSecret(),
      browser: await sha256(cookie),
      expiresAt: this.#ctx.now() + lifetime * 1000,
    };
    this.#pending.set(p.id, p);
    return this.#consentPage(200, p, {
      cookie: browserCookie(cookie, p.secure, lifetime),
    });
  }

  /** The pending request a form or return names, if this browser opened it. */
  async #bound(
    req: Request,
    id: string | null,
  ): Promise<Pending | Response> {
    this.#sweep();
    const p = id ? this.#pending.get(id) : undefined;
    if (!p) {
      return this.#page(
        400,
        "This approval page expired",
        "It was open too long, or was already used. Start again from your assistant.",
      );
    }
    const cookie = cookieOf(req, BROWSER_COOKIE);
    if (!cookie || !await sameSecret(await sha256(cookie), p.browser)) {
      this.#ctx.logger.warn(
        "OAuth: a consent answer came from a browser that did not open the page (cross-site request?): refused",
      );
      return this.#page(
        403,
        "Not from this browser",
        "This answer did not come from the browser this approval page was shown in, so it was refused. Start again from your assistant.",
      );
    }
    return p;
  }

  /** `POST /oauth/consent`: the owner's decision. */
  async consent(req: Request): Promise<Response> {
    const form = await readForm(req, MAX_FORM_BYTES);
    if (form instanceof Response) {
      return this.#page(400, "Bad form", "The form could not be read.");
    }
    const p = await this.#bound(req, form.get("request"));
    if (p instanceof Response) return p;
    if (!await sameSecret(form.get("csrf") ?? "", p.csrf)) {
      this.#ctx.logger.warn(
        "OAuth: a consent form without its CSRF token: refused",
      );
      return this.#page(
        403,
        "Form refused",
        "This form did not come from the approval page this server showed you, so it was refused. Start again from your assistant.",
      );
    }
    const action = form.get("action");
    if (action === "deny") {
      this.#pending.delete(p.id);
      this.#ctx.logger.info(
        `OAuth: the owner denied client ${p.clientId}`,
      );
      return this.#errorRedirect(
        p,
        "access_denied",
        "The owner denied the request",
        303,
      );
    }
    if (action === "plex" || action === "secret") {
      p.granted = form.get("write") === "1"
        ? p.scopes
        : p.scopes.filter((s) => s === READ_SCOPE);
    }
    if (action === "plex") return await this.#startPlex(p);
    if (action === "plex-check") return await this.#finishPlex(p, 303);
    if (action === "secret") return await this.#withSecret(p, form);
    return this.#consentPage(400, p, { error: "Choose approve or deny." });
  }

  async #startPlex(p: Pending): Promise<Response> {
    try {
      const pin = await this.#ctx.approver.plexTv.createPin();
      p.pinId = pin.id;
      const back = `${p.issuer}${OAUTH_PATHS.plexReturn}?request=${
        encodeURIComponent(p.id)
      }`;
      const url = `${this.#ctx.approver.plexTv.authUrl(pin)}&forwardUrl=${
        encodeURIComponent(back)
      }`;
      return redirectTo(url, 303);
    } catch (error) {
      if (!(error instanceof PlexTvError)) throw error;
      this.#ctx.logger.warn(
        `OAuth: sign-in with Plex failed: ${error.message}`,
      );
      return this.#consentPage(502, p, {
        error: `Could not start the sign-in with Plex: ${error.message}.${
          this.#ctx.serverSecret
            ? " You can approve with the server's token instead (below)."
            : ""
        }`,
      });
    }
  }

  /** `GET /oauth/plex`: back from plex.tv's sign-in. */
  async plexReturn(req: Request): Promise<Response> {
    const id = new URL(req.url).searchParams.get("request");
    const p = await this.#bound(req, id);
    if (p instanceof Response) return p;
    return await this.#finishPlex(p, 302);
  }

  async #finishPlex(p: Pending, status: 302 | 303): Promise<Response> {
    const retry = (title: string, text: string, code: number) =>
      htmlAnswer(code, (nonce) =>
        renderMessage(title, text, nonce, {
          requestId: p.id,
          csrf: p.csrf,
          button: "Sign in with Plex",
          action: "plex",
        }), { formTargets: [PLEX_SIGN_IN_ORIGIN, originOf(p.redirectUri)] });
    if (p.pinId === undefined) {
      return retry(
        "Sign in with Plex",
        "No sign-in is under way for this request.",
        400,
      );
    }
    const plexTv = this.#ctx.approver.plexTv;
    let token: string | null;
    try {
      token = (await plexTv.checkPin(p.pinId)).authToken;
    } catch (error) {
      if (!(error instanceof PlexTvError)) throw error;
      p.pinId = undefined;
      return retry(
        "Sign-in with Plex did not finish",
        error.failure === "expired"
          ? "The sign-in expired before it was used. Try again."
          : `plex.tv could not be asked whether you signed in: ${error.message}`,
        502,
      );
    }
    if (!token) {
      return htmlAnswer(200, (nonce) =>
        renderMessage(
          "Waiting for your sign-in",
          "plex.tv has not seen the sign-in for this request yet. Finish it in the Plex window, then check again.",
          nonce,
          {
            requestId: p.id,
            csrf: p.csrf,
            button: "Check again",
            action: "plex-check",
          },
        ), { formTargets: [PLEX_SIGN_IN_ORIGIN, originOf(p.redirectUri)] });
    }
    p.pinId = undefined;
    let verdict;
    try {
      verdict = await checkApprover(token, this.#ctx.approver);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      this.#ctx.logger.warn(
        `OAuth: could not check who signed in: ${message}`,
      );
      return retry(
        "Could not check your account",
        `plex.tv or the Plex server did not answer: ${message}`,
        502,
      );
    }
    if (!verdict.ok) {
      this.#ctx.logger.warn(
        `OAuth: ${verdict.account} signed in to approve client ${p.clientId} but may not: refused`,
      );
      return retry("This account cannot approve", verdict.why, 403);
    }
    return await this.#approve(p, verdict.account, status);
  }

  async #withSecret(p: Pending, form: URLSearchParams): Promise<Response> {
    const check = this.#ctx.serverSecret;
    if (!check) {
      return this.#consentPage(400, p, {
        error:
          "This server has no PLEX_HTTP_TOKEN: approve by signing in with Plex.",
      });
    }
    const now = this.#ctx.now();
    this.#failures = this.#failures.filter((t) =>
      now - t < SECRET_PAUSE_SECONDS * 1000
    );
    if (this.#failures.length >= MAX_SECRET_FAILURES) {
      return this.#consentPage(429, p, {
        error:
          `Too many wrong tokens: approval with the server's token is paused for up to ${
            SECRET_PAUSE_SECONDS / 60
          } minutes.`,
      });
    }
    if (!await check(form.get("secret") ?? "")) {
      this.#failures.push(now);
      this.#ctx.logger.warn(
        "OAuth: a wrong server token was entered on the consent page",
      );
      return this.#consentPage(401, p, {
        error: "That is not the server's token (PLEX_HTTP_TOKEN).",
      });
    }
    return await this.#approve(p, "the server's token", 303);
  }

  async #approve(
    p: Pending,
    approvedBy: string,
    status: 302 | 303,
  ): Promise<Response> {
    this.#pending.delete(p.id);
    const scopes = normalizeScopes(p.granted ?? p.scopes);
    const code = await this.#ctx.store.createCode({
      clientId: p.clientId,
      redirectUri: p.redirectUri,
      redirectUriGiven: p.redirectUriGiven,
      challenge: p.challenge,
      scopes,
      resource: p.resource,
      approvedBy,
    });
    this.#ctx.logger.info(
      `OAuth: client ${p.clientId}${
        p.clientName ? ` (${JSON.stringify(p.clientName)})` : ""
      } approved by ${approvedBy} for ${scopes.join(" ")}`,
    );
    return redirectTo(
      withParams(p.redirectUri, { code, state: p.state, iss: p.issuer }),
      status,
    );
  }
}
