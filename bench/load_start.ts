// Loads everything the server loads at start (src/mod.ts's static imports:
// the SDK's protocol server and types, plexmcp's configuration, Plex client,
// stdio transport, server and tool index) without running it: part of the
// cold-start benchmark's breakdown.
import "../src/mod.ts";
