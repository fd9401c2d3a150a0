import assert from "node:assert/strict";
import { addressRank, chooseServerAddress } from "./playback_common.ts";

const own = (...addresses: string[]) =>
  addresses.map((a) => ({
    machineIdentifier: "m",
    addresses: [a],
    port: 32400,
  }));

Deno.test("addressRank() puts 192.168, then 10, then 172.16/12, then the rest; loopback is unusable", () => {
  assert.equal(addressRank("192.168.1.20"), 0);
  assert.equal(addressRank("10.0.0.5"), 1);
  assert.equal(addressRank("172.17.0.2"), 2);
  assert.equal(addressRank("172.31.255.1"), 2);
  assert.equal(addressRank("172.32.0.1"), 3);
  assert.equal(addressRank("172.15.0.1"), 3);
  assert.equal(addressRank("203.0.113.7"), 3);
  assert.equal(addressRank("plex.example.com"), 3);
  for (
    const bad of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "[::1]",
      "::1",
      "0.0.0.0",
      "169.254.10.1",
      "fe80::1",
      "",
    ]
  ) {
    assert.equal(addressRank(bad), undefined, bad);
  }
});

Deno.test("chooseServerAddress() prefers the server's LAN address over a Docker bridge, whatever the order", () => {
  const url = "http://127.0.0.1:32400";
  assert.equal(
    chooseServerAddress(url, own("172.17.0.2", "10.0.0.5", "192.168.1.20"))
      .address,
    "192.168.1.20",
  );
  assert.equal(
    chooseServerAddress(url, own("172.17.0.2", "10.0.0.5")).address,
    "10.0.0.5",
  );
  const docker = chooseServerAddress(url, own("172.17.0.2"));
  assert.equal(docker.address, "172.17.0.2");
  assert.match(docker.warning!, /Docker/);
  assert.equal(
    chooseServerAddress(url, own("127.0.0.1", "10.1.1.1")).address,
    "10.1.1.1",
  );
});

Deno.test("chooseServerAddress() weighs PLEX_SERVER_URL with the server's addresses", () => {
  // A LAN IP in the URL beats a worse one the server reports; https stays.
  const lan = chooseServerAddress("https://192.168.1.5:32443", own("10.0.0.5"));
  assert.deepEqual(lan, {
    protocol: "https",
    address: "192.168.1.5",
    port: "32443",
  });
  // A host name the user reaches the server by beats a Docker bridge, but
  // not a LAN address.
  assert.equal(
    chooseServerAddress("http://plex.home.arpa:32400", own("172.18.0.3"))
      .address,
    "plex.home.arpa",
  );
  assert.equal(
    chooseServerAddress("http://plex.home.arpa:32400", own("192.168.0.9"))
      .address,
    "192.168.0.9",
  );
  // The server's own address on the URL's host keeps the URL's protocol.
  assert.equal(
    chooseServerAddress("https://10.0.0.5:32400", own("10.0.0.5")).protocol,
    "https",
  );
  assert.equal(
    chooseServerAddress("https://plex.example.com", own("192.168.1.2"))
      .protocol,
    "http",
  );
});

Deno.test("chooseServerAddress() says why a player may not reach PLEX_SERVER_URL", () => {
  const loop = chooseServerAddress("http://localhost:32400", []);
  assert.equal(loop.address, "localhost");
  assert.match(loop.warning!, /points at localhost/);
  const prefixed = chooseServerAddress("https://plex.example.com/plex", []);
  assert.match(prefixed.warning!, /path prefix \(\/plex\)/);
  assert.equal(prefixed.port, "443");
  const both = chooseServerAddress("http://127.0.0.1:8080/plex", []);
  assert.match(both.warning!, /points at 127\.0\.0\.1.* and has a path prefix/);
  // A prefixed URL is no candidate, but the server's LAN address is.
  const behindProxy = chooseServerAddress(
    "https://plex.example.com/plex",
    own("192.168.1.20"),
  );
  assert.equal(behindProxy.address, "192.168.1.20");
  assert.equal(behindProxy.warning, undefined);
  // A plain non-loopback URL needs no warning.
  assert.equal(
    chooseServerAddress("http://203.0.113.7:32400", []).warning,
    undefined,
  );
});
