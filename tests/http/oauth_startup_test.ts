/**
 * `serve --http` in OAuth mode refuses to start where it could not be
 * safe or could lose data, with the reason: a non-loopback address
 * without PLEX_HTTP_PUBLIC_URL (tokens over plain http), a state file
 * that is a symbolic link or not ours, the no-auth test mode, bad values.
 */
import assert from "node:assert/strict";
import { childEnv, MOD_PATH } from "../support/helpers.ts";

async function refused(
  args: string[],
  env: Record<string, string>,
  flags: string[] = [],
): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1,0.0.0.0",
      ...flags,
      MOD_PATH,
      "serve",
      ...args,
    ],
    env: childEnv({ PLEX_HTTP_AUTH: "oauth", ...env }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout), "", "nothing on stdout");
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("OAuth start-up: every interface without PLEX_HTTP_PUBLIC_URL is refused (OAuth over plain http only on loopback)", async () => {
  const r = await refused(["--http", "0.0.0.0:0", "--demo"], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs PLEX_HTTP_PUBLIC_URL/);
});

Deno.test("OAuth start-up: a state file that is a symbolic link, or not a plexmcp state file, stops the start and is left as it was", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/target`, "keep me");
    await Deno.symlink(`${dir}/target`, `${dir}/link.json`);
    await Deno.writeTextFile(`${dir}/other.json`, '{"not":"ours"}');
    const flags = [`--allow-read=${dir}`, `--allow-write=${dir}`];
    const link = await refused(["--http", "127.0.0.1:0", "--demo"], {
      PLEX_HTTP_STATE: `${dir}/link.json`,
    }, flags);
    assert.equal(link.code, 2);
    assert.match(link.stderr, /not a plain file/);
    const other = await refused(["--http", "127.0.0.1:0", "--demo"], {
      PLEX_HTTP_STATE: `${dir}/other.json`,
    }, flags);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /not a plexmcp OAuth state file/);
    assert.equal(await Deno.readTextFile(`${dir}/target`), "keep me");
    assert.equal(
      await Deno.readTextFile(`${dir}/other.json`),
      '{"not":"ours"}',
    );
    // Without the permission, the message names the flags to add.
    const denied = await refused(["--http", "127.0.0.1:0", "--demo"], {
      PLEX_HTTP_STATE: `${dir}/new.json`,
    });
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /--allow-read=.*new\.json --allow-write=/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("OAuth start-up: the no-auth test mode and bad OAuth values are refused, every problem named", async () => {
  const noAuth = await refused(
    ["--http", "127.0.0.1:0", "--demo", "--test-no-auth"],
    {},
  );
  assert.equal(noAuth.code, 2);
  assert.match(noAuth.stderr, /PLEX_HTTP_AUTH=oauth is set/);
  const bad = await refused(["--http", "127.0.0.1:0", "--demo"], {
    PLEX_HTTP_AUTH: "magic",
    PLEX_HTTP_PUBLIC_URL: "http://plex.example.org/mcp",
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /PLEX_HTTP_AUTH must be bearer/);
  assert.match(bad.stderr, /PLEX_HTTP_PUBLIC_URL must be https/);
});
