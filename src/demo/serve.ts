/**
 * Serves a {@link FakePlex} on loopback with `Deno.serve`, for end-to-end
 * tests and for trying MCP clients against a stand-in server.
 *
 * @module
 */
import type { FakePlex } from "./fake_plex.ts";

/** A running loopback fake. */
export interface ServedFake {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `host:port`, the value for `--allow-net`. */
  host: string;
  /** Distinct client connections seen (remote address and port). */
  connections: Set<string>;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts serving `fake` on 127.0.0.1 (port 0 picks a free one). */
export function serveFake(fake: FakePlex, port = 0): ServedFake {
  const connections = new Set<string>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    (req, info) => {
      connections.add(`${info.remoteAddr.hostname}:${info.remoteAddr.port}`);
      return fake.handle(req);
    },
  );
  const addr = server.addr as Deno.NetAddr;
  const host = `127.0.0.1:${addr.port}`;
  return {
    url: `http://${host}`,
    host,
    connections,
    close: () => server.shutdown(),
  };
}
