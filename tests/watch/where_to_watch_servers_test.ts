/**
 * where_to_watch with several servers configured: every server is asked
 * for its copies, each copy names its server, and a server that cannot
 * answer is named rather than failing the call.
 */
import assert from "node:assert/strict";
import { Client, InMemoryTransport } from "../support/sdk_client.ts";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { Logger } from "../../src/log.ts";
import { PlexClient } from "../../src/plex/client.ts";
import { createServer } from "../../src/server.ts";
import { PlexServers } from "../../src/servers.ts";
import { textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("where_to_watch asks every configured server and names the one that failed", async () => {
  const home = new FakePlex({ token: "demo-token" });
  const cabin = new FakePlex({ token: "demo-token" });
  const attic = new FakePlex({ token: "demo-token" });
  attic.fault = "500";
  const client = (fake: FakePlex, host: string) =>
    new PlexClient({
      baseUrl: `http://${host}:32400`,
      token: "demo-token",
      fetch: fake.fetch,
    });
  const plex = client(home, "home");
  const servers = new PlexServers([
    { name: "Home", client: plex, owned: true },
    { name: "Cabin", client: client(cabin, "cabin"), owned: true },
    { name: "Attic", client: client(attic, "attic"), owned: true },
  ]);
  const server = createServer(
    { plex, servers, logger: new Logger({ write: () => {} }) },
    { toolsets: ["watch"] },
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  const mcp = new Client({ name: "t", version: "1" });
  await Promise.all([server.connect(a), mcp.connect(b)]);
  try {
    const r: Any = await mcp.callTool({
      name: "where_to_watch",
      arguments: { title: "Charade" },
    });
    assert.equal(r.isError, undefined, textOf(r));
    const s = r.structuredContent;
    assert.deepEqual(s.servers.map((c: Any) => c.server), ["Home", "Cabin"]);
    assert.equal(s.unreachable.length, 1);
    assert.match(s.unreachable[0], /^Attic: /);
    assert.match(textOf(r), /On your servers: Home · Classic Movies \[\d+\]/);
    assert.match(textOf(r), /Could not check Attic: Plex answered 500/);
  } finally {
    await mcp.close();
  }
});
