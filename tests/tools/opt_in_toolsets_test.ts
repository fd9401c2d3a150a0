/**
 * The catalogue-wide guarantees, for the tools of the opt-in toolsets
 * (tests/support/tool_args.ts `OPT_IN_TOOLS`), which a server without
 * PLEX_TOOLSETS does not offer and so the suite's other matrix tests, run
 * against a default server, do not reach: every fault of the fake fails
 * each of them specifically and recovers (in process); through the real
 * stdio server with every toolset on, an echoing Plex leaks no token, a
 * same-origin redirect is followed and one elsewhere is not, a login page
 * is named as not Plex, long strings are cut, and every id argument takes
 * a number. Also: the opt-in toolsets are off by default and on when
 * named, in dynamic mode too.
 */
import assert from "node:assert/strict";
import { FakePlex } from "../../src/demo/fake_plex/mod.ts";
import { FAULTS } from "../../src/demo/fake_plex/faults.ts";
import { MAX_STRUCTURED_STRING, MAX_TEXT_LINE } from "../../src/log.ts";
import {
  connectStdio,
  spawnServer,
  startFake,
  TEST_TOKEN,
  textOf,
} from "../support/helpers.ts";
import { runFaultMatrix } from "../support/fault_matrix.ts";
import { idArguments } from "../support/id_arguments.ts";
import {
  OPT_IN_TOOLS,
  playOnLivingRoomTv,
  validArgs,
} from "../support/tool_args.ts";
import { ALL_TOOLS } from "../../src/tools/mod.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("opt-in tools: the catalogue has some, and each has valid test arguments", () => {
  assert.ok(OPT_IN_TOOLS.length >= 10, OPT_IN_TOOLS.map((t) => t.name).join());
  const args = validArgs(new FakePlex().library);
  for (const t of OPT_IN_TOOLS) assert.ok(args[t.name], t.name);
});

Deno.test("fault matrix, opt-in tools: every tool × every fault fails specifically, then recovers", async () => {
  // No toolsets named: createServer offers every toolset, the opt-in ones
  // included.
  const run = await runFaultMatrix(
    OPT_IN_TOOLS.map((t) => t.name),
    {},
    playOnLivingRoomTv,
  );
  assert.deepEqual(run.failures, []);
  assert.equal(run.cases, OPT_IN_TOOLS.length * FAULTS.length);
});

function longestString(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (value === null || typeof value !== "object") return 0;
  let most = 0;
  for (const v of Object.values(value)) most = Math.max(most, longestString(v));
  return most;
}

Deno.test("opt-in tools through stdio: an echoing Plex leaks nothing, same-origin redirects are followed, other hosts and login pages are refused, long strings are cut", async () => {
  const { fake, served } = startFake();
  const server = await spawnServer({
    env: {
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
      PLEX_TOOLSETS: "all",
    },
    allowNet: served.host,
  });
  const run = async (name: string, args: unknown) =>
    await server.client.callTool({ name, arguments: args as never });
  try {
    // Each scenario on a fresh library, the tools in catalogue order (each
    // tool's arguments stay valid after the ones before it ran).
    const fresh = () => {
      const lib = new FakePlex({ token: TEST_TOKEN }).library;
      Object.assign(fake.library, lib);
      playOnLivingRoomTv(fake.library);
      return validArgs(fake.library);
    };

    // 1. A login page where Plex should be is named as not Plex (first: the
    // client remembers for 30 s that a server answered as Plex), and a
    // redirect to another host is never followed.
    let args = fresh();
    for (const fault of ["login-page", "redirect"] as const) {
      fake.fault = fault;
      for (const tool of OPT_IN_TOOLS) {
        const r = await run(tool.name, args[tool.name]);
        assert.equal(r.isError, true, `${tool.name} × ${fault}: ${textOf(r)}`);
        assert.match(
          textOf(r),
          fault === "redirect"
            ? /to another server, sso\.example\.invalid \(http\); not followed/
            : /does not look like a Plex Media Server: GET \/identity answered 401/,
          `${tool.name} × ${fault}: ${textOf(r)}`,
        );
      }
    }

    // 2. Every string of every answer carries the token.
    args = fresh();
    // A scan in progress, so list_activities has something to quote.
    fake.library.activities.set("echo-scan", {
      uuid: "echo-scan",
      type: "library.update.section",
      title: "Scanning Classic Movies",
      progress: 10,
      sectionId: 1,
    });
    fake.fault = "echo-strings";
    // Answers that quote no string from Plex: numbers only, or no activity
    // was started; the log archive is a zip, which the fault (JSON strings
    // only) leaves alone (tests/tools/server_care/server_logs_test.ts redacts tokens in it).
    const quoteNothing = new Set([
      "get_server_logs",
      "get_resource_stats",
      "clean_bundles",
      "optimize_database",
    ]);
    for (const tool of OPT_IN_TOOLS) {
      // Each /activities poll moves a scan on (and tools that wait for
      // their work poll it): the scan is put back before each tool.
      fake.library.activities.set("echo-scan", {
        uuid: "echo-scan",
        type: "library.update.section",
        title: "Scanning Classic Movies",
        progress: 10,
        sectionId: 1,
      });
      const r = await run(tool.name, args[tool.name]);
      const all = JSON.stringify(r);
      assert.ok(!all.includes(TEST_TOKEN), `${tool.name} leaked the token`);
      assert.ok(
        quoteNothing.has(tool.name) || all.includes("[REDACTED]"),
        `${tool.name}: ${all.slice(0, 300)}`,
      );
    }

    // 3. A web server in front of Plex adds a trailing slash to every path
    // (301 for reads, 308 for writes): followed, every tool succeeds.
    args = fresh();
    fake.fault = "redirect-same-origin";
    for (const tool of OPT_IN_TOOLS) {
      const before = fake.requests.length;
      const r = await run(tool.name, args[tool.name]);
      assert.equal(r.isError, undefined, `${tool.name}: ${textOf(r)}`);
      const paths = fake.requests.slice(before).map((q) =>
        q.path.split("?")[0]!
      ).filter((p) => p !== "/");
      assert.equal(
        paths.filter((p) => p.endsWith("/")).length,
        paths.filter((p) => !p.endsWith("/")).length,
        `${tool.name}: every request redirected once: ${paths.join(", ")}`,
      );
    }

    // 4. Half-megabyte titles and summaries: lines and strings are cut.
    args = fresh();
    fake.fault = "huge-strings";
    const longestLine = MAX_TEXT_LINE + "… (1000000 more characters)".length;
    let cut = 0;
    for (const tool of OPT_IN_TOOLS) {
      const r = await run(tool.name, args[tool.name]);
      const text = textOf(r);
      const line = Math.max(...text.split("\n").map((l) => l.length));
      assert.ok(line <= longestLine, `${tool.name}: a line of ${line}`);
      assert.ok(
        longestString(r.structuredContent) <= MAX_STRUCTURED_STRING + 1,
        tool.name,
      );
      if (/more characters\)/.test(text)) cut++;
    }
    assert.ok(cut >= 3, `${cut} tools cut a line`);
  } finally {
    fake.fault = undefined;
    await server.close();
    await served.close();
  }
});

Deno.test("opt-in tools: every id argument accepts a number, used as the id it stands for", async () => {
  const { client, fake, close } = await connectStdio({ PLEX_TOOLSETS: "all" });
  const names = new Set(OPT_IN_TOOLS.map((t) => t.name));
  const checked: string[] = [];
  try {
    const tools = (await client.listTools()).tools.filter((t) =>
      names.has(t.name)
    );
    assert.equal(tools.length, names.size);
    for (const tool of tools) {
      const props = (tool.inputSchema.properties ?? {}) as Record<string, Any>;
      for (const [name, isArray] of idArguments(tool)) {
        // A fresh library for each call.
        Object.assign(fake.library, new FakePlex().library);
        const base = validArgs(fake.library)[tool.name]!;
        const args: Record<string, unknown> = { ...base, confirm: true };
        const halloween = [...fake.library.playlists.entries()][0]!;
        let sent: number[];
        if (isArray) {
          sent = (base[name] as string[]).map(Number);
          args[name] = sent;
        } else {
          const value = name === "library"
            ? 1
            : name === "playlist"
            ? Number(halloween[0])
            : name === "after"
            ? halloween[1].entries[0]!.id
            : name === "account"
            ? fake.library.accounts.find((a) => a.name === base.account)!.id
            : Number(base[name]);
          assert.ok(Number.isInteger(value), `${tool.name}.${name}`);
          sent = [value];
          args[name] = value;
        }
        if (!("confirm" in props)) delete args.confirm;
        const seen = fake.requests.length;
        const r = await client.callTool({ name: tool.name, arguments: args });
        assert.notEqual(r.isError, true, `${tool.name}.${name}: ${textOf(r)}`);
        const used = fake.requests.slice(seen).map((q) => q.path).join(" ") +
          " " + JSON.stringify(r.structuredContent);
        for (const id of sent) {
          assert.match(
            used,
            new RegExp(`[/=,"]${id}($|[/&?, "])|%2C${id}`),
            `${tool.name}.${name}=${id}`,
          );
        }
        checked.push(`${tool.name}.${name}`);
      }
    }
    for (
      const must of [
        "create_collection.ratingKeys",
        "create_collection.library",
        "remove_from_collection.ratingKey",
        "update_metadata.ratingKey",
        "move_playlist_item.playlistItemId",
        "move_playlist_item.after",
        "edit_playlist.playlist",
        "get_bandwidth_stats.account",
        "empty_trash.library",
      ]
    ) {
      assert.ok(checked.includes(must), `${must} in ${checked.join(", ")}`);
    }
  } finally {
    await close();
  }
});

Deno.test("opt-in toolsets: off by default, on when named (with default), and in dynamic mode", async () => {
  const list = async (env: Record<string, string>) => {
    const s = await spawnServer({ env, args: ["--demo"] });
    try {
      return (await s.client.listTools()).tools.map((t) => t.name);
    } finally {
      await s.close();
    }
  };
  const optIn = OPT_IN_TOOLS.map((t) => t.name);
  const byDefault = await list({});
  assert.ok(byDefault.includes("create_playlist"));
  assert.deepEqual(byDefault.filter((n) => optIn.includes(n)), []);
  const named = await list({ PLEX_TOOLSETS: "default,curation" });
  assert.ok(
    named.includes("create_playlist") && named.includes("update_metadata"),
  );
  assert.equal(
    named.length,
    byDefault.length +
      ALL_TOOLS.filter((t) => t.toolset === "curation").length,
  );
  const all = await list({ PLEX_TOOLSETS: "all" });
  for (const n of optIn) assert.ok(all.includes(n), n);

  const s = await spawnServer({
    env: { PLEX_TOOLSETS: "dynamic" },
    args: ["--demo"],
  });
  try {
    const on = await s.client.callTool({
      name: "enable_toolset",
      arguments: { toolset: "curation" },
    });
    assert.match(textOf(on), /Turned on curation: create_collection, /);
    const r = await s.client.callTool({
      name: "edit_playlist",
      arguments: { playlist: "Halloween Night", summary: "October" },
    });
    assert.equal(r.isError, undefined, textOf(r));
  } finally {
    await s.close();
  }
});
