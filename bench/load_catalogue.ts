// Loads every tool definition (src/tools/mod.ts: zod and the tools' schemas,
// handlers and formatting), which the server does not load at start but on
// the first tools/call: part of the cold-start benchmark's breakdown.
import "../src/tools/mod.ts";
