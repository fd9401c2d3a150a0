/**
 * The tools one server offers: the toolsets turned on, read-only mode,
 * several servers (the `server` argument added to each entry), and the
 * toolsets dynamic mode turns on while it runs.
 *
 * @module
 */
import type { ToolDefinition, Toolset } from "../tools/shared/define_tool.ts";
import { TOOLSETS } from "../tools/shared/define_tool.ts";
import type { ToolSelection } from "../tools/shared/select.ts";
import { loadDefinition, loadWire, TOOL_INDEX } from "../tools/runtime.ts";
import type { WireTool } from "../tools/shared/wire.ts";
import type { PlexServers } from "../servers.ts";

/** The argument that picks a server, when several are configured. */
export const SERVER_ARG = "server";

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
export class ToolSet {
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
        import("../tools/server/toolsets.ts"),
        import("../tools/shared/wire.ts"),
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
      const { DYNAMIC_TOOLS } = await import("../tools/server/toolsets.ts");
      return DYNAMIC_TOOLS.find((t) => t.name === name);
    }
    return await loadDefinition(name);
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
