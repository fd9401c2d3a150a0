/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout.
 *
 * Unlike the SDK's transport, it answers bad input the way JSON-RPC says
 * instead of dropping it: a line that is not JSON gets a parse error
 * (-32700), valid JSON that is not a JSON-RPC message or is a batch gets
 * Invalid Request (-32600), an over-long line is discarded with -32600, and
 * requests before a successful `initialize` are refused. The process keeps
 * serving. stdout carries nothing but JSON-RPC.
 *
 * Memory stays bounded whatever the client does: when too many requests
 * wait for their answers (counted one by one, so a client that reuses an
 * id gains nothing), or too many answer bytes wait to be written (a client
 * that sends without reading), it stops reading stdin until they drain.
 * When stdin ends, requests already received are answered (within a grace
 * period) before the transport reports the close. Closing never waits on a
 * client that does not read for longer than a bounded flush.
 *
 * @module
 */
import type { Logger } from "./log.ts";
import { isJsonRpcMessage } from "./jsonrpc.ts";
import type { JSONRPCMessage, Transport } from "./sdk.ts";

/** Options for {@link StdioTransport}. */
export interface StdioTransportOptions {
  /**
   * Input; default stdin, read with `Deno.stdin.read` (a stream reader
   * costs more per message).
   */
  input?: ReadableStream<Uint8Array>;
  /** Output writer; default `Deno.stdout`. */
  output?: { write(p: Uint8Array): Promise<number> };
  /** Longest accepted line in bytes. Default 4 MiB. */
  maxLineBytes?: number;
  /**
   * Requests read but not yet answered before reading pauses, on top of
   * one for each request the server itself is waiting on the client for
   * (an elicitation), so a client's answer can always get through.
   * Default {@link MAX_PENDING_REQUESTS}.
   */
  maxPendingRequests?: number;
  /** Answer bytes waiting for stdout before reading pauses. Default 4 MiB. */
  maxQueuedBytes?: number;
  /**
   * After stdin ends, how long requests already received may take to be
   * answered before the transport closes anyway. Default 2,000 ms.
   */
  closeGraceMs?: number;
  /**
   * How long {@link StdioTransport.close} waits for queued answers to be
   * written before it reports the close anyway (a client that stopped
   * reading must not hold up shutdown). Default 200 ms.
   */
  closeFlushMs?: number;
  /**
   * Called when stdin has ended and requests are still unanswered after the
   * grace period: cancel them here, and their answers (sent within half a
   * second) still go out before the close.
   */
  onAbandon?: () => void;
  /** Logger for dropped input. */
  logger?: Logger;
}

/** Default limit on requests read but not yet answered. */
export const MAX_PENDING_REQUESTS = 64;
/** Default limit on answer bytes waiting for stdout. */
export const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Default grace period for answering after stdin ends, in milliseconds. */
export const CLOSE_GRACE_MS = 2_000;
/** Default wait for queued answers on close, in milliseconds. */
export const CLOSE_FLUSH_MS = 200;

type Id = string | number | null;

const NEWLINE = 0x0a;
/** One decoder and one encoder for every line (neither keeps state). */
const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

/** JSON-RPC over stdio with spec-conforming answers to bad input. */
export class StdioTransport implements Transport {
  /** Set by the protocol layer. */
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set by the protocol layer. */
  onerror?: (error: Error) => void;
  /** Set by the protocol layer. */
  onclose?: () => void;

  readonly #input: ReadableStream<Uint8Array> | undefined;
  readonly #output: { write(p: Uint8Array): Promise<number> };
  readonly #maxLineBytes: number;
  readonly #maxPending: number;
  readonly #maxQueuedBytes: number;
  readonly #closeGraceMs: number;
  readonly #closeFlushMs: number;
  readonly #logger: Logger | undefined;
  readonly #onAbandon: (() => void) | undefined;
  #reader: ChunkReader | undefined;
  #writing: Promise<void> = Promise.resolve();
  #queuedBytes = 0;
  /**
   * Requests from the client not answered yet: how many per id (a client
   * may reuse an id), and how many in all.
   */
  readonly #pending = new Map<string | number, number>();
  #pendingCount = 0;
  /** Requests sent to the client (elicitation…) not answered yet. */
  readonly #outgoing = new Set<string | number>();
  /** `initialize` requests not answered yet. */
  readonly #initializing = new Set<string | number>();
  /** Messages that arrived while an initialize was being answered. */
  readonly #held: JSONRPCMessage[] = [];
  #initialized = false;
  #closing = false;
  #closed = false;
  #drained: (() => void) | undefined;
  #idle: (() => void) | undefined;

  /** Creates the transport; nothing is read until {@link start}. */
  constructor(options: StdioTransportOptions = {}) {
    this.#input = options.input;
    this.#output = options.output ?? Deno.stdout;
    this.#maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
    this.#maxPending = options.maxPendingRequests ?? MAX_PENDING_REQUESTS;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? MAX_QUEUED_BYTES;
    this.#closeGraceMs = options.closeGraceMs ?? CLOSE_GRACE_MS;
    this.#closeFlushMs = options.closeFlushMs ?? CLOSE_FLUSH_MS;
    this.#logger = options.logger;
    this.#onAbandon = options.onAbandon;
  }

  /** Starts reading stdin. */
  start(): Promise<void> {
    this.#reader = this.#input ? this.#input.getReader() : stdinReader();
    this.#readLoop().catch((error) => this.onerror?.(error as Error));
    return Promise.resolve();
  }

  /** Requests read and not answered, and answer bytes not yet written. */
  get backlog(): { requests: number; bytes: number } {
    return { requests: this.#pendingCount, bytes: this.#queuedBytes };
  }

  #addPending(id: string | number): void {
    this.#pending.set(id, (this.#pending.get(id) ?? 0) + 1);
    this.#pendingCount++;
  }

  /** One request with `id` answered (or dropped); false if none was pending. */
  #removePending(id: string | number): boolean {
    const n = this.#pending.get(id);
    if (n === undefined) return false;
    if (n > 1) this.#pending.set(id, n - 1);
    else this.#pending.delete(id);
    this.#pendingCount--;
    return true;
  }

  #congested(): boolean {
    return this.#pendingCount >= this.#maxPending + this.#outgoing.size ||
      this.#queuedBytes >= this.#maxQueuedBytes;
  }

  /** Resolves once the backlog is under both limits again. */
  #untilDrained(): Promise<void> {
    return new Promise((resolve) => {
      this.#drained = resolve;
      this.#checkDrained();
    });
  }

  #checkDrained(): void {
    if (this.#drained && !this.#congested()) {
      const resolve = this.#drained;
      this.#drained = undefined;
      resolve();
    }
    if (this.#idle && this.#pendingCount === 0) {
      const resolve = this.#idle;
      this.#idle = undefined;
      resolve();
    }
  }

  async #readLoop(): Promise<void> {
    const reader = this.#reader!;
    let parts: Uint8Array[] = [];
    let size = 0;
    let discarding = false;
    let ended = false;
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          break;
        }
        let from = 0;
        while (from < value.length) {
          const nl = value.indexOf(NEWLINE, from);
          const end = nl < 0 ? value.length : nl;
          const piece = value.subarray(from, end);
          if (!discarding) {
            size += piece.length;
            if (size > this.#maxLineBytes) {
              discarding = true;
              parts = [];
              this.#reply(
                null,
                -32600,
                `Invalid Request: message longer than ${this.#maxLineBytes} bytes`,
              );
            } else {
              parts.push(piece.slice());
            }
          }
          if (nl < 0) break;
          if (!discarding) this.#line(concat(parts, size));
          parts = [];
          size = 0;
          discarding = false;
          from = nl + 1;
          // Backpressure: a client that sends without reading the answers
          // waits here, instead of the server buffering without bound.
          if (this.#congested()) await this.#untilDrained();
        }
      }
      if (!discarding && size > 0) this.#line(concat(parts, size));
    } finally {
      if (ended && !this.#closing) {
        await this.settle(this.#closeGraceMs);
        if (this.#pendingCount && this.#onAbandon) {
          this.#logger?.warn(
            `stdin closed; cancelling ${this.#pendingCount} request(s) not answered within ${this.#closeGraceMs} ms`,
          );
          this.#onAbandon();
          await this.settle(500);
        }
      }
      await this.#writing;
      this.#finish();
    }
  }

  /**
   * Waits up to `ms` in all for every request read so far to be answered
   * and for what is queued to be written. Used when stdin ends and on
   * shutdown; a client that does not read cannot make it wait longer.
   */
  async settle(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    try {
      if (this.#pendingCount > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            this.#idle = resolve;
            this.#checkDrained();
          }),
          timeUp,
        ]);
      }
      await Promise.race([this.#writing, timeUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  #line(bytes: Uint8Array): void {
    const text = DECODER.decode(bytes).trim();
    if (!text) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#logger?.warn(
        `stdin: ignored a line that is not JSON (${text.length} chars)`,
      );
      this.#reply(null, -32700, "Parse error: the line is not valid JSON");
      return;
    }
    if (Array.isArray(value)) {
      this.#reply(null, -32600, "Invalid Request: batches are not supported");
      return;
    }
    if (!isJsonRpcMessage(value)) {
      const raw = value as { id?: unknown } | null;
      const id = typeof raw?.id === "string" || typeof raw?.id === "number"
        ? raw.id
        : null;
      this.#reply(id, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
      return;
    }
    this.#accept(value as JSONRPCMessage);
  }

  /**
   * Routes one valid message. While an `initialize` is being answered,
   * later messages (pipelined by a client that did not wait) are held and
   * handled once it is known whether the session started.
   */
  #accept(message: JSONRPCMessage): void {
    const method = "method" in message ? message.method : undefined;
    if (
      this.#initializing.size > 0 && method !== "initialize" &&
      method !== "ping"
    ) {
      // Held requests count against the backlog like any other.
      if ("id" in message && method !== undefined && message.id !== undefined) {
        this.#addPending(message.id);
      }
      this.#held.push(message);
      return;
    }
    if ("method" in message && "id" in message) {
      if (message.method === "initialize") {
        this.#initializing.add(message.id);
      } else if (!this.#initialized && message.method !== "ping") {
        this.#reply(
          message.id,
          -32600,
          "Invalid Request: the server is not initialized; send initialize first",
        );
        return;
      }
      this.#addPending(message.id);
    } else if ("id" in message && !("method" in message)) {
      // The client's answer to one of our requests.
      if (message.id !== undefined) this.#outgoing.delete(message.id);
    } else if (method === "notifications/cancelled") {
      // A cancelled request is not answered (MCP: the receiver stops and
      // sends nothing), so it stops counting against the backlog now. An
      // answer already sent was already counted off; one per cancel.
      const id = (message as { params?: { requestId?: unknown } }).params
        ?.requestId;
      if (
        (typeof id === "string" || typeof id === "number") &&
        this.#removePending(id)
      ) {
        this.#checkDrained();
      }
    }
    this.onmessage?.(message);
  }

  /** Handles the messages held while an initialize was being answered. */
  #release(): void {
    const held = this.#held.splice(0);
    for (const message of held) {
      if ("id" in message && "method" in message) {
        this.#removePending(message.id);
      }
      this.#accept(message);
    }
    this.#checkDrained();
  }

  #reply(id: Id, code: number, message: string): void {
    this.#write({ jsonrpc: "2.0", id, error: { code, message } });
  }

  /** Sends one message as a line on stdout. */
  send(message: JSONRPCMessage): Promise<void> {
    const m = message as {
      id?: string | number;
      method?: string;
      result?: unknown;
      error?: unknown;
    };
    if (m.id !== undefined && m.method !== undefined) {
      this.#outgoing.add(m.id);
    } else if (m.id !== undefined) {
      const wasInitialize = this.#initializing.delete(m.id);
      // Only an initialize that succeeded makes the session usable.
      if (wasInitialize && m.result !== undefined) this.#initialized = true;
      this.#removePending(m.id);
      const written = this.#write(rewriteSchemaError(message));
      if (wasInitialize && this.#initializing.size === 0) this.#release();
      this.#checkDrained();
      return written;
    }
    const written = this.#write(rewriteSchemaError(message));
    this.#checkDrained();
    return written;
  }

  #write(message: unknown): Promise<void> {
    const bytes = ENCODER.encode(JSON.stringify(message) + "\n");
    this.#queuedBytes += bytes.length;
    this.#writing = this.#writing.then(async () => {
      let at = 0;
      try {
        while (at < bytes.length) {
          at += await this.#output.write(bytes.subarray(at));
        }
      } finally {
        this.#queuedBytes -= bytes.length;
        this.#checkDrained();
      }
    }).catch((error) => this.onerror?.(error as Error));
    return this.#writing;
  }

  /**
   * Stops reading, writes what is queued (waiting at most `closeFlushMs`
   * for a client that does not read), and reports the close.
   */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#reader?.cancel().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#writing,
      new Promise<void>((resolve) =>
        timer = setTimeout(resolve, this.#closeFlushMs)
      ),
    ]);
    clearTimeout(timer);
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Reading may be paused for a backlog that will never drain now.
    this.#drained?.();
    this.#idle?.();
    this.onclose?.();
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The SDK reports a request whose params fail its schema as an internal
 * error (-32603) carrying a raw zod dump; JSON-RPC calls that Invalid
 * params (-32602), with a readable message.
 */
function rewriteSchemaError(message: JSONRPCMessage): JSONRPCMessage {
  const error =
    (message as { error?: { code: number; message: string } }).error;
  if (
    !error || error.code !== -32603 ||
    !error.message.trimStart().startsWith("[")
  ) {
    return message;
  }
  try {
    const issues = JSON.parse(error.message) as {
      path?: unknown[];
      message?: string;
    }[];
    const text = issues.map((i) =>
      `${i.message ?? "invalid"} at ${(i.path ?? []).join(".") || "(root)"}`
    )
      .join("; ");
    return {
      ...message,
      error: { code: -32602, message: `Invalid params: ${text}` },
    } as JSONRPCMessage;
  } catch {
    return message;
  }
}

/** What the read loop needs of a reader: chunks, and a way to stop. */
interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(): Promise<void>;
}

/**
 * Stdin read with `Deno.stdin.read` into one buffer (the loop copies what
 * it keeps before the next read). `cancel` ends the loop at once, as a
 * stream reader's does: the read in progress cannot be withdrawn, and
 * whatever it returns is dropped.
 */
function stdinReader(): ChunkReader {
  const buffer = new Uint8Array(64 * 1024);
  let cancelled = false;
  let stop: (() => void) | undefined;
  const stopped = new Promise<null>((resolve) => {
    stop = () => resolve(null);
  });
  return {
    async read() {
      if (cancelled) return { done: true, value: undefined };
      const n = await Promise.race([Deno.stdin.read(buffer), stopped]);
      if (n === null || cancelled) return { done: true, value: undefined };
      return { done: false, value: buffer.subarray(0, n) };
    },
    cancel() {
      cancelled = true;
      stop!();
      return Promise.resolve();
    },
  };
}
