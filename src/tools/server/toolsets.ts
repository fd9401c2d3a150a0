/**
 * The two tools of dynamic mode (`PLEX_TOOLSETS=dynamic`): the server starts
 * with only a small core and these, and the model turns on the toolsets it
 * needs, so toolsets nobody asked for cost nothing in the catalogue.
 *
 * @module
 */
import { z } from "../../zod.ts";
import {
  defineTool,
  READ_ONLY,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
  type Toolset,
  type ToolsetControl,
  TOOLSETS,
} from "../shared/define_tool.ts";

function control(ctx: ToolContext): ToolsetControl {
  if (!ctx.toolsets) {
    throw new ToolInputError("Toolsets can only be switched in dynamic mode");
  }
  return ctx.toolsets;
}

/** `list_toolsets`: which toolsets exist and which are on. */
export const listToolsets: ToolDefinition = defineTool({
  name: "list_toolsets",
  title: "List toolsets",
  description:
    "Lists the toolsets this server can turn on, whether each is on, and its tools. Turn one on with enable_toolset.",
  toolset: "server",
  annotations: READ_ONLY,
  input: {},
  output: {
    toolsets: z.array(z.object({
      name: z.string(),
      description: z.string(),
      enabled: z.boolean(),
      tools: z.array(z.string()),
    })),
  },
  handler: (_args, ctx) => {
    const toolsets = control(ctx).list();
    return Promise.resolve({
      structured: { toolsets },
      text: toolsets.map((t) =>
        `${t.name} (${t.enabled ? "on" : "off"}): ${t.description} – ${
          t.tools.join(", ") || "no tools in this mode"
        }`
      ).join("\n"),
    });
  },
});

const TOOLSET_NAMES = Object.keys(TOOLSETS) as [Toolset, ...Toolset[]];

/** `enable_toolset`: turns a toolset on. */
export const enableToolset: ToolDefinition = defineTool({
  name: "enable_toolset",
  title: "Turn on a toolset",
  description:
    "Turns on one toolset (see list_toolsets), adding its tools to this session; the client is told the tool list changed.",
  toolset: "server",
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  input: { toolset: z.enum(TOOLSET_NAMES) },
  output: { toolset: z.string(), added: z.array(z.string()) },
  handler: async (args, ctx) => {
    const added = await control(ctx).enable(args.toolset);
    return {
      structured: { toolset: args.toolset, added },
      text: added.length
        ? `Turned on ${args.toolset}: ${added.join(", ")}.`
        : `${args.toolset} was already on.`,
    };
  },
});

/** The dynamic-mode tools. */
export const DYNAMIC_TOOLS: readonly ToolDefinition[] = [
  listToolsets,
  enableToolset,
];
