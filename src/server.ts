/**
 * `createServer()`: an MCP server offering the selected Plex tools, with the
 * resources and prompts. A pure factory: nothing global, nothing connected;
 * the caller picks a transport.
 *
 * Tools are served from the pre-built catalogue (`tools/list` converts no
 * schema at run time) and their definitions load on the first call. Every
 * message that leaves goes through one pass that redacts it and makes its
 * text printable; every message that
 * arrives is checked for argument keys the SDK would lose (`__proto__`),
 * whatever the transport.
 *
 * @module
 */
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type RequestHandlerExtra,
  Server,
  type ServerNotification,
  type ServerRequest,
  type Transport,
} from "./sdk.ts";
import {
  clipLines,
  cut,
  Logger,
  MAX_STRUCTURED_STRING,
  MAX_TEXT_LINE,
  quoted,
} from "./log.ts";

export { MAX_STRUCTURED_STRING, MAX_TEXT_LINE };
import type { PlexClient } from "./plex/client.ts";
import { PlexError } from "./plex/errors.ts";
import {
  type Confirm,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
  type Toolset,
  TOOLSETS,
} from "./tools/shared/define_tool.ts";
import type { ToolSelection } from "./tools/shared/select.ts";
import { loadDefinitions, loadWire, TOOL_INDEX } from "./tools/runtime.ts";
import type { WireTool } from "./tools/shared/wire.ts";
import { NAME, VERSION } from "./version.ts";
import { registerPrompts } from "./prompts.ts";
import { registerResources } from "./resources.ts";
import { outgoing } from "./outgoing.ts";
import { redactor } from "./redact.ts";
import { boundStructured, cutNote } from "./structured.ts";
import {
  PlexServers,
  type ServerEntry,
  UnknownServerError,
} from "./servers.ts";

/** What the server needs from outside. */
export interface ServerDeps {
  /** The Plex client of the (default) server. */
  plex: PlexClient;
  /**
   * Every server, when several are configured (`plex` is then the
   * default's client). Tools take a `server` argument only then.
   */
  servers?: PlexServers;
  /** Logger; default logs to stderr at info level. */
  logger?: Logger;
  /** Aborted on shutdown: cancels in-flight Plex requests. */
  shutdownSignal?: AbortSignal;
}

/** Server options: which tools to register. */
export interface ServerOptions extends ToolSelection {
  /**
   * How long a confirmation question (MCP elicitation) may stay unanswered
   * before the write is abandoned, in milliseconds. Default 120,000.
   */
  confirmTimeoutMs?: number;
}

const INSTRUCTIONS =
  "Tools for one Plex Media Server. Items are identified by ratingKey (a numeric string) and libraries by key or title; list tools return ratingKeys for follow-up calls and page with offset/limit. Tools that depend on who watches take user (a Plex Home member's name) and pin (their 4-digit PIN, if the profile has one). Start with get_plex_status if calls fail.";

/** The instructions when several servers are configured. */
function severalInstructions(servers: PlexServers): string {
  return `Tools for ${servers.all().length} Plex Media Servers (${
    servers.all().map((s) => s.name).join(", ")
  }; list_servers shows them). Each tool takes server (a name or machine identifier; default ${servers.default.name}); search_media, get_recently_added, get_on_deck and get_active_sessions also take server "all". A ratingKey belongs to one server: pass the server it came with. Libraries are named by key or title; list tools page with offset/limit. Tools that depend on who watches take user (a Plex Home member's name) and pin (their 4-digit PIN, if the profile has one). Start with list_servers or get_plex_status if calls fail.`;
}

/** The argument that picks a server, when several are configured. */
const SERVER_ARG = "server";

/** Validation problems listed in one error; the rest are counted. */
const MAX_ISSUES = 10;

/** Keys that JSON may carry but objects built by assignment silently lose. */
const FORBIDDEN_KEYS = ["__proto__"];

/**
 * Any MCP transport: the SDK's `StdioServerTransport`,
 * `StreamableHTTPServerTransport`, `InMemoryTransport`… (structural type, so
 * this package does not pin the SDK's own declarations).
 */
export interface ServerTransport {
  /** Starts the transport. */
  start(): Promise<void>;
  /** Sends one JSON-RPC message. */
  send(message: unknown, options?: unknown): Promise<void>;
  /** Closes the transport. */
  close(): Promise<void>;
  /** Set by the server. */
  onclose?(): void;
  /** Set by the server. */
  onerror?(error: Error): void;
  /** Set by the server. */
  onmessage?(message: unknown, extra?: unknown): void;
  /** Session id, for transports that have one. */
  sessionId?: string;
}

/** The server returned by {@link createServer}. */
export interface PlexMcpServer {
  /** Connects to a transport and starts serving. */
  connect(transport: ServerTransport): Promise<void>;
  /** Stops serving and closes the transport. */
  close(): Promise<void>;
  /** Names of the tools offered now, in catalogue order. */
  readonly toolNames: readonly string[];
}

/** Creates an MCP server exposing the selected Plex tools. */
export function createServer(
  deps: ServerDeps,
  options: ServerOptions = {},
): PlexMcpServer {
  const servers = deps.servers ?? PlexServers.single(deps.plex);
  const { server, tools } = buildServer({ ...deps, servers }, options);
  return {
    connect: (transport) =>
      server.connect(boundary(transport, servers, tools) as Transport),
    close: () => server.close(),
    get toolNames() {
      return tools.names();
    },
  };
}

/**
 * Wraps a transport at the boundary where messages leave and arrive:
 * every message sent is redacted and its text made printable in one walk
 * (the one place everything the client receives passes: results, errors,
 * resources, prompts, notifications), with JSON-RPC error messages cut to
 * {@link MAX_TEXT_LINE} a line (see `outgoing.ts`); every
 * request that arrives is checked for a forbidden argument key before the
 * SDK parses it (and loses the key), whatever the transport.
 */
function boundary(
  transport: ServerTransport,
  servers: PlexServers,
  tools: ToolSet,
): ServerTransport {
  const send = (message: unknown, options?: unknown) =>
    transport.send(outgoing(message, servers.secrets()), options);
  let deliver: ((message: unknown, extra?: unknown) => void) | undefined;
  const receive = (message: unknown, extra?: unknown) => {
    const refusal = refuseForbiddenKey(message, tools);
    if (refusal) {
      send(refusal).catch(() => {});
      return;
    }
    deliver?.(message, extra);
  };
  return new Proxy(transport, {
    get(target, prop, receiver) {
      if (prop === "send") return send;
      // The SDK chains handlers it finds: give it its own, not the wrapper.
      if (prop === "onmessage") return deliver;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(target, prop, value) {
      if (prop === "onmessage") {
        deliver = value;
        return Reflect.set(target, prop, value ? receive : value);
      }
      return Reflect.set(target, prop, value);
    },
  });
}

/**
 * An argument named `__proto__` is lost when the SDK copies arguments by
 * assignment (it sets the copy's prototype instead), so the strict input
 * schema never sees it. The answer to a `tools/call` that has one, exactly
 * as the server answers any other unknown argument; undefined otherwise.
 */
function refuseForbiddenKey(
  message: unknown,
  tools: ToolSet,
): unknown {
  const m = message as {
    method?: unknown;
    id?: unknown;
    params?: { name?: unknown; arguments?: unknown };
  } | null;
  if (m?.method !== "tools/call" || m.id === undefined) return undefined;
  const args = m.params?.arguments;
  if (args === null || typeof args !== "object") return undefined;
  const key = FORBIDDEN_KEYS.find((k) => Object.hasOwn(args, k));
  const name = m.params?.name;
  if (!key || typeof name !== "string" || !tools.has(name)) return undefined;
  return {
    jsonrpc: "2.0",
    id: m.id,
    result: errorResult(
      `MCP error -32602: Input validation error: Invalid arguments for tool ${name}: Unrecognized key: ${
        JSON.stringify(key)
      }`,
    ),
  };
}

/**
 * Absolute paths on this machine: under a usual top-level directory of a
 * Unix file system (`/home/…`, `/Users/…`, `/tmp/…`), any absolute path to
 * a source file (`/work/app/src/x.ts:12:5`), a Windows drive (`C:\…`) or a
 * UNC share (`\\host\share`). Plex's API paths (`/library/…`) are not.
 */
const LOCAL_PATH = new RegExp(
  [
    String
      .raw`(?<![\w.:/\\])/(?:home|Users|root|tmp|var|usr|opt|etc|private|mnt|srv|Volumes|run|snap|nix|proc|sys|dev|Applications|Library/Caches)/[^\s"'\x60)\]]*`,
    String
      .raw`(?<![\w.:/\\])/(?:[\w.@+-]+/)+[\w.@+-]+\.(?:[cm]?[jt]sx?|json|wasm)(?::\d+)*`,
    String.raw`(?<![\w])[A-Za-z]:\\[^\s"'\x60)\]]*`,
    String.raw`(?<![\w\\])\\\\[\w.$-]+\\[^\s"'\x60)\]]*`,
  ].join("|"),
  "g",
);

/**
 * Removes what must stay on this machine from a notification: stack frames,
 * local file URLs and absolute local paths.
 */
export function stripLocalDetails(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*at\s/.test(line))
    .join("\n")
    .replace(/file:\/\/\S+/g, "[local file]")
    .replace(LOCAL_PATH, "[local path]");
}

/**
 * A tool's `tools/list` entry with the `server` argument added (several
 * servers configured): in the input schema, and as the answer's `server`
 * in the output schema. Built from the pre-built entry, once per list.
 */
function withServerArgument(
  tool: WireTool,
  defaultName: string,
  spans: boolean,
): WireTool {
  const input = tool.inputSchema as {
    properties?: Record<string, unknown>;
  };
  const output = tool.outputSchema as {
    properties?: Record<string, unknown>;
  };
  return {
    ...tool,
    inputSchema: {
      ...tool.inputSchema,
      properties: {
        ...input.properties,
        [SERVER_ARG]: {
          type: "string",
          minLength: 1,
          description: `Server name or machine identifier${
            spans ? ", or all" : ""
          } (default ${defaultName})`,
        },
      },
    },
    outputSchema: {
      ...tool.outputSchema,
      properties: {
        ...output.properties,
        [SERVER_ARG]: { type: "string", description: "Server that answered" },
        ...(spans
          ? {
            servers: {
              type: "array",
              description: "With server all: each server's part",
              items: {
                type: "object",
                properties: {
                  name: { type: "string" },
                  ok: { type: "boolean" },
                  total: { type: "integer" },
                  error: { type: "string" },
                },
                required: ["name", "ok"],
              },
            },
          }
          : {}),
      },
    },
  };
}

/** The tools offered by one server, switchable in dynamic mode. */
class ToolSet {
  readonly #readOnly: boolean;
  readonly #enabled: Set<Toolset>;
  readonly #dynamic: boolean;
  readonly #servers: PlexServers;
  #list: { tools: WireTool[] } | undefined;
  #dynamicWire: Promise<WireTool[]> | undefined;
  onChange: (() => void) | undefined;

  constructor(selection: ToolSelection, servers: PlexServers) {
    this.#servers = servers;
    this.#readOnly = selection.readOnly === true;
    this.#dynamic = selection.dynamic === true;
    const all = Object.keys(TOOLSETS) as Toolset[];
    this.#enabled = new Set(
      this.#dynamic
        ? ["server", ...(selection.toolsets ?? [])]
        : selection.toolsets ?? all,
    );
  }

  get dynamic(): boolean {
    return this.#dynamic;
  }

  #offered(
    entry: {
      toolset: Toolset;
      readOnly: boolean;
      severalServersOnly?: boolean;
    },
  ): boolean {
    return this.#enabled.has(entry.toolset) &&
      (!this.#readOnly || entry.readOnly) &&
      (!entry.severalServersOnly || this.#servers.multiple);
  }

  /** Whether `name` talks to one server (takes `server` when several are configured). */
  serverBound(name: string): boolean {
    const entry = TOOL_INDEX.find((e) => e.name === name);
    return entry !== undefined && !entry.severalServersOnly;
  }

  /** Whether `name` takes `server: "all"`. */
  spans(name: string): boolean {
    return TOOL_INDEX.find((e) => e.name === name)?.spansServers === true;
  }

  names(): string[] {
    return [
      ...TOOL_INDEX.filter((e) => this.#offered(e)).map((e) => e.name),
      ...(this.#dynamic ? ["list_toolsets", "enable_toolset"] : []),
    ];
  }

  has(name: string): boolean {
    if (
      this.#dynamic && (name === "list_toolsets" || name === "enable_toolset")
    ) {
      return true;
    }
    const entry = TOOL_INDEX.find((e) => e.name === name);
    return entry !== undefined && this.#offered(entry);
  }

  async listResult(): Promise<{ tools: WireTool[] }> {
    if (this.#list) return this.#list;
    const wire = await loadWire();
    const several = this.#servers.multiple;
    const tools = TOOL_INDEX.filter((e) => this.#offered(e)).map((e) =>
      several && !e.severalServersOnly
        ? withServerArgument(
          wire.get(e.name)!,
          this.#servers.default.name,
          e.spansServers === true,
        )
        : wire.get(e.name)!
    );
    if (this.#dynamic) {
      this.#dynamicWire ??= Promise.all([
        import("./tools/server/toolsets.ts"),
        import("./tools/shared/wire.ts"),
      ]).then(([{ DYNAMIC_TOOLS }, { wireTool }]) =>
        DYNAMIC_TOOLS.map(wireTool)
      );
      tools.push(...await this.#dynamicWire);
    }
    return this.#list = { tools };
  }

  async definition(name: string): Promise<ToolDefinition | undefined> {
    if (
      this.#dynamic && (name === "list_toolsets" || name === "enable_toolset")
    ) {
      const { DYNAMIC_TOOLS } = await import("./tools/server/toolsets.ts");
      return DYNAMIC_TOOLS.find((t) => t.name === name);
    }
    return (await loadDefinitions()).get(name);
  }

  states(): {
    name: Toolset;
    description: string;
    enabled: boolean;
    tools: string[];
  }[] {
    return (Object.entries(TOOLSETS) as [Toolset, string][]).map((
      [name, description],
    ) => ({
      name,
      description,
      enabled: this.#enabled.has(name),
      tools: TOOL_INDEX.filter((e) =>
        e.toolset === name && (!this.#readOnly || e.readOnly) &&
        (!e.severalServersOnly || this.#servers.multiple)
      ).map((e) => e.name),
    }));
  }

  enable(name: Toolset): string[] {
    if (this.#enabled.has(name)) return [];
    const before = new Set(this.names());
    this.#enabled.add(name);
    this.#list = undefined;
    const added = this.names().filter((n) => !before.has(n));
    if (added.length) this.onChange?.();
    return added;
  }
}

/** Builds the SDK's protocol `Server` with every handler installed. */
function buildServer(
  deps: ServerDeps & { servers: PlexServers },
  options: ServerOptions,
): { server: Server; tools: ToolSet } {
  const log = deps.logger ?? new Logger();
  const server = new Server(
    { name: NAME, title: "Plex Media Server", version: VERSION },
    {
      capabilities: { logging: {}, tools: { listChanged: true } },
      instructions: deps.servers.multiple
        ? severalInstructions(deps.servers)
        : INSTRUCTIONS,
    },
  );

  // Mirror log records to MCP logging notifications once a client is there,
  // without what belongs on this machine only.
  let removeSink: (() => void) | undefined;
  server.oninitialized = () => {
    removeSink ??= log.addSink((level, message) => {
      server
        .sendLoggingMessage({
          level, // our levels are MCP logging levels
          logger: "plexmcp",
          data: stripLocalDetails(message),
        })
        .catch(() => {});
    });
  };
  // Resource subscriptions end with the session (their sockets close).
  const resources = registerResources(server, deps.servers, log);
  const previousOnClose = server.onclose;
  server.onclose = () => {
    removeSink?.();
    resources.close();
    previousOnClose?.();
  };

  const tools = new ToolSet(options, deps.servers);
  registerPrompts(server, (name) => tools.has(name));
  if (tools.names().length === 0) {
    log.warn("No tools selected: check PLEX_TOOLSETS and PLEX_READ_ONLY");
  }
  tools.onChange = () => {
    server.sendToolListChanged().catch(() => {});
  };
  server.setRequestHandler(
    ListToolsRequestSchema,
    () => tools.listResult(),
  );
  const inputSchemas = new Map<string, { safeParse: SafeParse }>();
  server.setRequestHandler(
    CallToolRequestSchema,
    async (request, extra) => {
      const name = request.params.name;
      // What the client named is quoted short: it may be anything.
      if (!tools.has(name)) {
        return errorResult(`MCP error -32602: Tool ${quoted(name)} not found`);
      }
      const tool = await tools.definition(name);
      if (!tool) {
        return errorResult(`MCP error -32602: Tool ${quoted(name)} not found`);
      }
      // With several servers, `server` picks one; the tool never sees it.
      let args = request.params.arguments ?? {};
      let wanted: unknown;
      if (deps.servers.multiple && tools.serverBound(name)) {
        ({ [SERVER_ARG]: wanted, ...args } = args);
        if (wanted !== undefined && typeof wanted !== "string") {
          return errorResult(
            `MCP error -32602: Input validation error: Invalid arguments for tool ${name}: server must be a server name or machine identifier (a string) at server`,
          );
        }
      }
      let schema = inputSchemas.get(name);
      if (!schema) {
        const { z } = await import("./zod.ts");
        schema = z.strictObject(tool.input);
        inputSchemas.set(name, schema);
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        const why = describeIssues(parsed.error.issues);
        return errorResult(
          `MCP error -32602: Input validation error: Invalid arguments for tool ${name}: ${why}`,
        );
      }
      const data = parsed.data as Record<string, unknown>;
      const env = { server, deps, log, tools, options };
      const paged = "offset" in tool.input;
      if (!deps.servers.multiple || !tools.serverBound(name)) {
        return bounded(
          await runTool(tool, data, extra, env, deps.servers.default),
          paged,
          deps.servers.secrets(),
        );
      }
      if (typeof wanted === "string" && wanted.trim().toLowerCase() === "all") {
        if (!tools.spans(name)) {
          return errorResult(
            `server "all" is for search_media, get_recently_added, get_on_deck and get_active_sessions; ${name} works on one server: name it (list_servers shows them)`,
          );
        }
        return bounded(
          await runOnAll(tool, data, extra, env),
          paged,
          deps.servers.secrets(),
        );
      }
      let entry: ServerEntry;
      try {
        entry = await deps.servers.resolve(
          wanted as string | undefined,
          extra.signal,
        );
      } catch (error) {
        if (error instanceof UnknownServerError) {
          return errorResult(error.message);
        }
        throw error;
      }
      return bounded(
        named(entry.name, await runTool(tool, data, extra, env, entry)),
        paged,
        deps.servers.secrets(),
      );
    },
  );
  return { server, tools };
}

/** One validation problem, as zod reports it. */
interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: unknown[];
}

type SafeParse = (data: unknown) =>
  | { success: true; data: unknown }
  | { success: false; error: { issues: Issue[] } };

/**
 * Validation problems, one a line, each naming its argument. At most
 * {@link MAX_ISSUES} problems at an argument are listed (a long array of
 * bad values would make one line each); the rest are counted on a last
 * line that names their arguments. Problems with the arguments as a whole
 * (unknown keys) are always listed.
 */
function describeIssues(issues: readonly Issue[]): string {
  const at = issues.filter((i) => i.path.length > 0);
  const whole = issues.filter((i) => i.path.length === 0);
  const lines = [...at.slice(0, MAX_ISSUES), ...whole].map(describeIssue);
  const rest = at.slice(MAX_ISSUES);
  if (rest.length) {
    const where = [...new Set(rest.map((i) => cut(String(i.path[0]))))]
      .slice(0, 5).map((k) => `at ${k}`).join(", ");
    lines.push(
      `and ${rest.length} more problem${rest.length > 1 ? "s" : ""} ${where}`,
    );
  }
  return lines.join("\n");
}

/**
 * One validation problem in a sentence. Unknown keys are the client's own
 * text: each is quoted short and at most five are named, instead of zod's
 * message that names every key whole.
 */
function describeIssue(issue: Issue): string {
  let message = issue.message;
  if (issue.code === "unrecognized_keys" && Array.isArray(issue.keys)) {
    const keys = issue.keys.map(String);
    message = `Unrecognized key${keys.length > 1 ? "s" : ""}: ${
      keys.slice(0, 5).map(quotedKey).join(", ")
    }${keys.length > 5 ? ` and ${keys.length - 5} more` : ""}`;
  }
  const path = issue.path.map(String).join(".");
  return path ? `${message} at ${cut(path)}` : message;
}

/**
 * An argument key quoted as zod quotes it (`"key"`, backslashes as they
 * are), cut short, with control characters escaped so that a key cannot
 * break the message into lines.
 */
function quotedKey(key: string): string {
  const escaped = cut(key).replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x1f\x7f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `"${escaped}"`;
}

/** An `isError` tool result; its lines are cut like tool text. */
function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text: clipLines(text) }], isError: true };
}

/**
 * An `isError` tool result whose text may quote Plex: not cut here, but by
 * {@link bounded}, which redacts before it cuts.
 */
function failure(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/**
 * The documented exception to one `PLEX_TIMEOUT` per call: a tool that
 * waits for Plex to finish something declares the wait with a
 * `timeout_seconds` argument (scan_library, unless `wait` is false), and may
 * take that long on top of the budget for its requests.
 */
function waitAllowanceMs(args: Record<string, unknown>): number {
  const seconds = args.timeout_seconds;
  return typeof seconds === "number" && args.wait !== false
    ? seconds * 1000
    : 0;
}

/** What every tool call needs from the server that runs it. */
interface CallEnv {
  server: Server;
  deps: ServerDeps & { servers: PlexServers };
  log: Logger;
  tools: ToolSet;
  options: ServerOptions;
}

/**
 * `result` with its text's lines cut and its structured content bounded
 * (see `structured.ts`), redacted first wherever something is cut, since a
 * cut through a secret leaves a piece the boundary cannot recognise: when
 * an array was cut, the text says what was left out and how to get it
 * (`paged`: the tool takes offset/limit), and `_meta["plexmcp/cut"]` lists
 * the cut arrays with their counts.
 */
function bounded(
  result: CallToolResult,
  paged: boolean,
  secrets: readonly string[],
): CallToolResult {
  // Built only when something is cut: most answers cut nothing.
  let built: ((text: string) => string) | undefined;
  const redact = (text: string) => (built ??= redactor(secrets))(text);
  const long = result.content.some((b) =>
    b.type === "text" && b.text.length > MAX_TEXT_LINE
  );
  const content = long
    ? result.content.map((b) =>
      b.type === "text" ? { ...b, text: clipLines(b.text, redact) } : b
    )
    : result.content;
  if (!result.structuredContent) {
    return long ? { ...result, content } : result;
  }
  const { value, cuts } = boundStructured(result.structuredContent, redact);
  if (!cuts.length) {
    return !long && value === result.structuredContent
      ? result
      : { ...result, content, structuredContent: value };
  }
  const [first, ...rest] = content as { type: string; text: string }[];
  const note = cutNote(cuts, paged);
  return {
    ...result,
    content: [
      { type: "text" as const, text: first ? `${first.text}\n${note}` : note },
      ...rest,
    ] as CallToolResult["content"],
    structuredContent: value,
    _meta: { ...result._meta, [CUT_META]: cuts },
  };
}

/** Where an answer lists the arrays that were cut. */
const CUT_META = "plexmcp/cut";

/** Names the server in an answer (several servers configured). */
function named(name: string, result: CallToolResult): CallToolResult {
  const [first, ...rest] = result.content as { type: string; text: string }[];
  const text = result.isError
    ? `${name}: ${first?.text ?? ""}`
    : `Server: ${name}\n${first?.text ?? ""}`;
  return {
    ...result,
    content: [{ type: "text" as const, text }, ...rest] as CallToolResult[
      "content"
    ],
    ...(result.structuredContent
      ? { structuredContent: { server: name, ...result.structuredContent } }
      : {}),
  };
}

/**
 * Runs a tool that spans servers on each of them at once and merges the
 * answers: lists are joined with each entry tagged with its server, totals
 * added, `next_offset` kept while any server has more; a server that fails
 * is an error line naming it, and the others still answer.
 */
async function runOnAll(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  env: CallEnv,
): Promise<CallToolResult> {
  const entries = env.deps.servers.all();
  const results = await Promise.all(
    entries.map((entry) => runTool(tool, args, extra, env, entry)),
  );
  const parts: { name: string; ok: boolean; total?: number; error?: string }[] =
    [];
  const texts: string[] = [];
  const merged: Record<string, unknown> = {};
  let more = false;
  results.forEach((result, i) => {
    const name = entries[i]!.name;
    const text = (result.content[0] as { text?: string } | undefined)?.text ??
      "";
    if (result.isError || !result.structuredContent) {
      parts.push({ name, ok: false, error: text });
      texts.push(`${name}: error: ${text}`);
      return;
    }
    const structured = result.structuredContent;
    texts.push(`${name}:\n${text}`);
    for (const [key, value] of Object.entries(structured)) {
      if (Array.isArray(value)) {
        const tagged = value.map((v) =>
          v !== null && typeof v === "object" && !Array.isArray(v)
            ? { server: name, ...v }
            : v
        );
        merged[key] = [...(merged[key] as unknown[] ?? []), ...tagged];
      } else if (key === "total" && typeof value === "number") {
        merged[key] = (merged[key] as number ?? 0) + value;
      } else if (key === "next_offset") {
        if (value !== null) more = true;
      } else if (typeof value === "boolean" && key !== "watched") {
        merged[key] = merged[key] === true || value;
      } else if (!(key in merged)) merged[key] = value;
    }
    const total = structured.total;
    parts.push({
      name,
      ok: true,
      ...(typeof total === "number" ? { total } : {}),
    });
  });
  if (parts.every((p) => !p.ok)) {
    return failure(texts.join("\n"));
  }
  if (
    "next_offset" in (results.find((r) => !r.isError)?.structuredContent ??
      {})
  ) {
    const offset = typeof merged.offset === "number" ? merged.offset : 0;
    const limit = typeof merged.limit === "number" ? merged.limit : 0;
    merged.next_offset = more ? offset + limit : null;
  }
  return {
    content: [{ type: "text", text: texts.join("\n\n") }],
    structuredContent: { server: "all", ...merged, servers: parts },
  };
}

async function runTool(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  env: CallEnv,
  entry: ServerEntry,
): Promise<CallToolResult> {
  const { server, deps, log, tools, options } = env;
  const plex = entry.client;
  // Aborted by the client's cancellation or by shutdown. Listeners are
  // removed when the call ends so none accumulate on the shutdown signal.
  const controller = new AbortController();
  const abort = () =>
    controller.abort(new DOMException("cancelled", "AbortError"));
  if (extra.signal.aborted || deps.shutdownSignal?.aborted) abort();
  extra.signal.addEventListener("abort", abort, { once: true });
  deps.shutdownSignal?.addEventListener("abort", abort, { once: true });
  const signal = controller.signal;
  // Every Plex request of this call draws from one time budget.
  plex.shareBudget(signal, plex.timeoutMs + waitAllowanceMs(args));
  const progressToken = extra._meta?.progressToken;
  const confirm: Confirm = async (message) => {
    if (!server.getClientCapabilities()?.elicitation) {
      return undefined;
    }
    let answer;
    try {
      answer = await server.elicitInput({
        message,
        requestedSchema: {
          type: "object",
          properties: {
            confirm: {
              type: "boolean",
              title: "Confirm",
              description: message,
            },
          },
          required: ["confirm"],
        },
      }, { signal, timeout: options.confirmTimeoutMs ?? 120_000 });
    } catch (error) {
      if (signal.aborted) throw error;
      // The client never answered (the request timed out) or failed to.
      throw new ToolInputError(
        "No answer to the confirmation question, so nothing was changed. Ask the user, then call again",
      );
    }
    if (answer.action === "cancel") {
      throw new ToolInputError(
        "The confirmation question was dismissed without an answer, so nothing was changed",
      );
    }
    return answer.action === "accept" && answer.content?.confirm === true;
  };
  const ctx: ToolContext = {
    plex,
    servers: deps.servers,
    signal,
    log,
    confirm,
    progress: async (progress, total, message) => {
      if (progressToken === undefined) return;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress, total, message },
      });
    },
    toolsets: tools.dynamic
      ? {
        list: () => tools.states(),
        enable: (name) => Promise.resolve(tools.enable(name)),
      }
      : undefined,
  };
  const started = performance.now();
  try {
    const result = await tool.handler(args, ctx);
    log.debug(
      `${tool.name} ok in ${(performance.now() - started).toFixed(1)} ms`,
    );
    // Its lines are cut by the caller (bounded), after redaction.
    const text = { type: "text" as const, text: result.text };
    return {
      // Images (posters) follow the text as content blocks of their own.
      content: result.images
        ? [
          text,
          ...result.images.map((i) => ({ type: "image" as const, ...i })),
        ]
        : [text],
      // Bounded (strings and arrays) by the caller, once, in one walk.
      structuredContent: result.structured as Record<string, unknown>,
      // A write that did not take is an error, with what Plex now holds.
      ...(result.notTaken ? { isError: true } : {}),
    };
  } catch (error) {
    return toolError(tool.name, error, log);
  } finally {
    extra.signal.removeEventListener("abort", abort);
    deps.shutdownSignal?.removeEventListener("abort", abort);
  }
}

/** Turns a thrown error into an `isError` result with a specific message. */
function toolError(
  name: string,
  error: unknown,
  log: Logger,
): CallToolResult {
  let message: string;
  if (
    error instanceof PlexError || error instanceof ToolInputError ||
    // plex.tv's errors (watchlist, Plex Home) say what to do, like Plex's;
    // matched by name so that start-up does not load the plex.tv client.
    (error instanceof Error && error.name === "PlexTvError")
  ) {
    message = error.message;
    log.warn(`${name} failed: ${message}`);
  } else if (error instanceof DOMException && error.name === "AbortError") {
    message = `${name} was cancelled`;
  } else {
    message = `${name} failed unexpectedly: ${
      error instanceof Error ? error.message : String(error)
    }`;
    log.error(message);
    // The stack stays on this machine: stderr only, never a notification.
    if (error instanceof Error && error.stack) {
      log.local("debug", `${name}: ${error.stack}`);
    }
  }
  return failure(message);
}
