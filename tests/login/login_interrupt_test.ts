/**
 * Ctrl+C stops `login` at once, whatever it waits for: a real child
 * process gets SIGINT while it tests servers that never answer, and while
 * plex.tv leaves a PIN poll hanging. Before, the first ran on for every
 * connection's 4 s (20 s here) and the second until plex.tv's 15 s
 * timeout; now the requests in flight are cancelled and it exits 130.
 */
import assert from "node:assert/strict";
import { FakePlexTv, serveFakePlexTv } from "../../src/demo/fake_plextv/mod.ts";
import { ACCOUNT_TOKEN } from "../support/accounts.ts";
import {
  childEnv,
  MOD_PATH,
  scanForSecrets,
  within,
} from "../support/helpers.ts";

/** How soon after SIGINT the process must be gone (the waits were 15-20 s). */
const AT_ONCE_MS = 5_000;

/** `login --yes` as a child process, its stderr collected as it comes. */
function spawnLogin(tvUrl: string, dir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-net=127.0.0.1",
      "--allow-env",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      MOD_PATH,
      "login",
      "--env-file",
      `${dir}/s.env`,
      "--yes",
    ],
    env: childEnv({ PLEX_TV_URL: tvUrl }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
    }
  })();
  const drainOut = child.stdout.cancel();
  return {
    child,
    stderr: () => stderr,
    /** Resolves once `test` holds, checking every 50 ms (at most 30 s). */
    until: (test: () => boolean, what: string) =>
      within(
        (async () => {
          while (!test()) await new Promise((r) => setTimeout(r, 50));
        })(),
        30_000,
        what,
      ),
    /** SIGINT; resolves with the exit code and how long the exit took. */
    interrupt: async () => {
      const sent = performance.now();
      child.kill("SIGINT");
      const status = await within(child.status, 30_000, "login to exit");
      const ms = performance.now() - sent;
      await reading;
      await drainOut;
      scanForSecrets(stderr, "login stderr");
      return { code: status.code, ms };
    },
  };
}

Deno.test("Ctrl+C while login tests servers that never answer stops it at once: exit 130, nothing written", async () => {
  // Accepts connections and never answers: each of the five addresses
  // would take the probe's whole 4 s.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const conn of listener) held.push(conn);
    } catch { /* closed */ }
  })();
  const port = (listener.addr as Deno.NetAddr).port;
  const tv = new FakePlexTv({
    accountToken: ACCOUNT_TOKEN,
    linkAfterPolls: 1,
    servers: [{
      name: "Silent",
      machineIdentifier: "silent000000000000000000000000000000000f6",
      accessToken: ACCOUNT_TOKEN,
      owned: true,
      connections: Array.from({ length: 5 }, (_, i) => ({
        uri: `http://127.0.0.1:${port}/p${i}`,
        local: true,
      })),
    }],
  });
  const served = serveFakePlexTv(tv);
  const dir = await Deno.makeTempDir();
  try {
    const login = spawnLogin(served.url, dir);
    await login.until(
      () => /Testing 1 server/.test(login.stderr()) && held.length > 0,
      "login to start testing the server",
    );
    const { code, ms } = await login.interrupt();
    assert.equal(code, 130, login.stderr());
    assert.ok(ms < AT_ONCE_MS, `exited ${Math.round(ms)} ms after SIGINT`);
    assert.match(login.stderr(), /Stopped: nothing was written/);
    await assert.rejects(Deno.stat(`${dir}/s.env`), Deno.errors.NotFound);
  } finally {
    for (const c of held) {
      try {
        c.close();
      } catch { /* gone */ }
    }
    listener.close();
    await served.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Ctrl+C while plex.tv leaves the PIN poll hanging stops login at once: exit 130, not after plex.tv's 15 s", async () => {
  const tv = new FakePlexTv({ accountToken: ACCOUNT_TOKEN });
  tv.hang = /^\/api\/v2\/pins\/\d+$/;
  const served = serveFakePlexTv(tv);
  const dir = await Deno.makeTempDir();
  try {
    const login = spawnLogin(served.url, dir);
    await login.until(() => tv.hung > 0, "login to poll the PIN");
    const { code, ms } = await login.interrupt();
    assert.equal(code, 130, login.stderr());
    assert.ok(ms < AT_ONCE_MS, `exited ${Math.round(ms)} ms after SIGINT`);
    assert.match(login.stderr(), /Stopped: nothing was written/);
    await assert.rejects(Deno.stat(`${dir}/s.env`), Deno.errors.NotFound);
  } finally {
    await served.close();
    await Deno.remove(dir, { recursive: true });
  }
});
