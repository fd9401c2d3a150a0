/**
 * Reading the bodies the authorization server accepts: bounded, and form
 * bodies only as `application/x-www-form-urlencoded` (RFC 6749 §3.2).
 *
 * @module
 */
import { oauthError } from "./errors.ts";

/** Reads a request body up to `max` bytes; undefined when it is larger. */
export async function readLimited(
  req: Request,
  max: number,
): Promise<string | undefined> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) {
    await req.body?.cancel().catch(() => {});
    return undefined;
  }
  if (req.body === null) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * A form body's parameters, or the OAuth error answer (wrong content
 * type, too large, a parameter given twice).
 */
export async function readForm(
  req: Request,
  max: number,
): Promise<URLSearchParams | Response> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim()
    .toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    await req.body?.cancel().catch(() => {});
    return oauthError(
      400,
      "invalid_request",
      "The body must be application/x-www-form-urlencoded",
    );
  }
  const text = await readLimited(req, max);
  if (text === undefined) {
    return oauthError(
      413,
      "invalid_request",
      `The body is larger than ${max} bytes`,
    );
  }
  const params = new URLSearchParams(text);
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) {
      return oauthError(
        400,
        "invalid_request",
        `Parameter ${JSON.stringify(key.slice(0, 40))} is given more than once`,
      );
    }
    seen.add(key);
  }
  return params;
}

/**
 * The client id a request authenticates as: `client_id` in the form, or
 * HTTP Basic with an empty secret (public clients have none). Undefined
 * when neither, or a secret is given.
 */
export function clientIdOf(
  req: Request,
  params: URLSearchParams,
): string | undefined {
  const header = req.headers.get("authorization");
  const basic = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (basic) {
    let id: string;
    let secret: string;
    try {
      const decoded = atob(basic[1]!);
      const at = decoded.indexOf(":");
      id = decodeURIComponent(at < 0 ? decoded : decoded.slice(0, at));
      secret = at < 0 ? "" : decoded.slice(at + 1);
    } catch {
      return undefined;
    }
    if (secret) return undefined;
    const body = params.get("client_id");
    if (body !== null && body !== id) return undefined;
    return id || undefined;
  }
  return params.get("client_id") || undefined;
}
