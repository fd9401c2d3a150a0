import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";
import { renderSettings } from "./settings.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

Deno.test("PLEX_SERVERS pairs with PLEX_TOKENS, PLEX_TOKEN as the fallback, PLEX_DEFAULT_SERVER", () => {
  const config = loadConfig({
    PLEX_SERVERS:
      "home=http://192.168.1.10:32400/, cabin=https://cabin.example:32400",
    PLEX_TOKENS: "cabin=cabin-token-1",
    PLEX_TOKEN: "home-token-1",
    PLEX_DEFAULT_SERVER: "CABIN",
  });
  assert.deepEqual(config.servers, [
    {
      name: "home",
      url: "http://192.168.1.10:32400",
      token: "home-token-1",
      owned: undefined,
    },
    {
      name: "cabin",
      url: "https://cabin.example:32400",
      token: "cabin-token-1",
      owned: undefined,
    },
  ]);
  assert.equal(config.defaultServer, "cabin");
  assert.equal(config.plexServerUrl, "https://cabin.example:32400");
  assert.equal(config.plexToken, "cabin-token-1");
});

Deno.test("PLEX_SERVERS as login writes it (JSON, owned recorded)", () => {
  const config = loadConfig({
    PLEX_SERVERS: JSON.stringify([
      {
        name: "Home",
        url: "http://10.0.0.2:32400",
        token: "t-home-1",
        owned: true,
      },
      {
        name: "Bob's Den",
        url: "http://10.0.0.3:32400",
        token: "t-bob-1",
        owned: false,
      },
    ]),
  });
  assert.deepEqual(config.servers.map((s) => [s.name, s.owned]), [
    ["Home", true],
    ["Bob's Den", false],
  ]);
  assert.equal(config.defaultServer, "Home");
});

Deno.test("the single-server variables keep working: one server named default", () => {
  const config = loadConfig({
    PLEX_SERVER_URL: "http://192.168.1.10:32400",
    PLEX_TOKEN: "tok-1234",
  });
  assert.deepEqual(config.servers, [{
    name: "default",
    url: "http://192.168.1.10:32400",
    token: "tok-1234",
    owned: undefined,
  }]);
  assert.equal(loadConfig({}, { demo: true }).servers.length, 0);
});

Deno.test("bad server lists are refused by variable, never echoing a token", () => {
  const secret = "sekrit-token-0001";
  const found = [
    ...problems({
      PLEX_SERVERS: "home=http://a:1",
      PLEX_SERVER_URL: "http://b:2",
      PLEX_TOKEN: secret,
    }),
    ...problems({ PLEX_SERVERS: "home", PLEX_TOKEN: secret }),
    ...problems({ PLEX_SERVERS: "home=ftp://x", PLEX_TOKEN: secret }),
    ...problems({
      PLEX_SERVERS: "a=http://a:1,A=http://b:2",
      PLEX_TOKEN: secret,
    }),
    ...problems({ PLEX_SERVERS: "all=http://a:1", PLEX_TOKEN: secret }),
    ...problems({ PLEX_SERVERS: "a=http://a:1" }),
    ...problems({ PLEX_SERVERS: "a=http://a:1", PLEX_TOKENS: `b=${secret}` }),
    ...problems({ PLEX_SERVERS: "[not json", PLEX_TOKEN: secret }),
    ...problems({
      PLEX_SERVERS: "a=http://a:1",
      PLEX_DEFAULT_SERVER: "b",
      PLEX_TOKEN: secret,
    }),
    ...problems({ PLEX_TOKENS: `a=${secret}` }),
    // A bare token where name=token belongs.
    ...problems({ PLEX_SERVERS: "a=http://a:1", PLEX_TOKENS: secret }),
    ...problems({
      PLEX_SERVERS: JSON.stringify([{
        name: "a",
        url: "ftp://x",
        token: secret,
      }]),
      PLEX_TV_URL: `https://plex.tv/?t=${secret}`,
    }),
  ];
  const text = found.join("\n");
  assert.match(text, /PLEX_SERVER_URL and PLEX_SERVERS are both set/);
  assert.match(text, /PLEX_SERVERS entry 1 has no address/);
  assert.match(text, /the address of "home" must be an http/);
  assert.match(text, /names "A" twice/);
  assert.match(text, /the name "all" is not usable/);
  assert.match(text, /"a" has no token/);
  assert.match(text, /PLEX_TOKENS names "b", which PLEX_SERVERS does not list/);
  assert.match(text, /not valid JSON/);
  assert.match(text, /PLEX_DEFAULT_SERVER "b" is not in PLEX_SERVERS \(a\)/);
  assert.match(text, /PLEX_TOKENS is set but PLEX_SERVERS is not/);
  assert.match(text, /PLEX_TOKENS entry 1 has no name=/);
  assert.ok(!text.includes(secret), text);
});

Deno.test("a recorded machineIdentifier is read back as written, and a malformed or repeated one is refused", () => {
  const id = "0123456789abcdef0123456789abcdef01234567";
  const text = renderSettings({
    servers: [
      {
        name: "home",
        url: "http://10.0.0.2:32400",
        token: "t-home-1",
        owned: true,
        machineIdentifier: id,
      },
      {
        name: "cabin",
        url: "http://10.0.0.3:32400",
        token: "t-cab-1",
        owned: false,
      },
    ],
  });
  const json = /PLEX_SERVERS='(.*)'/.exec(text)![1]!;
  const config = loadConfig({ PLEX_SERVERS: json });
  assert.deepEqual(
    config.servers.map((s) => [s.name, s.machineIdentifier]),
    [["home", id], ["cabin", undefined]],
  );
  const entry = (name: string, machineIdentifier: unknown) => ({
    name,
    url: "http://10.0.0.2:32400",
    token: "t-0001",
    machineIdentifier,
  });
  const text2 = [
    ...problems({
      PLEX_SERVERS: JSON.stringify([
        entry("a", "x\u001b]52;c;"),
        entry("b", 7),
      ]),
    }),
    ...problems({
      PLEX_SERVERS: JSON.stringify([entry("a", id), entry("b", id)]),
    }),
  ].join("\n");
  assert.match(text2, /the machineIdentifier of "a" is not one: 8 to 64/);
  assert.match(text2, /the machineIdentifier of "b" is not one/);
  assert.match(
    text2,
    new RegExp(`gives "b" and "a" the same machineIdentifier "${id}"`),
  );
});
