/**
 * The consent page: small, server-rendered HTML without any script. It
 * says which client asks for what and where the owner will be sent, and
 * holds one form: approve by signing in with Plex, approve with the
 * server's token (`PLEX_HTTP_TOKEN`, when plex.tv cannot be reached), or
 * deny. Every answer forbids framing (CSP `frame-ancestors 'none'`,
 * `X-Frame-Options: DENY`), caching and referrers elsewhere; forms may only go to
 * this server, plex.tv's sign-in and the client's redirect.
 *
 * @module
 */
import { printableLine } from "../../printable.ts";
import { randomSecret } from "./crypto.ts";
import { OAUTH_PATHS } from "./metadata.ts";
import { SCOPE_TEXT, WRITE_SCOPE } from "./scopes.ts";

/** Where plex.tv's sign-in page lives (API.md §2.1). */
export const PLEX_SIGN_IN_ORIGIN = "https://app.plex.tv";

/** The cookie that binds a consent page to the browser that opened it. */
export const BROWSER_COOKIE = "plexmcp_consent";

/** Escapes text for HTML (element content and quoted attributes). */
export function escapeHtml(text: string): string {
  return printableLine(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** What the consent page shows. */
export interface ConsentView {
  /** The name the client gave itself, if any. */
  clientName: string | undefined;
  /** Its client id. */
  clientId: string;
  /** Where the answer goes. */
  redirectUri: string;
  /** Scopes it asks for. */
  scopes: readonly string[];
  /** The pending request's id. */
  requestId: string;
  /** The form's CSRF token. */
  csrf: string;
  /** Whether the server's token may approve (PLEX_HTTP_TOKEN is set). */
  tokenApproval: boolean;
  /** A problem to show above the form. */
  error?: string;
  /** A note to show above the form. */
  notice?: string;
}

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:2em auto;padding:0 1em;color:#222}" +
  "h1{font-size:1.4em}.box{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}" +
  ".err{background:#fde8e8;border-color:#e0a0a0}.note{background:#eef5ff;border-color:#a0b8e0}" +
  "code{background:#f2f2f2;padding:0 .2em}button{font-size:1em;padding:.4em 1em;margin:.3em .3em .3em 0}" +
  "input[type=password]{font-size:1em;width:100%;box-sizing:border-box;padding:.3em}";

function page(title: string, body: string, nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

/** The consent page's HTML. */
export function renderConsent(view: ConsentView, nonce: string): string {
  const who = view.clientName
    ? `<strong>${escapeHtml(view.clientName)}</strong>`
    : "<strong>An unnamed client</strong>";
  let host = view.redirectUri;
  try {
    host = new URL(view.redirectUri).host;
  } catch { /* shown whole */ }
  const asksWrite = view.scopes.includes(WRITE_SCOPE);
  const scopes = view.scopes.map((s) =>
    `<li><code>${escapeHtml(s)}</code>: ${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`
  ).join("");
  const body = `<h1>Allow access to your Plex?</h1>
${
    view.error
      ? `<div class="box err" role="alert">${escapeHtml(view.error)}</div>`
      : ""
  }
${view.notice ? `<div class="box note">${escapeHtml(view.notice)}</div>` : ""}
<div class="box">
<p>${who} (client id <code>${
    escapeHtml(view.clientId)
  }</code>) asks to use this plexmcp server, which reaches your Plex Media Server. The name is the client's own claim.</p>
<p>It asks to:</p><ul>${scopes}</ul>
<p>If you approve, you are sent back to <strong>${
    escapeHtml(host)
  }</strong> (<code>${escapeHtml(view.redirectUri)}</code>).
Approve only if you started this from an assistant you use and that address is its own.</p>
</div>
<form method="post" action="${OAUTH_PATHS.consent}">
<input type="hidden" name="request" value="${escapeHtml(view.requestId)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
${
    asksWrite
      ? `<p><label><input type="checkbox" name="write" value="1" checked> Also allow changes (<code>${WRITE_SCOPE}</code>); untick for read-only access</label></p>`
      : ""
  }
<p><button type="submit" name="action" value="plex">Approve: sign in with Plex</button>
<button type="submit" name="action" value="deny">Deny</button></p>
<p>Only the Plex account that owns this server (or an account its owner listed) can approve.</p>
${
    view.tokenApproval
      ? `<details><summary>plex.tv cannot be reached? Approve with the server's token</summary>
<p><label for="server-secret">The value of PLEX_HTTP_TOKEN this server was started with</label>
<input type="password" id="server-secret" name="secret" autocomplete="off"></p>
<p><button type="submit" name="action" value="secret">Approve with the server's token</button></p>
</details>`
      : ""
  }
</form>`;
  return page("Allow access to your Plex?", body, nonce);
}

/** A page with one message (an error, or what to do next). */
export function renderMessage(
  title: string,
  text: string,
  nonce: string,
  form?: { requestId: string; csrf: string; button: string; action: string },
): string {
  const body = `<h1>${escapeHtml(title)}</h1>
<div class="box">${
    text.split("\n\n").map((p) => `<p>${escapeHtml(p)}</p>`).join("")
  }</div>${
    form
      ? `
<form method="post" action="${OAUTH_PATHS.consent}">
<input type="hidden" name="request" value="${escapeHtml(form.requestId)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
<p><button type="submit" name="action" value="${escapeHtml(form.action)}">${
        escapeHtml(form.button)
      }</button>
<button type="submit" name="action" value="deny">Deny</button></p>
</form>`
      : ""
  }`;
  return page(title, body, nonce);
}

/** Options of {@link htmlAnswer}. */
export interface HtmlAnswerOptions {
  /** Origins a form on this page may be sent (or redirected) to, besides this server. */
  formTargets?: readonly string[];
  /** Extra headers (`Set-Cookie`). */
  headers?: Record<string, string>;
}

/**
 * An HTML answer built by `render(nonce)`, with the headers every page of
 * the authorization server carries: a CSP that allows no script, no
 * frame, no image, the page's own style and forms to this server and
 * `formTargets` only; `X-Frame-Options: DENY`; no caching; referrers only
 * to this server (`no-referrer` would make the browser send `Origin: null`
 * with the form, which the Origin check refuses).
 */
export function htmlAnswer(
  status: number,
  render: (nonce: string) => string,
  options: HtmlAnswerOptions = {},
): Response {
  const nonce = randomSecret(16);
  const targets = ["'self'", ...(options.formTargets ?? [])].join(" ");
  return new Response(render(nonce), {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${targets}; frame-ancestors 'none'; base-uri 'none'`,
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      ...options.headers,
    },
  });
}

/** The value of cookie `name` in a request, if any. */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) {
      return part.slice(at + 1).trim();
    }
  }
  return undefined;
}

/** The `Set-Cookie` value binding consent pages to this browser. */
export function browserCookie(
  value: string,
  secure: boolean,
  maxAgeSeconds: number,
): string {
  return `${BROWSER_COOKIE}=${value}; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${
    secure ? "; Secure" : ""
  }`;
}
