/**
 * An in-process rig for the OAuth tests: the real endpoint
 * (`McpHttpHandler`) with the real authorization server, a fake Plex and
 * a fake plex.tv answering in process, a settable clock, and a scripted
 * browser (a cookie jar that reads the consent page's form as a person's
 * browser would submit it). Every log line is kept, to be scanned for
 * the tokens and codes the tests saw issued.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { FakePlexTv } from "../../src/demo/fake_plextv/mod.ts";
import { McpHttpHandler } from "../../src/http/handler.ts";
import {
  grantsWrite,
  type OAuthLimits,
  OAuthServer,
  type OAuthSettings,
} from "../../src/http/oauth/mod.ts";
import { s256 } from "../../src/http/oauth/pkce.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { PlexTvClient } from "../../src/plextv/client.ts";
import { createServer } from "../../src/server.ts";

/** The Plex token of the rig's fake server. */
export const RIG_PLEX_TOKEN = "plex-SECRET-oauth-3b9e17";
/** The account token the fake plex.tv hands out at sign-in. */
export const RIG_ACCOUNT_TOKEN = "acct-SECRET-oauth-71c0d4";
/** PLEX_HTTP_TOKEN, where a test sets one. */
export const RIG_SERVER_SECRET = "srv-SECRET-oauth-approve-9d2f";
/** The origin the rig's requests go to. */
export const RIG_BASE = "http://127.0.0.1:8765";
/** The MCP endpoint. */
export const RIG_MCP = `${RIG_BASE}/mcp`;
/** A client's redirect URI. */
export const RIG_REDIRECT = "http://127.0.0.1:33418/callback";

/** Options of {@link oauthRig}. */
export interface RigOptions {
  /** OAuth settings. */
  settings?: Partial<OAuthSettings>;
  /** Set PLEX_HTTP_TOKEN (the consent page's fallback). */
  serverSecret?: boolean;
  /** Lifetimes and caps. */
  limits?: Partial<OAuthLimits>;
  /** The plex.tv account owns the server (default true). */
  owned?: boolean;
  /** Server read-only. */
  readOnly?: boolean;
}

/** The rig. */
export interface Rig {
  /** The fake Plex server. */
  fake: FakePlex;
  /** The fake plex.tv. */
  tv: FakePlexTv;
  /** The plex.tv client the server uses. */
  plexTv: PlexTvClient;
  /** The authorization server. */
  oauth: OAuthServer;
  /** The endpoint. */
  handler: McpHttpHandler;
  /** The server's clock (epoch ms): move it to age things. */
  clock: { now: number };
  /** Every log line. */
  lines: string[];
  /** Every token and code the tests saw issued. */
  issued: string[];
  /** Sends a request to the endpoint (`base` overrides the origin). */
  fetch(
    path: string,
    init?: RequestInit & { base?: string },
  ): Promise<Response>;
  /** Fails when any issued secret is in the logs. */
  scanLogs(): void;
  /** Ends it. */
  close(): Promise<void>;
}

/** Starts the rig. */
export async function oauthRig(options: RigOptions = {}): Promise<Rig> {
  const fake = new FakePlex({ token: RIG_PLEX_TOKEN });
  const plex = new PlexClient({
    baseUrl: "http://plex.invalid:32400",
    token: RIG_PLEX_TOKEN,
    fetch: fake.fetch,
    timeoutMs: 20_000,
  });
  const tv = new FakePlexTv({
    accountToken: RIG_ACCOUNT_TOKEN,
    linkAfterPolls: 1,
    servers: [{
      name: "Home",
      machineIdentifier: fake.library.machineIdentifier,
      accessToken: RIG_ACCOUNT_TOKEN,
      owned: options.owned ?? true,
      connections: [{ uri: "http://plex.invalid:32400", local: true }],
    }],
  });
  const plexTv = new PlexTvClient({
    baseUrl: "http://plextv.invalid",
    clientIdentifier: "plexmcp-oauth-rig",
    fetch: tv.fetch,
  });
  const lines: string[] = [];
  const clock = { now: Date.now() };
  const logger = new Logger({
    level: "debug",
    write: (line) => lines.push(line),
    secrets: () => [RIG_PLEX_TOKEN, ...plexTv.secrets()],
  });
  const oauth = await OAuthServer.open({
    settings: {
      publicUrl: undefined,
      statePath: undefined,
      owners: [],
      ...options.settings,
    },
    path: "/mcp",
    readOnly: options.readOnly ?? false,
    plexTv,
    serverIds: async () => [await plex.machineIdentifier()],
    serverSecret: options.serverSecret ? RIG_SERVER_SECRET : undefined,
    logger,
    now: () => clock.now,
    limits: options.limits,
  });
  const handler = new McpHttpHandler({
    settings: {
      token: options.serverSecret ? RIG_SERVER_SECRET : undefined,
      path: "/mcp",
      sessionIdleMs: 600_000,
      maxSessions: 100,
      maxStreams: 32,
      allowedHosts: [],
      allowedOrigins: [],
    },
    oauth,
    createServer: (ended, grant) =>
      createServer({ plex, logger, shutdownSignal: ended }, {
        readOnly: options.readOnly === true ||
          (grant !== undefined && !grantsWrite(grant.scopes)),
      }),
    secrets: () => plex.secrets(),
    logger,
  });
  /** Every token, code and secret the tests saw: none may appear in a log or an MCP answer. */
  const issued: string[] = [];
  return {
    fake,
    tv,
    plexTv,
    oauth,
    handler,
    clock,
    lines,
    issued,
    /** Sends a request to the endpoint. */
    fetch(
      path: string,
      init: RequestInit & { base?: string } = {},
    ): Promise<Response> {
      return handler.handle(
        new Request(`${init.base ?? RIG_BASE}${path}`, init),
      );
    },
    /** Fails when any issued secret is in the logs. */
    scanLogs(): void {
      const text = lines.join("\n");
      for (const s of [...issued, RIG_ACCOUNT_TOKEN, RIG_SERVER_SECRET]) {
        assert.ok(
          !text.includes(s),
          `a secret leaked into the log: ${s.slice(0, 6)}…`,
        );
      }
    },
    async close(): Promise<void> {
      await handler.close();
      oauth.close();
    },
  };
}

/** A PKCE verifier and its S256 challenge. */
export async function pkcePair(): Promise<
  { verifier: string; challenge: string }
> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const verifier = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
    .replaceAll("/", "_").replace(/=+$/, "");
  return { verifier, challenge: await s256(verifier) };
}

/** Registers a client; returns its id. */
export async function registerClient(
  rig: Rig,
  meta: Record<string, unknown> = {},
): Promise<string> {
  const res = await rig.fetch("/oauth/register", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_name: "Test Assistant",
      redirect_uris: [RIG_REDIRECT],
      ...meta,
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.client_id;
}

/** The authorization URL's path and query. */
export function authorizePath(
  params: Record<string, string | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `/oauth/authorize?${q}`;
}

/** A browser: a cookie jar, and the consent form read off the page. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(readonly rig: Rig) {}

  #keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }

  #cookieHeader(): Record<string, string> {
    return this.cookies.size
      ? {
        Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      }
      : {};
  }

  /** GET with the cookies. */
  async get(path: string): Promise<Response> {
    const res = await this.rig.fetch(path, {
      headers: this.#cookieHeader(),
      redirect: "manual",
    });
    this.#keep(res);
    return res;
  }

  /** POSTs a form with the cookies. */
  async post(
    path: string,
    form: Record<string, string>,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const res = await this.rig.fetch(path, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...this.#cookieHeader(),
        ...extra,
      },
      body: new URLSearchParams(form).toString(),
    });
    this.#keep(res);
    return res;
  }
}

/** The hidden fields of the consent page's form. */
export function formFields(html: string): { request: string; csrf: string } {
  const field = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  const request = field("request");
  const csrf = field("csrf");
  assert.ok(request && csrf, `no consent form in: ${html.slice(0, 300)}`);
  return { request, csrf };
}

/**
 * Opens the consent page and approves by signing in with Plex (the fake
 * plex.tv links the PIN on its first poll). Returns the redirect to the
 * client (its URL) and the browser.
 */
export async function approveWithPlex(
  rig: Rig,
  params: Record<string, string | undefined>,
  options: { write?: boolean; browser?: Browser } = {},
): Promise<{ redirect: URL; browser: Browser }> {
  const browser = options.browser ?? new Browser(rig);
  const page = await browser.get(authorizePath(params));
  const html = await page.text();
  assert.equal(page.status, 200, html.slice(0, 400));
  const { request, csrf } = formFields(html);
  const start = await browser.post("/oauth/consent", {
    request,
    csrf,
    action: "plex",
    ...(options.write === false ? {} : { write: "1" }),
  });
  assert.equal(start.status, 303, await start.text());
  const signIn = start.headers.get("location")!;
  assert.match(signIn, /^https:\/\/app\.plex\.tv\/auth#\?/);
  const forward = new URLSearchParams(signIn.split("#?")[1]).get("forwardUrl")!;
  const back = await browser.get(forward.slice(RIG_BASE.length));
  assert.equal(back.status, 302, await back.text());
  return { redirect: new URL(back.headers.get("location")!), browser };
}

/** Exchanges a code at the token endpoint; returns the answer and its JSON. */
export async function tokenRequest(
  rig: Rig,
  form: Record<string, string | undefined>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v !== undefined) params.set(k, v);
  }
  const res = await rig.fetch("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: params.toString(),
  });
  const body = await res.json();
  for (const k of ["access_token", "refresh_token"]) {
    if (typeof body[k] === "string") rig.issued.push(body[k]);
  }
  return { status: res.status, body };
}

/** The whole flow: register, approve, exchange. Returns the tokens. */
export async function authorizeFully(
  rig: Rig,
  options: { write?: boolean; scope?: string } = {},
): Promise<{
  clientId: string;
  access: string;
  refresh: string;
  scope: string;
}> {
  const clientId = await registerClient(rig);
  const { verifier, challenge } = await pkcePair();
  const { redirect } = await approveWithPlex(rig, {
    response_type: "code",
    client_id: clientId,
    redirect_uri: RIG_REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "st-1",
    scope: options.scope,
    resource: RIG_MCP,
  }, { write: options.write });
  // Back at the registered address, with state passed through and the
  // issuer named (RFC 9207).
  assert.equal(`${redirect.origin}${redirect.pathname}`, RIG_REDIRECT);
  assert.equal(redirect.searchParams.get("state"), "st-1");
  assert.equal(redirect.searchParams.get("iss"), RIG_BASE);
  const code = redirect.searchParams.get("code")!;
  assert.ok(code, redirect.href);
  rig.issued.push(code);
  const { status, body } = await tokenRequest(rig, {
    grant_type: "authorization_code",
    client_id: clientId,
    code,
    code_verifier: verifier,
    redirect_uri: RIG_REDIRECT,
    resource: RIG_MCP,
  });
  assert.equal(status, 200, JSON.stringify(body));
  return {
    clientId,
    access: body.access_token as string,
    refresh: body.refresh_token as string,
    scope: body.scope as string,
  };
}

/** Headers of an MCP POST with an access token. */
export function mcpPost(
  access: string | undefined,
  body: unknown,
  session?: string,
): RequestInit {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "Mcp-Protocol-Version": "2025-11-25",
      ...(access ? { Authorization: `Bearer ${access}` } : {}),
      ...(session ? { "Mcp-Session-Id": session } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** An initialize request. */
export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "oauth-rig", version: "1" },
  },
};

/** The JSON-RPC messages of an answer (JSON or SSE). */
export async function messagesOf(
  res: Response,
): Promise<Record<string, unknown>[]> {
  const text = await res.text();
  if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) {
    return text.split("\n").filter((l) =>
      l.startsWith("data: ") && l.length > 6
    )
      .map((l) => JSON.parse(l.slice(6)));
  }
  return text ? [JSON.parse(text)] : [];
}

/** Opens an MCP session with `access`; returns its id. */
export async function openSession(rig: Rig, access: string): Promise<string> {
  const res = await rig.fetch("/mcp", mcpPost(access, INITIALIZE));
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  const id = res.headers.get("mcp-session-id")!;
  const done = await rig.fetch(
    "/mcp",
    mcpPost(
      access,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      id,
    ),
  );
  await done.body?.cancel();
  return id;
}

/** The tool names a session sees. */
export async function toolNames(
  rig: Rig,
  access: string,
  session: string,
): Promise<string[]> {
  const res = await rig.fetch(
    "/mcp",
    mcpPost(access, { jsonrpc: "2.0", id: 2, method: "tools/list" }, session),
  );
  const [msg] = await messagesOf(res);
  const text = JSON.stringify(msg);
  for (const s of rig.issued) {
    assert.ok(!text.includes(s), "a token in an MCP answer");
  }
  return (msg?.result as { tools: { name: string }[] }).tools.map((t) =>
    t.name
  );
}

/** A fresh client's authorization request: its id, verifier and query. */
export interface AuthorizeParams {
  clientId: string;
  verifier: string;
  query: Record<string, string | undefined>;
}

/**
 * Registers a fresh client and builds its authorization request (S256
 * PKCE, state `st-9`, the rig's resource), `extra` on top.
 */
export async function authorizeParams(
  rig: Rig,
  extra: Record<string, string | undefined> = {},
): Promise<AuthorizeParams> {
  const clientId = await registerClient(rig);
  const pkce = await pkcePair();
  return {
    clientId,
    verifier: pkce.verifier,
    query: {
      response_type: "code",
      client_id: clientId,
      redirect_uri: RIG_REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      state: "st-9",
      resource: RIG_MCP,
      ...extra,
    } as Record<string, string | undefined>,
  };
}

/** An approved code for a fresh client. */
export async function approvedCode(
  rig: Rig,
): Promise<AuthorizeParams & { code: string }> {
  const p = await authorizeParams(rig);
  const { redirect } = await approveWithPlex(rig, p.query);
  const code = redirect.searchParams.get("code")!;
  rig.issued.push(code);
  return { ...p, code };
}
