/**
 * The cold-start baseline: the smallest real MCP server the SDK makes, one
 * `McpServer` with one zod-described tool on the SDK's own stdio transport.
 * The cold-start benchmark divides plexmcp's start-up by this one's, so the
 * ratio shows what our code adds to what the SDK itself costs.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "fixture", version: "1.0.0" });
server.registerTool(
  "echo",
  {
    title: "Echo",
    description: "Returns the text it was given.",
    inputSchema: { text: z.string().describe("What to echo") },
    outputSchema: { text: z.string() },
  },
  ({ text }) => ({
    content: [{ type: "text", text }],
    structuredContent: { text },
  }),
);
await server.connect(new StdioServerTransport());
