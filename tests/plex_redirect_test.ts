/**
 * The token stays with Plex even when Deno's permissions would let it go
 * elsewhere: the server runs with `--allow-net` for any host (as
 * `deno task start`, the compiled binary and the bundle do), the fake Plex
 * redirects every request to a second loopback server, and that server must
 * receive nothing while every tool reports the redirect by host.
 */
import assert from "node:assert/strict";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { spawnServer, startFake, TEST_TOKEN, textOf } from "./helpers.ts";
import { validArgs } from "./tool_args.ts";

Deno.test("a redirect to another host is refused by every tool, and that host receives nothing", async () => {
  const received: string[] = [];
  const elsewhere = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      received.push(`${req.method} ${new URL(req.url).pathname}`);
      return new Response("login page");
    },
  );
  const otherHost = `127.0.0.1:${(elsewhere.addr as Deno.NetAddr).port}`;
  const { fake, served } = startFake();
  fake.redirectTo = `http://${otherHost}`;
  const args = validArgs(fake.library);
  const server = await spawnServer({
    env: { PLEX_SERVER_URL: served.url, PLEX_TOKEN: TEST_TOKEN },
    allowNet: "*",
  });
  try {
    fake.fault = "redirect";
    for (const tool of ALL_TOOLS) {
      const r = await server.client.callTool({
        name: tool.name,
        arguments: args[tool.name],
      });
      assert.equal(r.isError, true, tool.name);
      const text = textOf(r);
      assert.ok(
        text.includes(`to another server, ${otherHost} (http); not followed`),
        `${tool.name}: ${text}`,
      );
    }
    assert.deepEqual(received, [], "the other host was never contacted");
    // Same-origin redirects are still followed.
    fake.fault = undefined;
    const ok = await server.client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(ok.isError, undefined);
  } finally {
    await server.close();
    await served.close();
    await elsewhere.shutdown();
  }
});
