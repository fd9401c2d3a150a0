/**
 * Serves a {@link FakePlex} on loopback with `Deno.serve`, for end-to-end
 * tests and for trying MCP clients against a stand-in server. Every fault
 * applies, those that transform a real answer included (`faultyFetch`).
 *
 * A websocket handshake opens the fake's notification socket
 * (`/:/websockets/notifications`, API.md §23) once
 * {@link FakePlex.refuseNotificationSocket} lets it: the fake then sends
 * its notifications there as its state changes.
 *
 * @module
 */
import type { FakePlex } from "./fake_plex/mod.ts";
import { faultyFetch } from "./fake_plex/transform_faults.ts";

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
      if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
        return await openSocket(fake, req);
      }
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
    close: () => {
      // Open sockets would keep the server from shutting down.
      fake.dropSockets();
      return server.shutdown();
    },
  };
}

/** Answers a notification socket handshake: refused, or upgraded. */
async function openSocket(fake: FakePlex, req: Request): Promise<Response> {
  const refusal = await fake.refuseNotificationSocket(req);
  if (refusal) return refusal;
  const { socket, response } = Deno.upgradeWebSocket(req);
  const connection = {
    send: (frame: string) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
    },
    close: () => {
      if (socket.readyState <= WebSocket.OPEN) socket.close();
    },
  };
  socket.onopen = () => fake.notificationSockets.add(connection);
  socket.onclose = () => fake.notificationSockets.delete(connection);
  // A client that vanished: the close follows.
  socket.onerror = () => {};
  return response;
}
