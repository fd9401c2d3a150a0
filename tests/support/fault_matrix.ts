/**
 * The fault matrix, shared by the tests that run it over different tool
 * sets (the default tools, the opt-in ones, the plex.tv ones): each tool
 * against each fault the fake Plex can inject, in process. Every call must
 * end in the fault's specific error within the time budget, leak no token
 * (result or log), and the next call with the fault cleared must succeed.
 */
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { FAULTS, type MatrixFault } from "../../src/demo/fake_plex/faults.ts";
import type { DemoLibrary } from "../../src/demo/library.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer, type ServerOptions } from "../../src/server.ts";
import { textOf } from "./helpers.ts";
import { Client, InMemoryTransport } from "./sdk_client.ts";
import { validArgs } from "./tool_args.ts";

/** The token of the matrix's fake; it must never show. */
export const FAULT_TOKEN = "fault-SECRET-token-77aa";
/** The time budget of a call in the matrix. */
export const FAULT_TIMEOUT_MS = 300;
/** The body cap of the matrix's client. */
export const FAULT_MAX_BODY = 256 * 1024;

/** The message each fault must produce. */
export const EXPECTED_FAULT_MESSAGES: Record<MatrixFault, RegExp> = {
  refuse: /Cannot reach Plex at http:\/\/fault\.test:32400: connection refused/,
  stall: /did not answer within 0\.3 s/,
  "500":
    /Plex answered 500 for (GET|POST|PUT|DELETE) \/\S*: the server had an internal problem/,
  "502": /Plex answered 502 for /,
  "503": /Plex is busy \(503\) for /,
  "401": /Plex rejected the token \(401\)/,
  // A 404 on an item lookup means "no such item", which some tools say so.
  "404": /\(404\)|No item with ratingKey/,
  malformed: /not valid JSON/,
  truncated: /not valid JSON \(\d+ bytes, possibly truncated\)/,
  xml: /XML or HTML instead of JSON/,
  oversized: /over the \d+-byte limit|more than \d+ bytes/,
  echo: /Plex answered 500 for /,
  busy: /Plex is busy \(429\) for .*: retry after 120 s/,
  redirect:
    /redirected (GET|POST|PUT|DELETE) \S+ to another server, sso\.example\.invalid \(http\); not followed, so the Plex token is not sent there/,
  loop: /more than 5 times \(a redirect loop\)/,
  deep: /JSON too large to handle safely \(nesting deeper than 64 levels\)/,
  many:
    /JSON too large to handle safely \(more than 1,000,000 values\)|over the \d+-byte limit|more than \d+ bytes/,
  "huge-string":
    /JSON too large to handle safely \(a string of more than 1,048,576 characters\)|over the \d+-byte limit|more than \d+ bytes/,
  "not-plex":
    /does not look like a Plex Media Server: GET \/identity answered an HTML or XML page/,
  "login-page":
    /does not look like a Plex Media Server: GET \/identity answered 401 \((GET|POST|PUT|DELETE) \S+ answered (401|405)\)/,
  "forbidden-page":
    /does not look like a Plex Media Server: GET \/identity answered 403 \((GET|POST|PUT|DELETE) \S+ answered 403\)/,
  // The 1 s Retry-After does not fit in the 0.3 s budget: reported at once.
  "busy-503": /Plex is busy \(503\) for \S+ \S+: retry after 1 s/,
};

/**
 * Tools whose answer from Plex is not JSON, with the message a fault that
 * garbles a body gives there: get_server_logs downloads a zip archive
 * first (GET /diagnostics/logs, no JSON capability check before it), so
 * it names the archive it cannot read.
 */
export const NON_JSON_FAULT_MESSAGES: Record<
  string,
  Partial<Record<MatrixFault, RegExp>>
> = {
  get_server_logs: Object.fromEntries(
    ([
      "malformed",
      "truncated",
      "xml",
      "oversized",
      "deep",
      "many",
      "huge-string",
      "not-plex",
    ] as const).map((fault) => [
      fault,
      /GET \/diagnostics\/logs with a log archive that cannot be read: not a zip archive|more than \d+ bytes/,
    ]),
  ),
};

/** What a run of the matrix found. */
export interface MatrixRun {
  /** Tool × fault cases run. */
  cases: number;
  /** Cases that held. */
  passed: number;
  /** One line per case that did not. */
  failures: string[];
}

/**
 * Runs every tool named in `tools` against every fault, each case on a
 * fresh fake and server (`options` for the server: toolsets to offer).
 * `prepare` may set the fake's library up first.
 */
export async function runFaultMatrix(
  tools: readonly string[],
  options: ServerOptions = {},
  prepare: (library: DemoLibrary) => void = () => {},
): Promise<MatrixRun> {
  const run: MatrixRun = { cases: 0, passed: 0, failures: [] };
  for (const name of tools) {
    for (const fault of FAULTS) {
      run.cases++;
      const fake = new FakePlex({ token: FAULT_TOKEN });
      fake.oversizedBytes = FAULT_MAX_BODY * 2;
      prepare(fake.library);
      const args = validArgs(fake.library)[name]!;
      const logs: string[] = [];
      const plex = new PlexClient({
        baseUrl: "http://fault.test:32400",
        token: FAULT_TOKEN,
        fetch: fake.fetch,
        timeoutMs: FAULT_TIMEOUT_MS,
        retryDelayMs: 1,
        maxBodyBytes: FAULT_MAX_BODY,
      });
      const logger = new Logger({
        level: "debug",
        secrets: [FAULT_TOKEN],
        write: (l) => logs.push(l),
      });
      const server = createServer({ plex, logger }, options);
      const [a, b] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: "faults", version: "1" });
      await Promise.all([server.connect(a), client.connect(b)]);
      try {
        fake.fault = fault;
        const started = performance.now();
        const r = await client.callTool({ name, arguments: args });
        const elapsed = performance.now() - started;
        fake.fault = undefined;
        const text = textOf(r);
        const problems = [
          r.isError !== true && "no error",
          !(NON_JSON_FAULT_MESSAGES[name]?.[fault as MatrixFault] ??
            EXPECTED_FAULT_MESSAGES[fault as MatrixFault]).test(text) &&
          `message ${JSON.stringify(text)}`,
          elapsed > FAULT_TIMEOUT_MS + 1000 && `took ${elapsed.toFixed(0)} ms`,
          [JSON.stringify(r), ...logs].some((t) => t.includes(FAULT_TOKEN)) &&
          "token leaked",
        ].filter(Boolean);
        const again = await client.callTool({ name, arguments: args });
        if (again.isError) problems.push(`no recovery: ${textOf(again)}`);
        if (problems.length) {
          run.failures.push(`${name} × ${fault}: ${problems.join("; ")}`);
        } else run.passed++;
      } finally {
        await client.close();
      }
    }
  }
  return run;
}
