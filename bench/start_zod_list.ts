/**
 * Cold-start breakdown, variant (b): the server as shipped, except that
 * `tools/list` is built from the zod registry at run time (every tool
 * definition loaded and its schemas converted when the list is asked for,
 * as the SDK's `McpServer` does on each list) instead of read from the
 * pre-built `tools_list.json`. The difference to the shipped server is what
 * the pre-built catalogue saves. The answer is the same (`deno task docs`
 * builds `tools_list.json` with the same `wireTool`); the cold-start bench
 * checks that it is.
 */
import { ListToolsRequestSchema, Server } from "../src/sdk.ts";
import { runCli } from "../src/mod.ts";

const install = Server.prototype.setRequestHandler;
Server.prototype.setRequestHandler = function (
  this: Server,
  schema: unknown,
  handler: unknown,
) {
  const fromRegistry = async () => {
    const [{ ALL_TOOLS }, { wireTool }] = await Promise.all([
      import("../src/tools/mod.ts"),
      import("../src/tools/shared/wire.ts"),
    ]);
    // The benchmark's configuration offers the default toolsets (one
    // server), in catalogue order.
    const { DEFAULT_TOOLSETS } = await import(
      "../src/tools/shared/define_tool.ts"
    );
    return {
      tools: ALL_TOOLS.filter((t) =>
        !t.severalServersOnly && DEFAULT_TOOLSETS.includes(t.toolset)
      ).map(wireTool),
    };
  };
  return (install as (s: unknown, h: unknown) => void).call(
    this,
    schema,
    schema === ListToolsRequestSchema ? fromRegistry : handler,
  );
} as typeof install;

const out = new TextEncoder();
Deno.exit(
  await runCli(Deno.args, {
    print: (text) => Deno.stdout.writeSync(out.encode(text + "\n")),
  }),
);
