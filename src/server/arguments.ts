/**
 * Checking a tool call's arguments: the problems zod finds, one a line
 * and bounded, and the argument keys the SDK would lose before any
 * schema sees them (`__proto__`).
 *
 * @module
 */
import { cut } from "../log.ts";
import type { ToolSet } from "./tool_set.ts";
import { errorResult } from "./results.ts";

/** Validation problems listed in one error; the rest are counted. */
const MAX_ISSUES = 10;

/** Keys that JSON may carry but objects built by assignment silently lose. */
const FORBIDDEN_KEYS = ["__proto__"];

/**
 * An argument named `__proto__` is lost when the SDK copies arguments by
 * assignment (it sets the copy's prototype instead), so the strict input
 * schema never sees it. The answer to a `tools/call` that has one, exactly
 * as the server answers any other unknown argument; undefined otherwise.
 */
export function refuseForbiddenKey(
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

/** One validation problem, as zod reports it. */
export interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: unknown[];
}

export type SafeParse = (data: unknown) =>
  | { success: true; data: unknown }
  | { success: false; error: { issues: Issue[] } };

/**
 * Validation problems, one a line, each naming its argument. At most
 * {@link MAX_ISSUES} problems at an argument are listed (a long array of
 * bad values would make one line each); the rest are counted on a last
 * line that names their arguments. Problems with the arguments as a whole
 * (unknown keys) are always listed.
 */
export function describeIssues(issues: readonly Issue[]): string {
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
