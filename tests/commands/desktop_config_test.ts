/**
 * Runs every Claude Desktop snippet in the README against the loopback fake:
 * the command it names, with its flags, completes initialize + tools/list.
 */
import assert from "node:assert/strict";
import {
  childEnv,
  MOD_PATH,
  startFake,
  TEST_TOKEN,
  textOf,
  within,
} from "../support/helpers.ts";
import { Client, StdioClientTransport } from "../support/sdk_client.ts";

const root = new URL("../../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));
const snippets = [
  ...readme.matchAll(
    /<!-- desktop-config: (\S+) -->\s*```json\n([\s\S]*?)```/g,
  ),
].map(([, name, json]) => ({ name: name!, config: JSON.parse(json!) }));

Deno.test("README has a Desktop snippet for JSR (env and --env-file), a checkout and the binary", () => {
  assert.deepEqual(snippets.map((s) => s.name).sort(), [
    "binary",
    "checkout",
    "jsr-env",
    "jsr-env-file",
  ]);
});

const binaryPath = new URL("plexmcp", root).pathname;
let haveBinary = false;
try {
  haveBinary = Deno.statSync(binaryPath).isFile;
} catch {
  // deno-lint-ignore no-console
  console.warn(
    "desktop_config_test: the binary snippet is skipped: no ./plexmcp (deno task compile builds it, downloading Deno's runtime from dl.deno.land; see README)",
  );
}

for (const { name, config } of snippets) {
  Deno.test({
    name: `Desktop snippet "${name}" starts the server and lists tools`,
    ignore: name === "binary" && !haveBinary,
    fn: async () => {
      const entry = config.mcpServers.plex as {
        command: string;
        args?: string[];
        env?: Record<string, string>;
      };
      const args = entry.args ?? [];
      assert.ok(!args.includes("-A") && !args.includes("--allow-all"), "no -A");
      const { served } = startFake();
      const envFile = await Deno.makeTempFile({ suffix: ".env" });
      await Deno.writeTextFile(
        envFile,
        `PLEX_SERVER_URL=${served.url}\nPLEX_TOKEN=${TEST_TOKEN}\n`,
      );
      // deno by its absolute path (desktop apps do not see the shell's
      // PATH): the running deno stands in for the README's.
      assert.ok(entry.command.startsWith("/"), `absolute: ${entry.command}`);
      const isDeno = /\/deno$/.test(entry.command);
      const command = isDeno ? Deno.execPath() : binaryPath;
      const realArgs = args.map((a) =>
        a === "jsr:@plexmcp/server" || a.endsWith("/src/mod.ts")
          ? MOD_PATH
          : a.startsWith("--allow-net=")
          ? `--allow-net=${served.host}`
          : a.startsWith("--env-file=")
          ? `--env-file=${envFile}`
          : a.startsWith("--allow-read=")
          ? `--allow-read=${envFile}`
          : a
      );
      if (isDeno) {
        assert.ok(
          args.some((a) => /^--allow-net=[^,]+:\d+$/.test(a)),
          "net scoped to one host:port",
        );
      }
      const env: Record<string, string> = childEnv();
      for (const key of Object.keys(entry.env ?? {})) {
        env[key] = key === "PLEX_SERVER_URL"
          ? served.url
          : key === "PLEX_TOKEN"
          ? TEST_TOKEN
          : entry.env![key]!;
      }
      const transport = new StdioClientTransport({
        command,
        args: realArgs,
        env,
        stderr: "pipe",
      });
      const client = new Client({ name: `desktop-${name}`, version: "1" });
      try {
        await within(
          client.connect(transport),
          30_000,
          `the ${name} snippet's server to answer initialize`,
        );
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === "get_libraries"));
        const status = await client.callTool({
          name: "get_plex_status",
          arguments: {},
        });
        assert.equal(status.isError, undefined, textOf(status));
      } finally {
        await client.close();
        await served.close();
        await Deno.remove(envFile);
      }
    },
  });
}
