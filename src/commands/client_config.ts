/**
 * MCP client configurations for a plexmcp setup, in each popular client's
 * own format: Claude Desktop, Claude Code, VS Code and Cursor. Used by
 * `plexmcp login` (after writing the settings) and `plexmcp config`; with
 * `--http`, configurations that connect to `plexmcp serve --http` by URL
 * with the bearer token in the `Authorization` header.
 *
 * @module
 */
import { V8_FLAGS_ARG } from "../config/v8_flags.ts";

/** Clients `plexmcp config` knows. */
export const CLIENTS = ["claude", "claude-code", "vscode", "cursor"] as const;

/** One of {@link CLIENTS}. */
export type ClientKind = typeof CLIENTS[number];

/** How the server is started. */
export type LaunchMode =
  | { kind: "jsr" }
  | { kind: "checkout"; path: string }
  | { kind: "binary"; path: string };

/** What the configuration describes. */
export interface LaunchSpec {
  /** How the server is started. */
  mode: LaunchMode;
  /** `host:port` values for `--allow-net` (every configured server). */
  hosts: readonly string[];
  /** Settings file loaded with `--env-file` (deno run forms). */
  envFile?: string;
  /**
   * Settings passed as environment variables instead (the binary, which
   * cannot take `--env-file`; or when no file is used).
   */
  env?: Readonly<Record<string, string>>;
  /** The deno executable (default {@link denoCommand}). */
  deno?: string;
}

/**
 * The deno executable a configuration starts: the one running now, by its
 * absolute path, since desktop apps (Claude Desktop on macOS among them)
 * start servers without the shell's PATH. Run as the compiled binary,
 * where the running executable is not deno: plain `deno`.
 */
export function denoCommand(): string {
  const path = Deno.execPath();
  return /(^|[\\/])deno(\.exe)?$/i.test(path) ? path : "deno";
}

/** The JSR module the deno run forms start. */
export const JSR_MODULE = "jsr:@plexmcp/server";

/** `host:port` of an http(s) address, for `--allow-net`. */
export function hostOf(url: string): string {
  return new URL(url).host;
}

/** The command and arguments that start the server. */
export function launchCommand(
  spec: LaunchSpec,
): { command: string; args: string[] } {
  if (spec.mode.kind === "binary") {
    return { command: spec.mode.path, args: [] };
  }
  const args = ["run", V8_FLAGS_ARG];
  // Deno loads --env-file itself, before any permission applies: the
  // server needs no --allow-read for it.
  if (spec.envFile) args.push(`--env-file=${spec.envFile}`);
  args.push(`--allow-net=${[...new Set(spec.hosts)].join(",")}`);
  args.push("--allow-env");
  args.push(
    spec.mode.kind === "jsr"
      ? JSR_MODULE
      : `${spec.mode.path.replace(/\/+$/, "")}/src/mod.ts`,
  );
  return { command: spec.deno ?? denoCommand(), args };
}

/** Quotes one word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)
    ? word
    : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The configuration text for `client`: JSON for Claude Desktop, VS Code
 * and Cursor, a `claude mcp add` command line for Claude Code.
 */
export function clientConfig(
  client: ClientKind,
  spec: LaunchSpec,
  name = "plex",
): string {
  const { command, args } = launchCommand(spec);
  const env = spec.env && Object.keys(spec.env).length ? spec.env : undefined;
  const entry = {
    command,
    ...(args.length ? { args } : {}),
    ...(env ? { env } : {}),
  };
  switch (client) {
    case "claude":
    case "cursor":
      return JSON.stringify({ mcpServers: { [name]: entry } }, null, 2);
    case "vscode":
      return JSON.stringify(
        { servers: { [name]: { type: "stdio", ...entry } } },
        null,
        2,
      );
    case "claude-code": {
      const words = ["claude", "mcp", "add", name];
      for (const [k, v] of Object.entries(env ?? {})) {
        words.push("-e", `${k}=${v}`);
      }
      words.push("--", command, ...args);
      return words.map(shellQuote).join(" ");
    }
  }
}

/** Where each client keeps the configuration (for the hint printed with it). */
export const CLIENT_FILES: Readonly<Record<ClientKind, string>> = {
  claude:
    "Claude Desktop: Settings → Developer → Edit Config (claude_desktop_config.json); merge into mcpServers",
  "claude-code": "Claude Code: run this command once",
  vscode: "VS Code: .vscode/mcp.json in the workspace (merge into servers)",
  cursor:
    "Cursor: ~/.cursor/mcp.json or .cursor/mcp.json (merge into mcpServers)",
};

/** A `serve --http` endpoint a client connects to. */
export interface HttpSpec {
  /** The endpoint URL, e.g. `http://127.0.0.1:8765/mcp`. */
  url: string;
  /**
   * The bearer token (`PLEX_HTTP_TOKEN`); undefined with OAuth
   * (`PLEX_HTTP_AUTH=oauth`), where the client signs in by itself: no
   * header, the server's 401 sends it through discovery to the consent page.
   */
  token?: string;
}

/** The npm package Claude Desktop's configuration runs as a local bridge. */
export const MCP_REMOTE = "mcp-remote";

/** The variable the bridge's configuration keeps the header value in. */
export const BRIDGE_HEADER_VARIABLE = "PLEXMCP_AUTH_HEADER";

/**
 * The configuration text for `client` connecting to `serve --http`: VS
 * Code, Cursor and Claude Code by URL with the `Authorization` header;
 * Claude Desktop, whose configuration file starts local servers only,
 * through the `mcp-remote` bridge (run by npx, so Node.js is needed). The
 * bridge refuses plain http to anything but localhost unless told
 * `--allow-http`, which it is for such a URL.
 */
export function httpClientConfig(
  client: ClientKind,
  spec: HttpSpec,
  name = "plex",
): string {
  const header = spec.token === undefined ? undefined : `Bearer ${spec.token}`;
  const headers = header ? { headers: { Authorization: header } } : {};
  switch (client) {
    case "claude": {
      const u = new URL(spec.url);
      const local = u.hostname === "localhost" || u.hostname === "127.0.0.1";
      const args = [
        "-y",
        MCP_REMOTE,
        spec.url,
        "--transport",
        "http-only",
        ...(header
          ? [
            "--header",
            // No space around the colon: some clients split arguments at
            // spaces.
            `Authorization:\${${BRIDGE_HEADER_VARIABLE}}`,
          ]
          : []),
        ...(u.protocol === "http:" && !local ? ["--allow-http"] : []),
      ];
      return JSON.stringify(
        {
          mcpServers: {
            [name]: {
              command: "npx",
              args,
              ...(header ? { env: { [BRIDGE_HEADER_VARIABLE]: header } } : {}),
            },
          },
        },
        null,
        2,
      );
    }
    case "cursor":
      return JSON.stringify(
        {
          mcpServers: {
            [name]: { url: spec.url, ...headers },
          },
        },
        null,
        2,
      );
    case "vscode":
      return JSON.stringify(
        {
          servers: {
            [name]: {
              type: "http",
              url: spec.url,
              ...headers,
            },
          },
        },
        null,
        2,
      );
    case "claude-code":
      return [
        "claude",
        "mcp",
        "add",
        "--transport",
        "http",
        name,
        spec.url,
        ...(header ? ["--header", `Authorization: ${header}`] : []),
      ].map(shellQuote).join(" ");
  }
}

/** Where each client keeps an HTTP configuration (the hint printed with it). */
export const HTTP_CLIENT_FILES: Readonly<Record<ClientKind, string>> = {
  claude:
    "Claude Desktop: Settings → Developer → Edit Config (claude_desktop_config.json); merge into mcpServers. The mcp-remote bridge runs with npx: Node.js must be installed",
  "claude-code": "Claude Code: run this command once",
  vscode: "VS Code: .vscode/mcp.json in the workspace (merge into servers)",
  cursor:
    "Cursor: ~/.cursor/mcp.json or .cursor/mcp.json (merge into mcpServers)",
};
