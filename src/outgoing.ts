/**
 * Every message the server sends, made safe to show in one walk: each
 * string, object keys included, at any depth, is redacted (every secret
 * the servers know, and anything that looks like a token parameter) and
 * made readable (`printable()`: a server's name or a title with an escape
 * sequence in it cannot clear a screen or write a clipboard where a client
 * prints it; a Windows line end becomes a newline). A JSON-RPC error's
 * message is also cut line by line to {@link MAX_TEXT_LINE}. What the
 * client chose and must get back as it was is left alone: the request id,
 * a progress token, the id of a cancelled request.
 *
 * Copy on write: a message with nothing to change is returned as it is.
 *
 * @module
 */
import { clipLines, MAX_TEXT_LINE, readable } from "./log.ts";
import { UNSAFE_CLASS } from "./printable.ts";
import { redactor } from "./redact.ts";

export { MAX_TEXT_LINE };

type Obj = Record<string, unknown>;

/** `message`, safe to send (see the module's description). */
export function outgoing(
  message: unknown,
  secrets: readonly string[],
): unknown {
  if (message === null || typeof message !== "object") return message;
  const redact = redactor(secrets);
  // One scan decides for most strings: one with no token parameter, no
  // secret, no control character and no CR LF is sent as it is; any other
  // is redacted and made readable as before (the scan is case-insensitive,
  // so it may send a few more there, never fewer).
  const suspect = suspectPattern(secrets);
  const text = (s: string): string => suspect.test(s) ? readable(redact(s)) : s;
  const m = message as Obj;
  let copy: Obj | undefined;
  for (const key of Object.keys(m)) {
    if (key === "id" || key === "jsonrpc") continue;
    const before = m[key];
    let after = walk(
      before,
      text,
      key === "params" ? CLIENT_VALUES : undefined,
    );
    if (key === "error") after = clipErrorMessage(after);
    if (after !== before) (copy ??= { ...m })[key] = after;
  }
  return copy ?? m;
}

let lastKey = "";
let lastPattern: RegExp | undefined;

/**
 * Matches any string that redaction or {@link readable} could change: a
 * token-parameter name (`…oken`), a secret or its URL form, a control
 * character (CR included). Built again only when the secrets change (a
 * client's list of secrets grows as it learns tokens: compared by content).
 */
function suspectPattern(secrets: readonly string[]): RegExp {
  const key = secrets.join("\u0000");
  if (key !== lastKey || !lastPattern) {
    const needles = secrets.filter((s) => s.length >= 4).flatMap((s) => [
      s,
      encodeURIComponent(s),
    ]).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    lastPattern = new RegExp(
      ["oken", UNSAFE_CLASS, ...needles].join("|"),
      "i",
    );
    lastKey = key;
  }
  return lastPattern;
}

/** Fields of a notification's params that echo what the client sent. */
const CLIENT_VALUES: ReadonlySet<string> = new Set([
  "progressToken",
  "requestId",
]);

function clipErrorMessage(error: unknown): unknown {
  const e = error as { message?: unknown } | null;
  if (typeof e?.message !== "string" || e.message.length <= MAX_TEXT_LINE) {
    return error;
  }
  return { ...(e as Obj), message: clipLines(e.message) };
}

function walk(
  value: unknown,
  text: (s: string) => string,
  keep?: ReadonlySet<string>,
): unknown {
  if (typeof value === "string") return text(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], text);
      if (v !== value[i]) (copy ??= [...value])[i] = v;
    }
    return copy ?? value;
  }
  let copy: Obj | undefined;
  for (const key of Object.keys(value)) {
    const before = (value as Obj)[key];
    const after = keep?.has(key) ? before : walk(before, text);
    const safeKey = text(key);
    if (after !== before || safeKey !== key) {
      copy ??= { ...(value as Obj) };
      if (safeKey !== key) delete copy[key];
      copy[safeKey] = after;
    }
  }
  return copy ?? value;
}
