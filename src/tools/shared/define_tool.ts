/**
 * The shape of one MCP tool: a declarative definition with schemas,
 * annotations and a handler that returns structured content plus a compact
 * text rendering.
 *
 * @module
 */
import type { z } from "../../zod.ts";
import type { Logger } from "../../log.ts";
import type { PlexClient } from "../../plex/client.ts";
import type { PlexServers } from "../../servers.ts";

/** Groups of tools that can be switched on and off together. */
export type Toolset =
  | "server"
  | "library"
  | "activity"
  | "playlists"
  | "watch_state"
  | "playback"
  | "admin"
  | "curation"
  | "server_care"
  | "remote"
  | "insights"
  | "watch";

/** Every toolset with a one-line description. */
export const TOOLSETS: Readonly<Record<Toolset, string>> = {
  server: "Server status and libraries",
  library: "Search, browse and inspect media",
  activity: "What is playing now and watch history",
  playlists: "Read and edit playlists",
  watch_state: "Mark watched/unwatched and rate",
  playback: "Find players and control playback",
  admin: "Library scans, accounts and maintenance tasks",
  curation: "Edit collections, metadata and playlists; off by default",
  server_care: "Server dashboards, activities and housekeeping; off by default",
  remote:
    "Remote-control a player: navigation, streams, volume; off by default",
  insights:
    "Viewing stats, recommendations, watchlist and Home users; off by default",
  watch:
    "Markers, subtitles, dialogue search, recaps, where to watch, playback diagnosis",
};

/**
 * The toolsets offered when `PLEX_TOOLSETS` is not set. The opt-in ones
 * (curation, server_care, remote, insights) are left out so that a default
 * `tools/list` stays within the catalogue budget (`watch` fits it, and is
 * on); `all` or naming them turns them on, and so does `enable_toolset` in
 * dynamic mode.
 */
export const DEFAULT_TOOLSETS: readonly Toolset[] = [
  "server",
  "library",
  "activity",
  "playlists",
  "watch_state",
  "playback",
  "admin",
  "watch",
];

/** MCP tool annotations; every hint is required so none is forgotten. */
export interface ToolAnnotations {
  /** Does not change anything. */
  readOnlyHint: boolean;
  /** May delete or overwrite data. */
  destructiveHint: boolean;
  /** Repeating the call has no further effect. */
  idempotentHint: boolean;
  /** Talks to a system outside the MCP server (Plex). */
  openWorldHint: boolean;
}

/** Annotations of a tool that only reads from Plex. */
export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Annotations of a tool that changes something on the server. */
export function writes(
  options: { idempotent: boolean; destructive?: boolean },
): ToolAnnotations {
  return {
    readOnlyHint: false,
    destructiveHint: options.destructive ?? false,
    idempotentHint: options.idempotent,
    openWorldHint: true,
  };
}

/** Asks the user a yes/no question through MCP elicitation. */
export type Confirm = (message: string) => Promise<boolean | undefined>;

/** One toolset as the dynamic-mode tools see it. */
export interface ToolsetState {
  /** Toolset name. */
  name: Toolset;
  /** What it holds. */
  description: string;
  /** Whether its tools are offered now. */
  enabled: boolean;
  /** Tools it offers (in read-only mode, its read tools only). */
  tools: string[];
}

/** Turns toolsets on while the server runs (dynamic mode). */
export interface ToolsetControl {
  /** Every toolset and whether it is on. */
  list(): ToolsetState[];
  /** Turns a toolset on; returns the tools it added (none if already on). */
  enable(name: Toolset): Promise<string[]>;
}

/** What a handler gets besides its arguments. */
export interface ToolContext {
  /** The Plex client. */
  plex: PlexClient;
  /** Aborted when the client cancels or the server shuts down. */
  signal: AbortSignal;
  /** Logger (stderr and MCP logging). */
  log: Logger;
  /** Sends a progress notification when the client asked for progress. */
  progress: (
    progress: number,
    total?: number,
    message?: string,
  ) => Promise<void>;
  /**
   * Asks the user to confirm through elicitation; `undefined` when the client
   * does not support elicitation.
   */
  confirm: Confirm;
  /** Toolset switches, in dynamic mode only. */
  toolsets?: ToolsetControl;
  /**
   * Every configured server (`plex` is the one this call uses); only the
   * tools that look at all of them (`list_servers`) need it.
   */
  servers: PlexServers;
}

/** An image a tool returns besides its text (an MCP image content block). */
export interface ToolImage {
  /** The image bytes, base64. */
  data: string;
  /** `image/jpeg` or `image/png`. */
  mimeType: string;
}

/** What a handler returns. */
export interface ToolResult<O> {
  /** Structured content; must match the output schema. */
  structured: O;
  /** Compact text for the model: one line per item, with ids. */
  text: string;
  /** Images sent as content blocks after the text (posters). */
  images?: ToolImage[];
  /**
   * A write Plex accepted whose read-back is not what was asked: the
   * answer is an error (`isError`) that still carries what Plex holds
   * (see `readback.ts`).
   */
  notTaken?: boolean;
}

/** A tool error the user can act on (bad name, ambiguous title…). */
export class ToolInputError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ToolInputError";
  }
}

/** A typed tool definition (see {@link defineTool}). */
export interface TypedToolDefinition<
  I extends z.ZodRawShape,
  O extends z.ZodRawShape,
> {
  /** snake_case name, verb first. */
  name: string;
  /** Human title. */
  title: string;
  /** Written for a model: what it returns, when to use it, how to page. */
  description: string;
  /** Toolset the tool belongs to. */
  toolset: Toolset;
  /** MCP annotations. */
  annotations: ToolAnnotations;
  /**
   * Offered only when several servers are configured (`list_servers`).
   * Such a tool takes no `server` argument.
   */
  severalServersOnly?: boolean;
  /**
   * Takes `server: "all"` when several servers are configured: the server
   * runs it on each and merges the answers (lists of items, totals).
   */
  spansServers?: boolean;
  /** Input schema (a zod shape). */
  input: I;
  /** Output schema (a zod shape). */
  output: O;
  /** Does the work. */
  handler: (
    args: z.output<z.ZodObject<I>>,
    ctx: ToolContext,
  ) => Promise<ToolResult<z.output<z.ZodObject<O>>>>;
}

/** A tool definition with its types erased, as the registry holds it. */
export interface ToolDefinition {
  /** snake_case name. */
  readonly name: string;
  /** Human title. */
  readonly title: string;
  /** Description for the model. */
  readonly description: string;
  /** Toolset. */
  readonly toolset: Toolset;
  /** Annotations. */
  readonly annotations: ToolAnnotations;
  /** Offered only when several servers are configured. */
  readonly severalServersOnly?: boolean;
  /** Takes `server: "all"` (see {@link TypedToolDefinition.spansServers}). */
  readonly spansServers?: boolean;
  /** Input zod shape. */
  readonly input: z.ZodRawShape;
  /** Output zod shape. */
  readonly output: z.ZodRawShape;
  /** Handler; arguments were validated against `input`. */
  readonly handler: (
    args: Record<string, unknown>,
    ctx: ToolContext,
  ) => Promise<ToolResult<Record<string, unknown>>>;
}

/** Declares a tool; the handler's argument type is inferred from `input`. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  definition: TypedToolDefinition<I, O>,
): ToolDefinition {
  return definition as unknown as ToolDefinition;
}
