/**
 * PKCE (RFC 7636), `S256` only, as OAuth 2.1 and the MCP authorization
 * specification require: the challenge is base64url(SHA-256(verifier)).
 * `plain` is refused, and so is a request without a challenge.
 *
 * @module
 */
import { base64url, sameSecret } from "./crypto.ts";

/** The only challenge method accepted. */
export const PKCE_METHOD = "S256";

/** A code verifier: 43-128 unreserved characters (RFC 7636 §4.1). */
export const VERIFIER_PATTERN: RegExp = /^[A-Za-z0-9._~-]{43,128}$/;

/** An S256 challenge: 32 bytes as base64url, 43 characters (§4.2). */
export const CHALLENGE_PATTERN: RegExp = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks the PKCE parameters of an authorization request. Returns the
 * problem, or undefined when they are an S256 challenge.
 */
export function checkChallenge(
  challenge: string | null,
  method: string | null,
): string | undefined {
  if (!challenge) {
    return "code_challenge is required (PKCE with S256)";
  }
  if (method !== PKCE_METHOD) {
    return method === null || method === "plain"
      ? "code_challenge_method must be S256 (plain is not accepted)"
      : `code_challenge_method ${
        JSON.stringify(method.slice(0, 20))
      } is not supported: use S256`;
  }
  if (!CHALLENGE_PATTERN.test(challenge)) {
    return "code_challenge must be 43 base64url characters (an S256 digest)";
  }
  return undefined;
}

/** The S256 challenge of `verifier`. */
export async function s256(verifier: string): Promise<string> {
  return base64url(
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)),
    ),
  );
}

/** Whether `verifier` is well formed and matches the S256 `challenge`. */
export async function verifyPkce(
  verifier: string,
  challenge: string,
): Promise<boolean> {
  if (!VERIFIER_PATTERN.test(verifier)) return false;
  return await sameSecret(await s256(verifier), challenge);
}
