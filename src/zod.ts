/**
 * zod, for every module of plexmcp. Each module that names an npm package
 * by its bare specifier costs Deno about 0.2 ms when it builds the module
 * graph at start (measured: 100 modules importing `"zod"` add ~23 ms to a
 * start, the same 100 importing this file ~3 ms), and Deno builds the
 * whole graph, the tool definitions loaded on first use included, before
 * it runs anything. So the tools import zod from here, and
 * `src/zod_test.ts` keeps it so.
 *
 * @module
 */
export { z } from "zod";
