/**
 * OAuth mode with real clients, end to end: `plexmcp serve --http` as a
 * process (PLEX_HTTP_AUTH=oauth, a fake Plex and a fake plex.tv on
 * loopback), the MCP SDK client's own OAuth support (discovery,
 * registration, PKCE, the code exchange, the resource indicator) through
 * `StreamableHTTPClientTransport` with an `authProvider`, and the consent
 * page driven as a person would, in a real headless chromium: the page is
 * read, "Approve: sign in with Plex" is clicked, plex.tv's sign-in is
 * passed, and the browser lands on the client's redirect. Then a restart
 * on the same state file keeps the client connected, and a page on
 * another origin cannot frame the consent page. `mcp-remote` (npm) is
 * checked the same way.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/auth"
import {
  type OAuthClientProvider,
  UnauthorizedError,
} from "@modelcontextprotocol/sdk/client/auth.js";
// @ts-types="@modelcontextprotocol/sdk/shared/auth"
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { FakePlexTv, serveFakePlexTv } from "../../src/demo/fake_plextv/mod.ts";
import { findBrowser, TestBrowser } from "../support/browser.ts";
import {
  childEnv,
  npmUnreachable,
  startFake,
  TEST_TOKEN,
  textOf,
  within,
} from "../support/helpers.ts";
import {
  type HttpServer,
  spawnHttp,
  StreamableHTTPClientTransport,
} from "../support/http_helpers.ts";
import { Client, StdioClientTransport } from "../support/sdk_client.ts";

const ACCOUNT_TOKEN = "acct-SECRET-browser-0c5e9a";
const found = findBrowser();
if ("why" in found) {
  // deno-lint-ignore no-console
  console.log(`skipped: the OAuth browser tests need a browser: ${found.why}`);
}

/** An SDK OAuth client provider that keeps everything in memory. */
class MemoryProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  lastState = "";
  constructor(
    readonly redirect: string,
    readonly onRedirect: (url: URL) => void,
  ) {}
  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "SDK OAuth test client",
      redirect_uris: [this.redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  state(): string {
    this.lastState = crypto.randomUUID();
    return this.lastState;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.onRedirect(url);
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** A loopback redirect target: resolves with the query it receives. */
function callbackServer() {
  const got = Promise.withResolvers<URLSearchParams>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      const url = new URL(req.url);
      if (url.pathname !== "/callback") {
        return new Response("no", { status: 404 });
      }
      got.resolve(url.searchParams);
      return new Response("<h1>Signed in: you can close this window</h1>", {
        headers: { "content-type": "text/html" },
      });
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    origin: `http://127.0.0.1:${port}`,
    query: got.promise,
    close: () => server.shutdown(),
  };
}

/** Fake Plex and plex.tv on loopback; the account owns the server. */
function accounts() {
  const { fake, served } = startFake();
  const tv = new FakePlexTv({
    accountToken: ACCOUNT_TOKEN,
    linkAfterPolls: 1,
    servers: [{
      name: "Home",
      machineIdentifier: fake.library.machineIdentifier,
      accessToken: ACCOUNT_TOKEN,
      owned: true,
      connections: [{ uri: served.url, local: true }],
    }],
  });
  const tvServed = serveFakePlexTv(tv);
  return {
    fake,
    served,
    tv,
    tvServed,
    env: (state: string): Record<string, string> => ({
      PLEX_SERVER_URL: served.url,
      PLEX_TOKEN: TEST_TOKEN,
      PLEX_CACHE_TTL: "0",
      PLEX_HTTP_AUTH: "oauth",
      PLEX_HTTP_STATE: state,
      PLEX_TV_URL: tvServed.url,
    }),
    allowNet: `127.0.0.1,${served.host},${tvServed.host}`,
    close: async () => {
      await served.close();
      await tvServed.close();
    },
  };
}

/** Approves on the consent page at `url` as a person: reads it, signs in with Plex. */
async function consentAsOwner(
  browser: TestBrowser,
  url: URL,
  expect: { clientName: string; redirectOrigin: string },
): Promise<void> {
  const page = await browser.page();
  try {
    await page.goto(url.href);
    assert.equal(
      await page.evaluate("document.title"),
      "Allow access to your Plex?",
    );
    const text = await page.text();
    assert.match(text, new RegExp(expect.clientName));
    assert.match(text, /plex:read/);
    assert.ok(text.includes(new URL(expect.redirectOrigin).host), text);
    await page.click("Approve: sign in with Plex");
    await page.waitFor((u) => u.startsWith("https://app.plex.tv/auth#?"));
    await page.waitForLoad();
    await page.click("Sign in");
    await page.waitFor((u) => u.startsWith(expect.redirectOrigin), 20_000);
  } finally {
    await page.close();
  }
}

function scanServer(server: HttpServer, secrets: readonly string[]): void {
  const log = server.stderr();
  for (const s of [...secrets, ACCOUNT_TOKEN]) {
    assert.ok(
      !log.includes(s),
      `a secret in serve's stderr: ${s.slice(0, 6)}…`,
    );
  }
}

Deno.test({
  name:
    "OAuth with the MCP SDK client: discovery, registration, consent in a real browser (sign in with Plex), tokens, tools; a restart on PLEX_HTTP_STATE keeps it connected; the consent page cannot be framed",
  ignore: "why" in found,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const acc = accounts();
  const dir = await Deno.makeTempDir();
  const state = `${dir}/oauth.json`;
  const browser = await TestBrowser.launch((found as { path: string }).path);
  const callback = callbackServer();
  const denoFlags = [`--allow-read=${dir}`, `--allow-write=${dir}`];
  let server = await spawnHttp({
    env: acc.env(state),
    allowNet: acc.allowNet,
    denoFlags,
  });
  try {
    const mcpUrl = new URL(server.url);
    let authUrl: URL | undefined;
    const provider = new MemoryProvider(callback.url, (u) => (authUrl = u));

    // 1. The first connect finds no token: 401, discovery, registration,
    //    and the client is sent to the authorization URL.
    const first = new Client({ name: "sdk-oauth", version: "1" });
    await assert.rejects(
      () =>
        first.connect(
          new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }),
        ),
      UnauthorizedError,
    );
    assert.ok(authUrl, "redirected to authorize");
    assert.equal(authUrl.origin, mcpUrl.origin);
    assert.equal(authUrl.searchParams.get("code_challenge_method"), "S256");
    assert.equal(authUrl.searchParams.get("resource"), server.url);

    // 2. The owner approves in the browser; it lands on the callback.
    await consentAsOwner(browser, authUrl, {
      clientName: "SDK OAuth test client",
      redirectOrigin: callback.origin,
    });
    const query = await within(callback.query, 20_000, "the redirect");
    assert.equal(query.get("state"), provider.lastState);
    assert.equal(query.get("iss"), mcpUrl.origin);
    const code = query.get("code")!;

    // 3. The SDK exchanges the code and connects with the token.
    const transport = new StreamableHTTPClientTransport(mcpUrl, {
      authProvider: provider,
    });
    await transport.finishAuth(code);
    const tokens = provider.saved!;
    assert.equal(tokens.token_type, "Bearer");
    assert.equal(tokens.scope, "plex:read plex:write");
    assert.ok(tokens.refresh_token);
    const client = new Client({ name: "sdk-oauth", version: "1" });
    await within(client.connect(transport), 20_000, "connect with the token");
    const tools = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(tools.includes("create_playlist"));
    const libraries = await client.callTool({
      name: "get_libraries",
      arguments: {},
    });
    assert.match(textOf(libraries), /Classic Movies/);
    await client.close();

    // 4. A page on another origin cannot frame the consent page.
    const attacker = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response(
          `<h1>win a prize</h1><iframe id="f" src="${authUrl!.href}"></iframe>`,
          { headers: { "content-type": "text/html" } },
        ),
    );
    try {
      const page = await browser.page();
      await page.goto(
        `http://127.0.0.1:${(attacker.addr as Deno.NetAddr).port}/`,
      );
      await new Promise((r) => setTimeout(r, 1500));
      const frames = await page.frameTexts();
      assert.equal(frames.length, 1, "the iframe exists");
      assert.ok(
        !frames[0]!.text.includes("Approve"),
        `the consent page did not render inside the frame: ${frames[0]!.text}`,
      );
      await page.close();
    } finally {
      await attacker.shutdown();
    }

    // 5. A restart on the same address and state file: the same tokens work.
    const listen = server.host;
    assert.equal(await server.close(), 0);
    scanServer(server, [tokens.access_token, tokens.refresh_token!, code]);
    const mode = (await Deno.stat(state)).mode! & 0o777;
    assert.equal(mode, 0o600);
    const stateText = await Deno.readTextFile(state);
    assert.ok(!stateText.includes(tokens.access_token), "hashes only");
    server = await spawnHttp({
      env: acc.env(state),
      allowNet: acc.allowNet,
      denoFlags,
      listen,
    });
    const again = new Client({ name: "sdk-oauth", version: "1" });
    await within(
      again.connect(
        new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }),
      ),
      20_000,
      "connect after the restart",
    );
    assert.ok((await again.listTools()).tools.length > 0);
    await again.close();
    scanServer(server, [tokens.access_token, tokens.refresh_token!, code]);
  } finally {
    await server.close().catch(() => {});
    await callback.close();
    await browser.close();
    await acc.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "OAuth with mcp-remote (npm): the bridge registers, the owner approves in the browser, and its stdio side serves the tools",
  ignore: "why" in found,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const why = await npmUnreachable();
  if (why) {
    // deno-lint-ignore no-console
    console.log(`skipped: npm is needed for npx mcp-remote: ${why}`);
    return;
  }
  const acc = accounts();
  const dir = await Deno.makeTempDir();
  const browser = await TestBrowser.launch((found as { path: string }).path);
  const server = await spawnHttp({
    env: acc.env(`${dir}/oauth.json`),
    allowNet: acc.allowNet,
    denoFlags: [`--allow-read=${dir}`, `--allow-write=${dir}`],
  });
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const callbackPort = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const transport = new StdioClientTransport({
    command: "npx",
    args: [
      "-y",
      "mcp-remote",
      server.url,
      String(callbackPort),
      "--transport",
      "http-only",
      "--allow-http",
    ],
    env: childEnv({ MCP_REMOTE_CONFIG_DIR: `${dir}/mcp-auth` }),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (c: Uint8Array | string) => {
    stderr += typeof c === "string" ? c : new TextDecoder().decode(c);
  });
  const client = new Client({ name: "via-mcp-remote", version: "1" });
  try {
    const connecting = client.connect(transport);
    connecting.catch(() => {});
    let authUrl: string | undefined;
    const end = Date.now() + 120_000;
    while (!authUrl && Date.now() < end) {
      authUrl = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/.exec(
        stderr,
      )?.[1];
      if (!authUrl) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(
      authUrl,
      `mcp-remote printed no authorization URL: ${stderr.slice(-800)}`,
    );
    const redirect = new URL(authUrl).searchParams.get("redirect_uri")!;
    await consentAsOwner(browser, new URL(authUrl), {
      clientName: "",
      redirectOrigin: new URL(redirect).origin,
    });
    await within(
      connecting,
      60_000,
      `mcp-remote to connect (stderr: ${stderr.slice(-500)})`,
    );
    const version = /mcp-remote (\d+\.\d+\.\d+)/.exec(stderr)?.[1];
    // deno-lint-ignore no-console
    console.log(
      `mcp-remote ${version ?? "(version not printed)"} connected with OAuth`,
    );
    const r = await client.callTool({ name: "get_libraries", arguments: {} });
    assert.match(textOf(r), /Classic Movies/);
  } finally {
    await client.close().catch(() => {});
    assert.equal(await server.close(), 0);
    await browser.close();
    await acc.close();
    await Deno.remove(dir, { recursive: true });
  }
});
