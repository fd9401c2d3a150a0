/**
 * The boundary where messages leave and arrive, whatever the transport:
 * everything sent is redacted and made printable in one walk; requests are
 * checked for argument keys the SDK would lose; notifications lose what
 * belongs on this machine only.
 *
 * @module
 */
import type { ServerTransport } from "./types.ts";
import type { PlexServers } from "../servers.ts";
import type { ToolSet } from "./tool_set.ts";
import { outgoing } from "../outgoing.ts";
import { refuseForbiddenKey } from "./arguments.ts";

/**
 * Wraps a transport at the boundary where messages leave and arrive:
 * every message sent is redacted and its text made printable in one walk
 * (the one place everything the client receives passes: results, errors,
 * resources, prompts, notifications), with JSON-RPC error messages cut to
 * {@link MAX_TEXT_LINE} a line (see `outgoing.ts`); every
 * request that arrives is checked for a forbidden argument key before the
 * SDK parses it (and loses the key), whatever the transport.
 */
export function boundary(
  transport: ServerTransport,
  servers: PlexServers,
  tools: ToolSet,
): ServerTransport {
  const send = (message: unknown, options?: unknown) =>
    transport.send(outgoing(message, servers.secrets()), options);
  let deliver: ((message: unknown, extra?: unknown) => void) | undefined;
  const receive = (message: unknown, extra?: unknown) => {
    const refusal = refuseForbiddenKey(message, tools);
    if (refusal) {
      send(refusal).catch(() => {});
      return;
    }
    deliver?.(message, extra);
  };
  return new Proxy(transport, {
    get(target, prop, receiver) {
      if (prop === "send") return send;
      // The SDK chains handlers it finds: give it its own, not the wrapper.
      if (prop === "onmessage") return deliver;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(target, prop, value) {
      if (prop === "onmessage") {
        deliver = value;
        return Reflect.set(target, prop, value ? receive : value);
      }
      return Reflect.set(target, prop, value);
    },
  });
}

/**
 * Absolute paths on this machine: under a usual top-level directory of a
 * Unix file system (`/home/…`, `/Users/…`, `/tmp/…`), any absolute path to
 * a source file (`/work/app/src/x.ts:12:5`), a Windows drive (`C:\…`) or a
 * UNC share (`\\host\share`). Plex's API paths (`/library/…`) are not.
 */
const LOCAL_PATH = new RegExp(
  [
    String
      .raw`(?<![\w.:/\\])/(?:home|Users|root|tmp|var|usr|opt|etc|private|mnt|srv|Volumes|run|snap|nix|proc|sys|dev|Applications|Library/Caches)/[^\s"'\x60)\]]*`,
    String
      .raw`(?<![\w.:/\\])/(?:[\w.@+-]+/)+[\w.@+-]+\.(?:[cm]?[jt]sx?|json|wasm)(?::\d+)*`,
    String.raw`(?<![\w])[A-Za-z]:\\[^\s"'\x60)\]]*`,
    String.raw`(?<![\w\\])\\\\[\w.$-]+\\[^\s"'\x60)\]]*`,
  ].join("|"),
  "g",
);

/**
 * Removes what must stay on this machine from a notification: stack frames,
 * local file URLs and absolute local paths.
 */
export function stripLocalDetails(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*at\s/.test(line))
    .join("\n")
    .replace(/file:\/\/\S+/g, "[local file]")
    .replace(LOCAL_PATH, "[local path]");
}
