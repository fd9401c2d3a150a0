/**
 * `Deno.serve` around the MCP endpoint: listens, answers through
 * {@link McpHttpHandler}, and shuts down within a bound (sessions ended,
 * their streams closed, then the listener).
 *
 * @module
 */
import type { McpHttpHandler } from "./handler.ts";
import { hostPort, type ListenAddress } from "./settings.ts";

/** A running HTTP server. */
export interface RunningHttp {
  /** `host:port` actually bound (the port is known when 0 was asked). */
  readonly bound: string;
  /** The port actually bound. */
  readonly port: number;
  /** Resolves when the listener has stopped. */
  readonly finished: Promise<void>;
  /** Ends every session, then stops listening; waits at most `ms`. */
  shutdown(ms?: number): Promise<void>;
}

/** Longest shutdown, ms: sessions closed, in-flight answers written. */
export const HTTP_SHUTDOWN_MS = 2_000;

/**
 * Starts listening. Throws what `Deno.serve` throws (`AddrInUse`,
 * `NotCapable` without the permission, …).
 */
export function listenHttp(
  listen: ListenAddress,
  handler: McpHttpHandler,
): RunningHttp {
  const server = Deno.serve({
    hostname: listen.hostname,
    port: listen.port,
    // The default prints to stdout; nothing is printed here (the caller logs).
    onListen: () => {},
  }, (req) => handler.handle(req));
  const addr = server.addr as Deno.NetAddr;
  return {
    bound: hostPort({ hostname: addr.hostname, port: addr.port }),
    port: addr.port,
    finished: server.finished,
    shutdown: async (ms = HTTP_SHUTDOWN_MS) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      await Promise.race([
        (async () => {
          await handler.close();
          await server.shutdown();
        })(),
        bound,
      ]);
      clearTimeout(timer);
    },
  };
}
