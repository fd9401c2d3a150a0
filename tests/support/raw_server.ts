/**
 * A server process driven with raw bytes on stdin, for protocol and shutdown
 * tests: send any line, wait for the JSON-RPC answer with a given id.
 */
import {
  initializeParams,
  noProxy,
  scanForSecrets,
  serverArgs,
  within,
} from "./helpers.ts";

/** One JSON-RPC message read from stdout. */
// deno-lint-ignore no-explicit-any
export type Message = any;

/** A spawned server with raw stdin/stdout access. */
export class RawServer {
  readonly child: Deno.ChildProcess;
  readonly messages: Message[] = [];
  /** Lines on stdout that were not JSON-RPC (must stay empty). */
  readonly strayLines: string[] = [];
  stderr = "";
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #waiters: (() => void)[] = [];
  #done: Promise<void>;

  constructor(args: string[], env: Record<string, string>, allowNet?: string) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: serverArgs({ allowNet, args }),
      env: { NO_COLOR: "1", NO_PROXY: noProxy(), ...env },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.child.stdin.getWriter();
    const out = this.#pump(this.child.stdout, (line) => {
      try {
        const msg = JSON.parse(line);
        if (msg?.jsonrpc !== "2.0") this.strayLines.push(line);
        this.messages.push(msg);
      } catch {
        this.strayLines.push(line);
      }
      for (const w of this.#waiters.splice(0)) w();
    });
    const err = this.#pump(this.child.stderr, (line) => {
      this.stderr += line + "\n";
    });
    this.#done = Promise.all([out, err]).then(() => {});
  }

  async #pump(stream: ReadableStream<Uint8Array>, onLine: (l: string) => void) {
    let buf = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line) onLine(line);
      }
    }
    if (buf) onLine(buf);
  }

  /** Writes a raw line (a string is sent as is, anything else as JSON). */
  async send(line: unknown): Promise<void> {
    const text = typeof line === "string" ? line : JSON.stringify(line);
    await this.#writer.write(new TextEncoder().encode(text + "\n"));
  }

  /** Waits for the message matching `pick`. */
  async wait(
    pick: (m: Message) => boolean,
    timeoutMs = 5000,
  ): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.messages.find(pick);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching message within ${timeoutMs} ms; got ${
            JSON.stringify(this.messages)
          }`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the answer to request `id`. */
  answer(id: number | string | null, timeoutMs?: number): Promise<Message> {
    return this.wait(
      (m) => m.id === id && ("result" in m || "error" in m),
      timeoutMs,
    );
  }

  /** Sends initialize and initialized. */
  async initialize(): Promise<void> {
    await this.send({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: initializeParams("raw"),
    });
    await this.answer("init");
    await this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  }

  /** Closes stdin. */
  async closeStdin(): Promise<void> {
    await this.#writer.close().catch(() => {});
  }

  /** Waits for exit; returns the code and how long it took from `since`. */
  async exit(since: number): Promise<{ code: number; ms: number }> {
    const status = await within(
      this.child.status,
      15_000,
      "the server to exit",
    );
    const ms = performance.now() - since;
    await this.#done;
    this.#scan();
    return { code: status.code, ms };
  }

  #scan(): void {
    scanForSecrets(this.stderr, "stderr");
    for (const m of this.messages) scanForSecrets(JSON.stringify(m), "stdout");
    for (const l of this.strayLines) scanForSecrets(l, "stdout");
  }

  /** Kills the process if still running and drains the pipes. */
  async dispose(): Promise<void> {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await this.closeStdin();
    await this.child.status;
    await this.#done;
    this.#scan();
  }
}
