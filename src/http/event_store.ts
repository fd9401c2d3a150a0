/**
 * A bounded in-memory event store, one per session, so that a client whose
 * SSE stream broke can reconnect with `Last-Event-ID` and receive what it
 * missed (the SDK's resumability). It keeps the newest events up to a
 * count and a size; an event older than that cannot be replayed, and the
 * client is told so (the SDK answers 400 for an unknown event id).
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import type { EventStore } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** Most events one session's store keeps. */
export const MAX_EVENTS = 200;

/** Most bytes (of JSON) one session's store keeps. */
export const MAX_EVENT_BYTES = 512 * 1024;

interface Stored {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/** The bounded store (see the module documentation). */
export class BoundedEventStore implements EventStore {
  readonly #events: Stored[] = [];
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  #bytes = 0;
  #next = 0;

  /** Creates a store keeping at most `maxEvents` events and `maxBytes` bytes. */
  constructor(
    maxEvents: number = MAX_EVENTS,
    maxBytes: number = MAX_EVENT_BYTES,
  ) {
    this.#maxEvents = maxEvents;
    this.#maxBytes = maxBytes;
  }

  /** Events kept now. */
  get size(): number {
    return this.#events.length;
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Stores one event; the oldest ones go when a bound is passed. */
  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}_${++this.#next}`;
    const bytes = JSON.stringify(message).length;
    this.#events.push({ id, streamId, message, bytes });
    this.#bytes += bytes;
    while (
      this.#events.length > this.#maxEvents ||
      (this.#bytes > this.#maxBytes && this.#events.length > 1)
    ) {
      this.#bytes -= this.#events.shift()!.bytes;
    }
    return Promise.resolve(id);
  }

  /** The stream an event id belongs to, while the event is kept. */
  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(
      this.#events.find((e) => e.id === eventId)?.streamId,
    );
  }

  /**
   * Sends every event of `lastEventId`'s stream stored after it (priming
   * events, which carry no message, are skipped). Returns the stream id.
   */
  async replayEventsAfter(
    lastEventId: string,
    { send }: {
      send: (eventId: string, message: JSONRPCMessage) => Promise<void>;
    },
  ): Promise<string> {
    const at = this.#events.findIndex((e) => e.id === lastEventId);
    if (at < 0) throw new Error("event no longer stored");
    const { streamId } = this.#events[at]!;
    for (const e of this.#events.slice(at + 1)) {
      if (e.streamId !== streamId) continue;
      if (Object.keys(e.message).length === 0) continue;
      await send(e.id, e.message);
    }
    return streamId;
  }
}
