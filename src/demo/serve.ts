/**
 * Serves a {@link FakePlex} on loopback with `Deno.serve`, for end-to-end
 * tests and for trying MCP clients against a stand-in server. Every fault
 * applies, those that transform a real answer included (`faultyFetch`).
 *
 * @module
 */
import type { FakePlex } from "./fake_plex.ts";
import { faultyFetch } from "./faults.ts";

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
  fake.served = true;
  // The fake's answers, with the faults that transform them applied.
  const answer = faultyFetch(fake);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    async (req, info) => {
      connections.add(`${info.remoteAddr.hostname}:${info.remoteAddr.port}`);
      try {
        return await answer(req);
      } catch (error) {
        // A stalled answer the client gave up on: nobody is listening any
        // more, so end quietly instead of logging the abort as a crash.
        if (error instanceof DOMException && error.name === "AbortError") {
          return new Response(null, { status: 499 });
        }
        throw error;
      }
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
