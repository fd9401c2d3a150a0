/**
 * The token stays with Plex even when Deno's permissions would let it go
 * elsewhere: the server runs with `--allow-net` for any host (as
 * `deno task start`, the compiled binary and the bundle do), the fake Plex
 * redirects every request to a second loopback server, and that server must
 * receive nothing while every tool reports the redirect by host. Redirects
 * within the configured origin are followed (a trailing-slash redirect in
 * front of Plex), a redirect loop is stopped.
 */
import assert from "node:assert/strict";
import {
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";
import {
  ONE_SERVER_TOOLS,
  PLEX_TV_TOOLS,
  validArgs,
} from "../support/tool_args.ts";

/**
 * The tools under test: every default tool but those that also talk to
 * plex.tv (where_to_watch), which this server would reach on the real
 * internet; tests/tools/insights/watchlist_and_home_users_test.ts gives
 * them the same check with a fake plex.tv.
 */
const TOOLS = ONE_SERVER_TOOLS.filter((t) => !PLEX_TV_TOOLS.includes(t.name));

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
    for (const tool of TOOLS) {
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
  } finally {
    await server.close();
    await served.close();
    await elsewhere.shutdown();
  }
});

Deno.test("same-origin redirects are followed by every tool, writes included, and a redirect loop stops after 5 hops", async () => {
  const { fake, served } = startFake();
  const args = validArgs(fake.library);
  const server = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
    },
    allowNet: "*",
  });
  try {
    // A web server in front of Plex adds a trailing slash to every path
    // (301 for reads, 308 for writes), on the same origin.
    fake.fault = "redirect-same-origin";
    let redirected = 0;
    for (const tool of TOOLS) {
      const before = fake.requests.length;
      const r = await server.client.callTool({
        name: tool.name,
        arguments: args[tool.name],
      });
      assert.equal(r.isError, undefined, `${tool.name}: ${textOf(r)}`);
      // Every request (but those for `/`, which has its slash) was
      // redirected once and followed once.
      const seen = fake.requests.slice(before).map((q) => q.path.split("?")[0]!)
        .filter((p) => p !== "/");
      const first = seen.filter((p) => !p.endsWith("/"));
      const followed = seen.filter((p) => p.endsWith("/"));
      redirected += first.length;
      assert.equal(
        followed.length,
        first.length,
        `${tool.name}: ${seen.join(", ")}`,
      );
    }
    assert.ok(redirected > 50, `${redirected} requests redirected`);
    const writes = fake.requests.filter((q) =>
      q.method !== "GET" && q.path.split("?")[0]!.endsWith("/")
    );
    assert.ok(writes.length > 0, "writes followed 308s, keeping the method");

    // A redirect to itself: each call stops after the first request and 5
    // more hops, with the loop named.
    fake.fault = "loop";
    const before = fake.requests.length;
    const loop = await server.client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(loop.isError, true);
    assert.match(
      textOf(loop),
      /Plex redirected GET \/library\/sections more than 5 times \(a redirect loop\)/,
    );
    assert.equal(
      fake.requests.slice(before).filter((q) =>
        q.path.startsWith("/library/sections")
      ).length,
      6,
      "the request and 5 redirects",
    );
    fake.fault = undefined;
    const ok = await server.client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(ok.isError, undefined);
  } finally {
    await server.close();
    await served.close();
  }
});
