// Loads plexmcp's tool catalogue, configuration and Plex client without the
// MCP SDK: part of the cold-start benchmark's breakdown (what our own code
// costs to load, zod included).
import "../src/tools/mod.ts";
import "../src/config.ts";
import "../src/plex/client.ts";
