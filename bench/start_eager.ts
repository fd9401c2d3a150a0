/**
 * Cold-start breakdown, variant (c): the server as shipped, except that
 * every tool definition (zod schemas, handlers, formatting) is imported at
 * start instead of on the first `tools/call`. The difference to the shipped
 * server is what loading tools on first use saves.
 */
import "../src/tools/mod.ts";
import { runCli } from "../src/mod.ts";

const out = new TextEncoder();
Deno.exit(
  await runCli(Deno.args, {
    print: (text) => Deno.stdout.writeSync(out.encode(text + "\n")),
  }),
);
