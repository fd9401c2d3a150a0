// Loads only the MCP SDK's protocol types (its zod schemas of every MCP
// message), which any SDK server or client loads first: part of the
// cold-start benchmark's breakdown.
import "@modelcontextprotocol/sdk/types.js";
