import assert from "node:assert/strict";
import { ConfigError } from "../../config/config.ts";
import { loadAuthSettings } from "./settings.ts";

Deno.test("loadAuthSettings(): bearer by default; oauth with an https public origin, a state path and owners", () => {
  assert.equal(loadAuthSettings({}).auth, "bearer");
  const s = loadAuthSettings({
    PLEX_HTTP_AUTH: "OAuth",
    PLEX_HTTP_PUBLIC_URL: "https://Plex-MCP.example.org/",
    PLEX_HTTP_STATE: "/var/lib/plexmcp/oauth.json",
    PLEX_HTTP_OWNERS: "Alice, 12345",
  });
  assert.equal(s.auth, "oauth");
  assert.equal(s.oauth.publicUrl, "https://plex-mcp.example.org");
  assert.equal(s.oauth.statePath, "/var/lib/plexmcp/oauth.json");
  assert.deepEqual(s.oauth.owners, ["alice", "12345"]);
  assert.equal(
    loadAuthSettings({ PLEX_HTTP_PUBLIC_URL: "http://localhost:8765" }).oauth
      .publicUrl,
    "http://localhost:8765",
  );
});

Deno.test("loadAuthSettings(): every bad value is reported at once, by name", () => {
  try {
    loadAuthSettings({
      PLEX_HTTP_AUTH: "basic",
      PLEX_HTTP_PUBLIC_URL: "http://plex.example.org",
      PLEX_HTTP_STATE: "/tmp/dir/",
      PLEX_HTTP_OWNERS: "a b",
    });
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const text = error.problems.join("\n");
    assert.match(text, /PLEX_HTTP_AUTH must be bearer .* or oauth/);
    assert.match(text, /PLEX_HTTP_PUBLIC_URL must be https/);
    assert.match(text, /PLEX_HTTP_STATE must be a file path/);
    assert.match(text, /PLEX_HTTP_OWNERS must be a comma list/);
  }
  for (
    const bad of ["https://x.example/mcp", "https://x.example?a=1", "ftp://x"]
  ) {
    assert.throws(
      () => loadAuthSettings({ PLEX_HTTP_PUBLIC_URL: bad }),
      ConfigError,
      bad,
    );
  }
});
