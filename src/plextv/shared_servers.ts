/**
 * plex.tv's legacy `shared_servers` answer (XML): who a server is shared
 * with, and which of its libraries.
 *
 * @module
 */
import type { SharedServer } from "./models.ts";

const XML_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/** An XML attribute value with its entities decoded. */
function xmlText(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X"
        ? parseInt(e.slice(2), 16)
        : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : m;
    }
    return XML_ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The attributes of one start tag's attribute text. */
function xmlAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (
    const m of text.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)
  ) {
    out.set(m[1]!, xmlText(m[3] ?? m[4] ?? ""));
  }
  return out;
}

/**
 * The `SharedServer` elements of plex.tv's XML (`<MediaContainer …>
 * <SharedServer id username email userID accessToken …><Section id key
 * title type shared/>…</SharedServer>`, the shape go-plex-client's test
 * `TestInviteFriendResponse` and other public clients parse). Entries
 * without a `userID` are dropped.
 */
export function readSharedServers(xml: string): SharedServer[] {
  const out: SharedServer[] = [];
  const shares =
    /<SharedServer\b([^>]*?)(?:\/>|>([\s\S]*?)<\/SharedServer\s*>)/g;
  for (const m of xml.matchAll(shares)) {
    const a = xmlAttributes(m[1]!);
    const userID = a.get("userID");
    if (!userID) continue;
    const sections = [...(m[2] ?? "").matchAll(/<Section\b([^>]*?)\/?>/g)]
      .map((s) => xmlAttributes(s[1]!))
      .map((s) => ({
        key: s.get("key") ?? "",
        title: s.get("title") ?? "",
        shared: s.get("shared") === "1",
      }));
    out.push({
      id: a.get("id") ?? "",
      userID,
      username: a.get("username") || undefined,
      email: a.get("email") || undefined,
      accessToken: a.get("accessToken") || undefined,
      sections,
    });
  }
  return out;
}
