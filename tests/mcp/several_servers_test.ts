/**
 * Several servers from one plexmcp, through the real stdio server: the
 * `server` argument, list_servers, `server: "all"` merging, one server
 * down, machine identifiers, resource URIs and missing permissions.
 */
import assert from "node:assert/strict";
import {
  ACCOUNT_TOKEN,
  type FakeAccount,
  SHARED_TOKEN,
  startAccount,
} from "../support/accounts.ts";
import { spawnServer, textOf } from "../support/helpers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

async function twoServers(
  options: {
    allowNet?: string;
    extraEnv?: Record<string, string>;
    /** Environment that needs the account's addresses. */
    envFor?: (account: FakeAccount) => Record<string, string>;
  } = {},
) {
  const account = startAccount();
  const env = {
    PLEX_SERVERS:
      `home=${account.homeServed.url},cabin=${account.cabinServed.url}`,
    PLEX_TOKENS: `home=${ACCOUNT_TOKEN},cabin=${SHARED_TOKEN}`,
    PLEX_CACHE_TTL: "0",
    ...options.extraEnv,
    ...options.envFor?.(account),
  };
  const s = await spawnServer({
    env,
    allowNet: options.allowNet ??
      `${account.homeServed.host},${account.cabinServed.host}`,
  });
  return {
    ...s,
    account,
    close: async () => {
      await s.close();
      await account.close().catch(() => {});
    },
  };
}

Deno.test("several servers: every server-bound tool takes server, list_servers is offered, the instructions name them", async () => {
  const s = await twoServers();
  try {
    const { tools } = await s.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.ok(byName.has("list_servers"));
    for (const t of tools) {
      const props = (t.inputSchema as Any).properties ?? {};
      if (t.name === "list_servers") {
        assert.equal(props.server, undefined);
        continue;
      }
      assert.equal(props.server?.type, "string", `${t.name} takes server`);
      assert.match(props.server.description, /default home/);
      assert.equal((t.outputSchema as Any).properties.server.type, "string");
    }
    assert.match(
      (byName.get("search_media")!.inputSchema as Any).properties.server
        .description,
      /or all/,
    );
    assert.doesNotMatch(
      (byName.get("browse_library")!.inputSchema as Any).properties.server
        .description,
      /or all/,
    );
    assert.match(s.client.getInstructions() ?? "", /home, cabin/);
  } finally {
    await s.close();
  }
});

Deno.test("list_servers: names, machine identifiers, versions, library counts", async () => {
  const s = await twoServers();
  try {
    const r = await s.client.callTool({ name: "list_servers", arguments: {} });
    assert.equal(r.isError, undefined, textOf(r));
    const rows = (r.structuredContent as Any).servers;
    assert.deepEqual(rows.map((x: Any) => [x.name, x.default, x.reachable]), [
      ["home", true, true],
      ["cabin", false, true],
    ]);
    assert.equal(
      rows[1].machineIdentifier,
      s.account.cabin.library.machineIdentifier,
    );
    assert.equal(rows[1].friendlyName, "Cabin");
    assert.equal(rows[0].libraries, s.account.home.library.sections.size);
    assert.equal(rows[0].owned, null, "pairs form records no ownership");
    assert.match(textOf(r), /^home \(default\)/);
    const bad = await s.client.callTool({
      name: "list_servers",
      arguments: { server: "home" },
    });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /Unrecognized key: "server"/);
  } finally {
    await s.close();
  }
});

Deno.test("server picks the server by name or machine identifier; the answer names it; unknown names list the choices", async () => {
  const s = await twoServers();
  try {
    const searches = (fake: Any) =>
      fake.requests.filter((q: Any) => q.path.startsWith("/hubs/search"))
        .length;
    const d = await s.client.callTool({
      name: "search_media",
      arguments: { query: "night" },
    });
    assert.match(textOf(d), /^Server: home\n/);
    assert.equal((d.structuredContent as Any).server, "home");
    assert.equal(searches(s.account.home), 1);
    assert.equal(searches(s.account.cabin), 0);

    const c = await s.client.callTool({
      name: "search_media",
      arguments: { query: "night", server: "Cabin" },
    });
    assert.match(textOf(c), /^Server: cabin\n/);
    assert.equal(searches(s.account.cabin), 1);

    const byId = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: s.account.cabin.library.machineIdentifier },
    });
    assert.equal((byId.structuredContent as Any).server, "cabin");

    const unknown = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: "attic" },
    });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /No server "attic": choose "home", "cabin"/);

    const notAll = await s.client.callTool({
      name: "browse_library",
      arguments: { library: "1", server: "all" },
    });
    assert.equal(notAll.isError, true);
    assert.match(textOf(notAll), /works on one server: name it/);

    const wrongType = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: 7 },
    });
    assert.equal(wrongType.isError, true);
    assert.match(textOf(wrongType), /server must be a server name/);
  } finally {
    await s.close();
  }
});

Deno.test("server all: every server at once, entries tagged with their server, totals added; one server down is one error line", async () => {
  const s = await twoServers();
  try {
    const one = await s.client.callTool({
      name: "search_media",
      arguments: { query: "night", server: "home" },
    });
    const all = await s.client.callTool({
      name: "search_media",
      arguments: { query: "night", server: "all" },
    });
    assert.equal(all.isError, undefined, textOf(all));
    const sc = all.structuredContent as Any;
    const n = (one.structuredContent as Any).items.length;
    assert.equal(sc.items.length, 2 * n);
    assert.deepEqual(
      [...new Set(sc.items.map((i: Any) => i.server))],
      ["home", "cabin"],
    );
    assert.equal(sc.total, 2 * (one.structuredContent as Any).total);
    assert.deepEqual(sc.servers.map((p: Any) => [p.name, p.ok]), [
      ["home", true],
      ["cabin", true],
    ]);
    assert.match(textOf(all), /^home:\n[\s\S]*\n\ncabin:\n/);

    const sessions = await s.client.callTool({
      name: "get_active_sessions",
      arguments: { server: "all" },
    });
    assert.equal(sessions.isError, undefined, textOf(sessions));
    assert.ok(
      (sessions.structuredContent as Any).sessions.every((x: Any) =>
        x.server === "home" || x.server === "cabin"
      ),
    );

    // The cabin goes away: its part is an error line, home still answers.
    await s.account.cabinServed.close();
    const partly = await s.client.callTool({
      name: "get_on_deck",
      arguments: { server: "all" },
    });
    assert.equal(partly.isError, undefined, textOf(partly));
    assert.match(textOf(partly), /^home:\n/);
    assert.match(textOf(partly), /\ncabin: error: Cannot reach Plex/);
    const parts = (partly.structuredContent as Any).servers;
    assert.deepEqual(parts.map((p: Any) => [p.name, p.ok]), [
      ["home", true],
      ["cabin", false],
    ]);
    const direct = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: "cabin" },
    });
    assert.equal(direct.isError, true);
    assert.match(textOf(direct), /^cabin: Cannot reach Plex/);
    const home = await s.client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.equal(home.isError, undefined, "the default still answers");
  } finally {
    await s.close();
  }
});

Deno.test("resources with several servers: each server's libraries, ?server= in URIs and templates", async () => {
  const s = await twoServers();
  try {
    const { resources } = await s.client.listResources();
    assert.ok(resources.some((r) => r.uri === "plex://libraries?server=home"));
    assert.ok(
      resources.some((r) => r.uri === "plex://library/1?server=cabin"),
      resources.map((r) => r.uri).join(" "),
    );
    const { resourceTemplates } = await s.client.listResourceTemplates();
    assert.ok(
      resourceTemplates.some((t) =>
        t.uriTemplate === "plex://media/{ratingKey}{?server}"
      ),
    );
    const before = s.account.cabin.requests.length;
    const media = await s.client.readResource({
      uri: "plex://media/1003?server=cabin",
    });
    assert.match(
      String((media.contents[0] as Any).text),
      /"ratingKey": "1003"/,
    );
    assert.ok(s.account.cabin.requests.length > before, "read from cabin");
    await assert.rejects(
      s.client.readResource({ uri: "plex://media/1003?server=attic" }),
      /No server "attic"/,
    );
    await assert.rejects(
      s.client.readResource({ uri: "plex://media/1003?server=%E0" }),
      (e: Any) =>
        e.code === -32602 && /not valid percent-encoding/.test(e.message),
    );
  } finally {
    await s.close();
  }
});

Deno.test("a server outside --allow-net: a warning at start with the exact flag, and calls to it say what to add", async () => {
  const s = await twoServers({ allowNet: "127.0.0.1:1" });
  try {
    const host = s.account.cabinServed.host;
    const r = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: "cabin" },
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      new RegExp(
        `Deno was not allowed to connect to ${host}.*--allow-net=${host}`,
      ),
    );
    // The start-up warning lists every server in one flag.
    for (let i = 0; i < 50 && !/--allow-net=/.test(s.stderr()); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.match(
      s.stderr(),
      new RegExp(
        `Start Deno with --allow-net=${s.account.homeServed.host},${host}`,
      ),
    );
  } finally {
    await s.close();
  }
});

Deno.test("one server configured: no server argument, no list_servers", async () => {
  const account = startAccount();
  const s = await spawnServer({
    env: {
      PLEX_SERVER_URL: account.homeServed.url,
      PLEX_TOKEN: ACCOUNT_TOKEN,
    },
    allowNet: account.homeServed.host,
  });
  try {
    const { tools } = await s.client.listTools();
    assert.ok(!tools.some((t) => t.name === "list_servers"));
    assert.ok(
      tools.every((t) =>
        !("server" in ((t.inputSchema as Any).properties ?? {}))
      ),
    );
    const r = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: "home" },
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /Unrecognized key: "server"/);
    const ok = await s.client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.doesNotMatch(textOf(ok), /^Server:/);
  } finally {
    await s.close();
    await account.close();
  }
});

/** Requests for the library list a fake has served. */
function sectionReads(fake: Any): number {
  return fake.requests.filter((q: Any) => q.path === "/library/sections")
    .length;
}

Deno.test("a server answering as another server's machine identifier takes none of its calls (pairs form: the claim is ambiguous and both are named)", async () => {
  // The impostor is listed first, so a first-match lookup would pick it.
  const s = await twoServers({
    envFor: (account) => ({
      PLEX_SERVERS:
        `cabin=${account.cabinServed.url},home=${account.homeServed.url}`,
    }),
  });
  try {
    s.account.cabin.library.machineIdentifier =
      s.account.home.library.machineIdentifier;
    const r = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: s.account.home.library.machineIdentifier },
    });
    assert.equal(r.isError, true, textOf(r));
    assert.match(
      textOf(r),
      /Servers "cabin" and "home" both answer as machine "home0+a1": name the server instead/,
    );
    assert.equal(sectionReads(s.account.cabin), 0, "the impostor got no call");
  } finally {
    await s.close();
  }
});

Deno.test("a server that changes its machine identifier at run time is an error naming both, and is not taken for the other", async () => {
  const s = await twoServers();
  try {
    const cabinId = s.account.cabin.library.machineIdentifier;
    const homeId = s.account.home.library.machineIdentifier;
    const first = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: cabinId },
    });
    assert.equal((first.structuredContent as Any).server, "cabin");
    // Another machine now answers at the cabin's address, as the home.
    s.account.cabin.library.machineIdentifier = homeId;
    const status = await s.client.callTool({
      name: "get_plex_status",
      arguments: { server: "cabin" },
    });
    assert.equal(status.isError, true, textOf(status));
    assert.match(
      textOf(status),
      new RegExp(
        `^cabin: GET / at http://127\\.0\\.0\\.1:\\d+ answered as machine "${homeId}", not "${cabinId}" \\(the machine it answered as before\\)`,
      ),
    );
    const home = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: homeId },
    });
    assert.equal((home.structuredContent as Any).server, "home");
  } finally {
    await s.close();
  }
});

Deno.test("recorded machine identifiers (as login writes them) decide: server: <id> goes to the server configured with it, and an impostor's own id is an error naming both", async () => {
  const s = await twoServers({
    envFor: (account) => ({
      PLEX_SERVERS: JSON.stringify([
        {
          name: "cabin",
          url: account.cabinServed.url,
          token: SHARED_TOKEN,
          machineIdentifier: account.cabin.library.machineIdentifier,
        },
        {
          name: "home",
          url: account.homeServed.url,
          token: ACCOUNT_TOKEN,
          machineIdentifier: account.home.library.machineIdentifier,
        },
      ]),
      PLEX_TOKENS: "",
    }),
  });
  const homeId = s.account.home.library.machineIdentifier;
  const cabinId = s.account.cabin.library.machineIdentifier;
  try {
    // The cabin's address now answers as the home.
    s.account.cabin.library.machineIdentifier = homeId;
    const r = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: homeId },
    });
    assert.equal(r.isError, undefined, textOf(r));
    assert.equal((r.structuredContent as Any).server, "home");
    assert.equal(sectionReads(s.account.home), 1);
    assert.equal(sectionReads(s.account.cabin), 0, "the impostor got no call");

    const c = await s.client.callTool({
      name: "get_libraries",
      arguments: { server: cabinId },
    });
    assert.equal(c.isError, true, textOf(c));
    assert.match(
      textOf(c),
      new RegExp(
        `GET /identity at http://127\\.0\\.0\\.1:\\d+ answered as machine "${homeId}", not "${cabinId}" \\(the machine it was configured with\\)`,
      ),
    );
    assert.equal(sectionReads(s.account.cabin), 0);

    const list = await s.client.callTool({
      name: "list_servers",
      arguments: {},
    });
    const rows = (list.structuredContent as Any).servers;
    assert.deepEqual(rows.map((x: Any) => [x.name, x.reachable]), [
      ["cabin", false],
      ["home", true],
    ]);
    assert.match(rows[0].error, new RegExp(`"${homeId}", not "${cabinId}"`));
  } finally {
    await s.close();
  }
});

Deno.test("every server's token is redacted, not only the first's: a second server that echoes its own token into answers and error pages leaks it nowhere", async () => {
  const s = await twoServers({ extraEnv: { DEV_LOG_LEVEL: "debug" } });
  try {
    const seen: string[] = [];
    for (const fault of ["echo-strings", "echo"] as const) {
      s.account.cabin.fault = fault;
      for (
        const [name, args] of [
          ["get_libraries", { server: "cabin" }],
          ["search_media", { query: "night", server: "all" }],
        ] as const
      ) {
        // The suite's scanner drops a message holding a token (the call
        // would then wait for its answer): fail at once with its error.
        let stop = () => {};
        const leaked = new Promise<never>((_, reject) => {
          const timer = setInterval(() => {
            if (s.protocolErrors.length) reject(s.protocolErrors[0]);
          }, 20);
          stop = () => clearInterval(timer);
        });
        const r = await Promise.race([
          s.client.callTool({ name, arguments: args }),
          leaked,
        ]).finally(stop);
        const text = JSON.stringify(r);
        seen.push(text);
        assert.ok(!text.includes(SHARED_TOKEN), `${fault} ${name}: ${text}`);
        assert.ok(!text.includes(ACCOUNT_TOKEN));
      }
    }
    s.account.cabin.fault = undefined;
    // The fault did reach the answers: the echoed token shows redacted.
    assert.match(seen.join("\n"), /\[REDACTED\]/);
    assert.ok(!s.stderr().includes(SHARED_TOKEN), "stderr");
  } finally {
    await s.close();
  }
});
