/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout.
 *
 * Unlike the SDK's transport, it answers bad input the way JSON-RPC says
 * instead of dropping it: a line that is not JSON gets a parse error
 * (-32700), valid JSON that is not a JSON-RPC message or is a batch gets
 * Invalid Request (-32600), an over-long line is discarded with -32600, and
 * requests before `initialize` are refused. The process keeps serving.
 * stdout carries nothing but JSON-RPC.
 *
 * @module
 */
import type { Logger } from "./log.ts";
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type Transport,
} from "./sdk.ts";

/** Options for {@link StdioTransport}. */
export interface StdioTransportOptions {
  /** Input; default `Deno.stdin.readable`. */
  input?: ReadableStream<Uint8Array>;
  /** Output writer; default `Deno.stdout`. */
  output?: { write(p: Uint8Array): Promise<number> };
  /** Longest accepted line in bytes. Default 4 MiB. */
  maxLineBytes?: number;
  /** Logger for dropped input. */
  logger?: Logger;
}

type Id = string | number | null;

const NEWLINE = 0x0a;

/** JSON-RPC over stdio with spec-conforming answers to bad input. */
export class StdioTransport implements Transport {
  /** Set by the protocol layer. */
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set by the protocol layer. */
  onerror?: (error: Error) => void;
  /** Set by the protocol layer. */
  onclose?: () => void;

  readonly #input: ReadableStream<Uint8Array>;
  readonly #output: { write(p: Uint8Array): Promise<number> };
  readonly #maxLineBytes: number;
  readonly #logger: Logger | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #initialized = false;
  #closed = false;

  /** Creates the transport; nothing is read until {@link start}. */
  constructor(options: StdioTransportOptions = {}) {
    this.#input = options.input ?? Deno.stdin.readable;
    this.#output = options.output ?? Deno.stdout;
    this.#maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
    this.#logger = options.logger;
  }

  /** Starts reading stdin. */
  start(): Promise<void> {
    this.#reader = this.#input.getReader();
    this.#readLoop().catch((error) => this.onerror?.(error as Error));
    return Promise.resolve();
  }

  async #readLoop(): Promise<void> {
    const reader = this.#reader!;
    let parts: Uint8Array[] = [];
    let size = 0;
    let discarding = false;
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
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
        }
      }
      if (!discarding && size > 0) this.#line(concat(parts, size));
    } finally {
      this.#finish();
    }
  }

  #line(bytes: Uint8Array): void {
    const text = new TextDecoder().decode(bytes).trim();
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
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const raw = value as { id?: unknown } | null;
      const id = typeof raw?.id === "string" || typeof raw?.id === "number"
        ? raw.id
        : null;
      this.#reply(id, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
      return;
    }
    const message = parsed.data as JSONRPCMessage;
    if ("method" in message && "id" in message) {
      if (message.method === "initialize") this.#initialized = true;
      else if (!this.#initialized && message.method !== "ping") {
        this.#reply(
          message.id,
          -32600,
          "Invalid Request: the server is not initialized; send initialize first",
        );
        return;
      }
    }
    this.onmessage?.(message);
  }

  #reply(id: Id, code: number, message: string): void {
    this.#write({ jsonrpc: "2.0", id, error: { code, message } });
  }

  /** Sends one message as a line on stdout. */
  send(message: JSONRPCMessage): Promise<void> {
    return this.#write(rewriteSchemaError(message));
  }

  #write(message: unknown): Promise<void> {
    const bytes = new TextEncoder().encode(JSON.stringify(message) + "\n");
    this.#writing = this.#writing.then(async () => {
      let at = 0;
      while (at < bytes.length) {
        at += await this.#output.write(bytes.subarray(at));
      }
    }).catch((error) => this.onerror?.(error as Error));
    return this.#writing;
  }

  /** Stops reading and reports the close. */
  async close(): Promise<void> {
    await this.#reader?.cancel().catch(() => {});
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
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
