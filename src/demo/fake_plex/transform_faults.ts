/**
 * The faults that change a real answer instead of replacing it (the
 * `TRANSFORM_FAULTS` of `faults.ts`: `echo-strings`, `huge-strings`, `ignore-paging`
 * and `slow`), applied around the fake's own handler by
 * {@link faultyFetch}, which `serveFake` uses. The fault catalogue and the
 * answers that replace Plex's: `faults.ts`.
 *
 * @module
 */
import { type Fault, isTransformFault } from "./faults.ts";

/** How late the `slow` fault answers, in milliseconds. */
export const SLOW_MS = 300;

/**
 * Length of every title and summary under `huge-strings`: just under the
 * client's 1 MiB limit per string (longer ones are refused before parsing,
 * see `huge-string`), so the strings reach the tools.
 */
export const HUGE_STRING_CHARS = 500_000;

/** What {@link faultyFetch} needs from the fake. */
export interface TransformTarget {
  /** The fault set now. */
  fault: Fault | undefined;
  /** When set, the fault applies only to requests it accepts. */
  faultFilter: ((method: string, path: string) => boolean) | undefined;
  /** Answers one request (the fake's own handler). */
  handle(req: Request): Promise<Response>;
}

/**
 * Fields left alone by `echo-strings`: ids and enumerated values the tools
 * send back to Plex or decide on (a ratingKey, a section key, a player's
 * machine identifier, an item type), and the transient token itself. With
 * the token in one of these, a tool could only refuse the id (the ids'
 * own check), never show the token; every other string carries it.
 */
const ECHO_KEEP = new Set([
  "ratingKey",
  "parentRatingKey",
  "grandparentRatingKey",
  "key",
  "librarySectionID",
  "librarySectionKey",
  "machineIdentifier",
  "clientIdentifier",
  "playlistItemID",
  "playQueueID",
  "playQueueSelectedItemID",
  "id",
  "uuid",
  "type",
  "subtype",
  "playlistType",
  "librarySectionType",
  "protocolCapabilities",
  "protocol",
  "port",
  "token",
]);

/** A butler task's `name` is the id its tool sends back (`/butler/{name}`). */
const ECHO_KEEP_BUTLER = new Set([...ECHO_KEEP, "name"]);

/**
 * `value` with `tokens` put into every string value except the
 * {@link ECHO_KEEP} fields: paths and URLs get `?X-Plex-Token=…` (as a
 * server that signs its image URLs would), other text gets the tokens
 * after a space (names, usernames, file paths, addresses, summaries).
 */
export function echoTokens(
  value: unknown,
  tokens: readonly string[],
  keep: ReadonlySet<string> = ECHO_KEEP,
): unknown {
  const walk = (v: unknown, field: string): unknown => {
    if (typeof v === "string") {
      if (keep.has(field) || tokens.length === 0) return v;
      if (v.startsWith("/") || /^https?:\/\//.test(v)) {
        return `${v}${v.includes("?") ? "&" : "?"}X-Plex-Token=${tokens[0]}${
          tokens.slice(1).map((t) => ` ${t}`).join("")
        }`;
      }
      return `${v} ${tokens.join(" ")}`;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, field));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, "");
}

/** `value` with every `title` and `summary` {@link HUGE_STRING_CHARS} long. */
function lengthen(value: unknown, field = ""): unknown {
  if (typeof value === "string") {
    if (field !== "title" && field !== "summary") return value;
    const filler = ` ${field} of a hostile server`;
    return (value + filler.repeat(
      Math.ceil(HUGE_STRING_CHARS / filler.length),
    )).slice(0, HUGE_STRING_CHARS);
  }
  if (Array.isArray(value)) return value.map((v) => lengthen(v, field));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // A library's filter vocabulary (`Meta`) is Plex's own wording, not
      // metadata a library holds: left as it is.
      out[k] = k === "Meta" ? v : lengthen(v, k);
    }
    return out;
  }
  return value;
}

/** A JSON answer rebuilt from `body`, keeping the status and headers. */
function rewritten(response: Response, body: unknown): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(body), {
    status: response.status,
    headers,
  });
}

async function jsonOf(response: Response): Promise<unknown | undefined> {
  if (!(response.headers.get("content-type") ?? "").includes("json")) {
    return undefined;
  }
  return await response.json();
}

/**
 * The fake's `fetch` with the transform faults applied: each asks
 * the fake for its real answer and changes it (or the request). Every
 * other fault is the fake's own (it answers with the fault in place of its
 * answer). Transient tokens the fake hands out (`/security/token`) are
 * remembered, so `echo-strings` echoes them too.
 */
export function faultyFetch(
  target: TransformTarget,
): (req: Request) => Promise<Response> {
  const issued: string[] = [];
  return async (req) => {
    const fault = target.fault;
    const url = new URL(req.url);
    if (
      !fault || !isTransformFault(fault) ||
      !(target.faultFilter?.(req.method, url.pathname) ?? true)
    ) {
      return await target.handle(req);
    }
    switch (fault) {
      case "slow": {
        await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
        return await target.handle(req);
      }
      case "ignore-paging": {
        // Asked for any page, Plex answers the first one, and no total.
        if (url.searchParams.has("X-Plex-Container-Start")) {
          url.searchParams.set("X-Plex-Container-Start", "0");
        }
        const headers = new Headers(req.headers);
        if (headers.has("X-Plex-Container-Start")) {
          headers.set("X-Plex-Container-Start", "0");
        }
        const response = await target.handle(
          new Request(url, { method: req.method, headers }),
        );
        const body = await jsonOf(response);
        const container = (body as { MediaContainer?: Record<string, unknown> })
          ?.MediaContainer;
        if (!container) {
          return body === undefined ? response : rewritten(response, body);
        }
        delete container.totalSize;
        delete container.offset;
        return rewritten(response, body);
      }
      case "huge-strings": {
        const response = await target.handle(req);
        const body = await jsonOf(response);
        return body === undefined
          ? response
          : rewritten(response, lengthen(body));
      }
      case "echo-strings": {
        const response = await target.handle(req);
        const body = await jsonOf(response);
        if (body === undefined) return response;
        const transient = (body as { MediaContainer?: { token?: unknown } })
          .MediaContainer?.token;
        if (
          url.pathname === "/security/token" && typeof transient === "string"
        ) {
          issued.push(transient);
        }
        const sent = req.headers.get("X-Plex-Token");
        const tokens = [...(sent ? [sent] : []), ...issued];
        const keep = url.pathname.startsWith("/butler")
          ? ECHO_KEEP_BUTLER
          : ECHO_KEEP;
        return rewritten(response, echoTokens(body, tokens, keep));
      }
    }
  };
}
