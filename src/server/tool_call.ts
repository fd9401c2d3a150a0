/**
 * Running one tool call: its abort signal (the client's cancellation and
 * shutdown), one time budget for all its Plex requests, confirmation
 * questions, progress notifications, and the answer; with `server: "all"`
 * on every server at once, merged.
 *
 * @module
 */
import type {
  CallToolResult,
  RequestHandlerExtra,
  Server,
  ServerNotification,
  ServerRequest,
} from "../sdk.ts";
import type { Logger } from "../log.ts";
import {
  type Confirm,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
} from "../tools/shared/define_tool.ts";
import type { PlexServers, ServerEntry } from "../servers.ts";
import type { ServerDeps, ServerOptions } from "./types.ts";
import type { ToolSet } from "./tool_set.ts";
import { failure, toolError } from "./results.ts";

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
export interface CallEnv {
  server: Server;
  deps: ServerDeps & { servers: PlexServers };
  log: Logger;
  tools: ToolSet;
  options: ServerOptions;
}

/**
 * Runs a tool that spans servers on each of them at once and merges the
 * answers: lists are joined with each entry tagged with its server, totals
 * added, `next_offset` kept while any server has more; a server that fails
 * is an error line naming it, and the others still answer.
 */
export async function runOnAll(
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

export async function runTool(
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
  // An abort event fires once; no `once` option (a conversion per call).
  extra.signal.addEventListener("abort", abort);
  deps.shutdownSignal?.addEventListener("abort", abort);
  const signal = controller.signal;
  // Every Plex request of this call draws from one time budget.
  // Ended with the call (below), so that its requests one after another
  // share one deadline timer.
  plex.holdBudget(signal, plex.timeoutMs + waitAllowanceMs(args));
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
    plex.endBudget(signal);
    extra.signal.removeEventListener("abort", abort);
    deps.shutdownSignal?.removeEventListener("abort", abort);
  }
}
