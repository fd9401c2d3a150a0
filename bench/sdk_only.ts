// Loads only the MCP SDK's server module: the cold-start benchmark's measure
// of what the SDK alone costs.
import "@modelcontextprotocol/sdk/server/mcp.js";
