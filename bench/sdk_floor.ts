/**
 * The per-call floor: the least any MCP server made with the SDK does for a
 * read tool. One `McpServer`, one zod-described tool on the SDK's stdio
 * transport, whose tool fetches the Plex requests it is given (the
 * requests one call of a plexmcp tool makes, recorded by the overhead
 * benchmark, in the same groups), parses each JSON answer and answers a
 * short text. No validation of Plex's answer, no shaping, no redaction:
 * plexmcp's overhead divided by this one's is what our protections and
 * shaping cost over the SDK's own.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const base = Deno.env.get("PLEX_SERVER_URL")!;
const token = Deno.env.get("PLEX_TOKEN")!;

const server = new McpServer({ name: "sdk-floor", version: "1.0.0" });
server.registerTool(
  "fetch_plex",
  {
    title: "Fetch Plex",
    description: "Fetches Plex paths and says how many items came back.",
    inputSchema: {
      groups: z.array(
        z.array(z.object({ method: z.string(), path: z.string() })),
      ),
    },
  },
  async ({ groups }) => {
    let items = 0;
    for (const group of groups) {
      await Promise.all(group.map(async ({ method, path }) => {
        const r = await fetch(base + path, {
          method,
          headers: { Accept: "application/json", "X-Plex-Token": token },
        });
        const text = await r.text();
        // Subtitle files (find_dialogue) are text, not JSON.
        if (!text || !r.headers.get("content-type")?.includes("json")) return;
        const c = JSON.parse(text)?.MediaContainer;
        items += Number(c?.size ?? 0);
      }));
    }
    return { content: [{ type: "text", text: `${items} items` }] };
  },
);
await server.connect(new StdioServerTransport());
