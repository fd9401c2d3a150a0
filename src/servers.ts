/**
 * The Plex servers one plexmcp serves: one (the classic `PLEX_SERVER_URL`
 * setup) or several (`PLEX_SERVERS`), each with its own client, and how a
 * tool's `server` argument picks one.
 *
 * @module
 */
import type { PlexClient } from "./plex/client.ts";
import { PlexIdentityError } from "./transport/errors.ts";

/** One server and its client. */
export interface ServerEntry {
  /** Configured name (what `server` takes, besides the machine identifier). */
  readonly name: string;
  /** The client for it. */
  readonly client: PlexClient;
  /** Owned by the account, shared with it, or not recorded. */
  readonly owned: boolean | undefined;
  /**
   * The machine identifier it was configured with (`plexmcp login`
   * records it), if any. A `server` argument naming a machine identifier
   * picks the server configured with it, whatever other servers answer.
   */
  readonly machineIdentifier?: string;
}

/**
 * A `server` argument that names no configured server, or names a machine
 * identifier that is not answered unambiguously by the server configured
 * with it.
 */
export class UnknownServerError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UnknownServerError";
  }
}

/** The configured servers, the default first among equals. */
export class PlexServers {
  readonly #entries: readonly ServerEntry[];
  readonly #default: ServerEntry;

  /**
   * Creates the set. `defaultName` picks the default (case-insensitive);
   * without it, the first entry is the default.
   */
  constructor(entries: readonly ServerEntry[], defaultName?: string) {
    if (entries.length === 0) throw new Error("no server configured");
    this.#entries = entries;
    this.#default =
      entries.find((e) =>
        e.name.toLowerCase() === defaultName?.toLowerCase()
      ) ?? entries[0]!;
  }

  /** One server, named `default`. */
  static single(client: PlexClient): PlexServers {
    return new PlexServers([{ name: "default", client, owned: undefined }]);
  }

  /** Whether several servers are configured. */
  get multiple(): boolean {
    return this.#entries.length > 1;
  }

  /** The server used when a call names none. */
  get default(): ServerEntry {
    return this.#default;
  }

  /** Every server, in configuration order. */
  all(): readonly ServerEntry[] {
    return this.#entries;
  }

  /** Every secret of every server (tokens, transient tokens). */
  secrets(): readonly string[] {
    if (this.#entries.length === 1) return this.#entries[0]!.client.secrets();
    const out: string[] = [];
    for (const e of this.#entries) {
      for (const s of e.client.secrets()) if (!out.includes(s)) out.push(s);
    }
    return out;
  }

  /**
   * The server a `server` argument names: a configured name
   * (case-insensitive) or a machine identifier. Undefined or empty: the
   * default. Throws {@link UnknownServerError} listing the names.
   */
  async resolve(
    wanted: string | undefined,
    signal?: AbortSignal,
  ): Promise<ServerEntry> {
    const w = wanted?.trim();
    if (!w) return this.#default;
    const byName = this.#entries.find((e) =>
      e.name.toLowerCase() === w.toLowerCase()
    );
    if (byName) return byName;
    if (/^[A-Za-z0-9-]{8,64}$/.test(w)) {
      // A machine identifier. The server configured with it is the one,
      // whatever the others answer; it must still answer as itself (the
      // client throws PlexIdentityError naming both identifiers if not).
      const configured = this.#entries.find((e) => e.machineIdentifier === w);
      if (configured) {
        try {
          await configured.client.machineIdentifier({ signal });
        } catch (error) {
          if (error instanceof PlexIdentityError) {
            throw new UnknownServerError(
              `Server ${JSON.stringify(configured.name)}: ${error.message}`,
            );
          }
          // Unreachable or slow: the call itself will say so.
        }
        return configured;
      }
      // Servers configured without one: ask each who it is (each client
      // keeps the first answer and holds the server to it).
      const open = this.#entries.filter((e) => !e.machineIdentifier);
      const ids = await Promise.all(
        open.map((e) =>
          e.client.machineIdentifier({ signal }).catch(() => undefined)
        ),
      );
      const matches = open.filter((_, i) => ids[i] === w);
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1) {
        // Two servers claim one identity: one of them is not what it says.
        throw new UnknownServerError(
          `Servers ${
            matches.map((e) => JSON.stringify(e.name)).join(" and ")
          } both answer as machine ${
            JSON.stringify(w)
          }: name the server instead (list_servers shows them)`,
        );
      }
    }
    throw new UnknownServerError(
      `No server ${JSON.stringify(w.slice(0, 60))}: choose ${
        this.#entries.map((e) => JSON.stringify(e.name)).join(", ")
      } (or a server's machine identifier; list_servers shows them)`,
    );
  }
}
