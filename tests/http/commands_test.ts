/**
 * The commands for people in HTTP mode, as subprocesses: `config <client>
 * --http` (each printed configuration is then used to connect to a real
 * `serve --http`: VS Code's and Cursor's by URL and header, Claude
 * Desktop's through the mcp-remote bridge when npm is reachable) and
 * `doctor --http`.
 */
import assert from "node:assert/strict";
import {
  childEnv,
  MOD_PATH,
  npmUnreachable,
  textOf,
  within,
} from "../support/helpers.ts";
import { Client, StdioClientTransport } from "../support/sdk_client.ts";
import {
  HTTP_TOKEN,
  scanHttp,
  spawnHttp,
  StreamableHTTPClientTransport,
} from "../support/http_helpers.ts";

/** Runs `deno run --allow-env --allow-net=127.0.0.1 src/mod.ts <args>`. */
async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1",
      MOD_PATH,
      ...args,
    ],
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const result = {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
  // The bearer token belongs in the printed configuration, nowhere else.
  scanHttp(result.stderr, `${args.join(" ")} stderr`, HTTP_TOKEN);
  return result;
}

/** Connects by URL with the headers a configuration names. */
async function connectByUrl(
  url: string,
  headers: Record<string, string>,
): Promise<Client> {
  const client = new Client({ name: "config-http", version: "1" });
  await within(
    client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers },
      }),
    ),
    20_000,
    "initialize with the printed configuration",
  );
  return client;
}

Deno.test("config <client> --http: VS Code's and Cursor's entries, used as printed, connect to serve --http by URL with the bearer token; Claude Code's command names both", async () => {
  const server = await spawnHttp({
    env: { PLEX_HTTP_TOKEN: HTTP_TOKEN },
    args: ["--demo"],
  });
  try {
    const env = { PLEX_HTTP_TOKEN: HTTP_TOKEN };
    const vscode = await run(["config", "vscode", "--http", server.host], env);
    assert.equal(vscode.code, 0, vscode.stderr);
    const vs = JSON.parse(vscode.stdout).servers.plex;
    assert.equal(vs.type, "http");
    assert.equal(vs.url, server.url);
    assert.deepEqual(vs.headers, { Authorization: `Bearer ${HTTP_TOKEN}` });
    assert.match(vscode.stderr, /keep the file it goes into private/);
    const a = await connectByUrl(vs.url, vs.headers);
    assert.ok((await a.listTools()).tools.length > 20);
    await a.close();

    const cursor = await run(["config", "--http", server.host, "cursor"], env);
    assert.equal(cursor.code, 0, cursor.stderr);
    const cu = JSON.parse(cursor.stdout).mcpServers.plex;
    const b = await connectByUrl(cu.url, cu.headers);
    const r = await b.callTool({ name: "get_libraries", arguments: {} });
    assert.match(textOf(r), /Classic Movies/);
    await b.close();

    const code = await run(
      ["config", "claude-code", "--http", server.host],
      env,
    );
    assert.equal(code.code, 0, code.stderr);
    assert.equal(
      code.stdout.trim(),
      `claude mcp add --transport http plex ${server.url} --header 'Authorization: Bearer ${HTTP_TOKEN}'`,
    );

    // A reverse proxy's https URL is taken as it is.
    const proxied = await run(
      ["config", "vscode", "--http", "https://mcp.example.org/plex/mcp"],
      env,
    );
    assert.equal(
      JSON.parse(proxied.stdout).servers.plex.url,
      "https://mcp.example.org/plex/mcp",
    );
    // The default address, and PLEX_HTTP_PATH for host:port.
    const dflt = await run(["config", "cursor", "--http"], {
      ...env,
      PLEX_HTTP_PATH: "/p/mcp",
    });
    assert.equal(
      JSON.parse(dflt.stdout).mcpServers.plex.url,
      "http://127.0.0.1:8765/p/mcp",
    );
  } finally {
    assert.equal(await server.close(), 0);
  }
});

Deno.test("config claude --http: Claude Desktop's entry runs the mcp-remote bridge, and the bridge, started exactly as printed, serves serve --http over stdio", async (t) => {
  const why = await npmUnreachable();
  if (why) {
    // deno-lint-ignore no-console
    console.log(`skipped: npm is needed for npx mcp-remote: ${why}`);
    return;
  }
  const server = await spawnHttp({
    env: { PLEX_HTTP_TOKEN: HTTP_TOKEN },
    args: ["--demo"],
  });
  try {
    const printed = await run(["config", "claude", "--http", server.host], {
      PLEX_HTTP_TOKEN: HTTP_TOKEN,
    });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stderr, /Node\.js must be installed/);
    const entry = JSON.parse(printed.stdout).mcpServers.plex;
    assert.equal(entry.command, "npx");
    assert.deepEqual(entry.args, [
      "-y",
      "mcp-remote",
      server.url,
      "--transport",
      "http-only",
      "--header",
      "Authorization:${PLEXMCP_AUTH_HEADER}",
    ]);
    assert.deepEqual(entry.env, {
      PLEXMCP_AUTH_HEADER: `Bearer ${HTTP_TOKEN}`,
    });
    await t.step("the bridge connects and calls a tool", async () => {
      const transport = new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        env: childEnv(entry.env),
        stderr: "pipe",
      });
      let stderr = "";
      transport.stderr?.on("data", (c: Uint8Array | string) => {
        stderr += typeof c === "string" ? c : new TextDecoder().decode(c);
      });
      const client = new Client({ name: "desktop-via-bridge", version: "1" });
      try {
        await within(
          client.connect(transport),
          120_000,
          `npx mcp-remote to connect (stderr: ${stderr.slice(-500)})`,
        );
        const version = /mcp-remote (\d+\.\d+\.\d+)/.exec(stderr)?.[1];
        // deno-lint-ignore no-console
        console.log(`mcp-remote ${version ?? "(version not printed)"} bridged`);
        const r = await client.callTool({
          name: "get_libraries",
          arguments: {},
        });
        assert.match(textOf(r), /Classic Movies/);
      } finally {
        await client.close();
      }
    });
  } finally {
    assert.equal(await server.close(), 0);
  }
});

Deno.test("config --http refuses without PLEX_HTTP_TOKEN and for an address clients cannot use; stdio configurations leave the PLEX_HTTP_* settings out", async () => {
  let r = await run(["config", "vscode", "--http"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /PLEX_HTTP_TOKEN is not set in the environment: without it, serve --http makes up a new token at every start/,
  );
  r = await run(["config", "vscode", "--http", "0.0.0.0:8765"], {
    PLEX_HTTP_TOKEN: HTTP_TOKEN,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /give the address clients connect to/);
  r = await run(["config", "vscode", "--http", "--binary", "/x/plexmcp"], {
    PLEX_HTTP_TOKEN: HTTP_TOKEN,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--checkout and --binary do not apply/);
  r = await run(["config", "claude", "--http", "192.168.1.20:8765"], {
    PLEX_HTTP_TOKEN: HTTP_TOKEN,
  });
  assert.equal(r.code, 0);
  assert.ok(
    JSON.parse(r.stdout).mcpServers.plex.args.includes("--allow-http"),
    "the bridge takes plain http beyond localhost only when told",
  );
  assert.match(r.stderr, /crosses the network unencrypted/);

  r = await run(["config", "claude", "--binary", "/x/plexmcp"], {
    PLEX_SERVER_URL: "http://192.168.1.10:32400",
    PLEX_TOKEN: "plex-token-for-config",
    PLEX_HTTP_TOKEN: HTTP_TOKEN,
  });
  assert.equal(r.code, 0, r.stderr);
  const env = JSON.parse(r.stdout).mcpServers.plex.env;
  assert.equal(env.PLEX_SERVER_URL, "http://192.168.1.10:32400");
  assert.equal(env.PLEX_HTTP_TOKEN, undefined);
});

Deno.test("doctor --http: the settings, token, address and permission, and an initialize with the token at a running serve --http", async () => {
  const server = await spawnHttp({
    env: { PLEX_HTTP_TOKEN: HTTP_TOKEN },
    args: ["--demo"],
  });
  try {
    const ok = await run(["doctor", "--demo", "--http", server.host], {
      PLEX_HTTP_TOKEN: HTTP_TOKEN,
    });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /✓ HTTP token: PLEX_HTTP_TOKEN is set/);
    assert.match(
      ok.stdout,
      /✓ HTTP permission: --allow-net covers 127\.0\.0\.1:\d+/,
    );
    assert.match(
      ok.stdout,
      /✓ HTTP endpoint: @plexmcp\/server answers initialize at http:\/\/127\.0\.0\.1:\d+\/mcp and accepts PLEX_HTTP_TOKEN/,
    );
    scanHttp(ok.stdout, "doctor output", HTTP_TOKEN);

    const wrong = await run(["doctor", "--demo", "--http", server.host], {
      PLEX_HTTP_TOKEN: "another-token-0123456789",
    });
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stdout,
      /✗ HTTP endpoint: the server at .* refuses PLEX_HTTP_TOKEN \(401\)/,
    );
    assert.match(wrong.stdout, /fix: it was started with another token/);
  } finally {
    await server.close();
  }

  const json = await run([
    "doctor",
    "--demo",
    "--json",
    "--http",
    "0.0.0.0:8765",
  ]);
  assert.equal(json.code, 1);
  const checks = JSON.parse(json.stdout) as {
    name: string;
    ok: boolean;
    detail: string;
  }[];
  const token = checks.find((c) => c.name === "HTTP token")!;
  assert.equal(token.ok, false);
  assert.match(token.detail, /reachable from other machines/);
  const permission = checks.find((c) => c.name === "HTTP permission")!;
  assert.equal(
    permission.ok,
    false,
    "--allow-net=127.0.0.1 does not cover 0.0.0.0",
  );

  // Nothing listens on a free port: fine, serve can take it.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const free = await run(["doctor", "--demo", "--http", `127.0.0.1:${port}`]);
  assert.equal(free.code, 0, free.stdout);
  assert.match(
    free.stdout,
    /✓ HTTP token: PLEX_HTTP_TOKEN is not set: serve --http makes one up/,
  );
  assert.match(
    free.stdout,
    /✓ HTTP endpoint: nothing listens on 127\.0\.0\.1:\d+ yet/,
  );

  const bad = await run(["doctor", "--demo", "--http", "127.0.0.1:1"], {
    PLEX_HTTP_MAX_SESSIONS: "lots",
  });
  assert.equal(bad.code, 1);
  assert.match(
    bad.stdout,
    /✗ HTTP settings: PLEX_HTTP_MAX_SESSIONS must be a whole number from 1 to 10000/,
  );
});

Deno.test("config <client> --http with PLEX_HTTP_AUTH=oauth: no token needed or printed, the public URL by default, and the printed URL sends a client without a token to OAuth discovery", async () => {
  const oauth = { PLEX_HTTP_AUTH: "oauth" };
  const server = await spawnHttp({ env: { ...oauth, DEV_MOCK_MODE: "true" } });
  try {
    const vscode = await run(
      ["config", "vscode", "--http", server.host],
      oauth,
    );
    assert.equal(vscode.code, 0, vscode.stderr);
    const entry = JSON.parse(vscode.stdout).servers.plex;
    assert.deepEqual(entry, { type: "http", url: server.url });
    assert.match(vscode.stderr, /opens the consent page/);
    assert.doesNotMatch(vscode.stderr, /holds the bearer token/);
    // What a client does with it: no token, 401, then discovery.
    const answer = await fetch(entry.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    await answer.body?.cancel();
    assert.equal(answer.status, 401);
    assert.match(
      answer.headers.get("www-authenticate") ?? "",
      /^Bearer .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/,
    );

    const claude = await run(
      ["config", "claude", "--http", server.host],
      oauth,
    );
    assert.equal(claude.code, 0, claude.stderr);
    const bridge = JSON.parse(claude.stdout).mcpServers.plex;
    assert.ok(!bridge.args.includes("--header"), bridge.args.join(" "));
    assert.equal(bridge.env, undefined);
    const code = await run(
      ["config", "claude-code", "--http", server.host],
      oauth,
    );
    assert.equal(code.code, 0, code.stderr);
    assert.equal(
      code.stdout.trim(),
      `claude mcp add --transport http plex ${server.url}`,
    );
    // Behind a proxy: the public address, with no --http value needed.
    const cursor = await run(["config", "cursor", "--http"], {
      ...oauth,
      PLEX_HTTP_PUBLIC_URL: "https://plex-mcp.example.org",
    });
    assert.equal(cursor.code, 0, cursor.stderr);
    assert.deepEqual(JSON.parse(cursor.stdout).mcpServers.plex, {
      url: "https://plex-mcp.example.org/mcp",
    });
  } finally {
    await server.close();
  }
});
