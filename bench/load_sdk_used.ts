// Loads only the SDK modules plexmcp uses (src/sdk.ts: the protocol
// `Server` and the protocol types): part of the cold-start benchmark's
// breakdown.
import "../src/sdk.ts";
