/**
 * OAuth error answers (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 7009 §2.2.1):
 * JSON `{error, error_description}` in the SDK's `OAuthErrorResponse`
 * shape, never cached.
 *
 * @module
 */
import type { OAuthErrorResponse } from "./sdk_auth.ts";

/** Headers every answer carrying or about credentials has. */
export const NO_STORE: Readonly<Record<string, string>> = {
  "Cache-Control": "no-store",
  Pragma: "no-cache",
};

/** A JSON answer that is never cached. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      ...NO_STORE,
      ...headers,
    },
  });
}

/** An OAuth error answer. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  const body: OAuthErrorResponse = { error, error_description: description };
  return jsonAnswer(status, body, headers);
}
