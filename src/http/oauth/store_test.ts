/**
 * The store and its state file: clients and grants survive a restart,
 * only hashes are written (mode 0600, atomically), symbolic links and
 * files that are not ours are refused and left as they were.
 */
import assert from "node:assert/strict";
import { sha256 } from "./crypto.ts";
import { StateFile, StateFileError } from "./state_file.ts";
import { OAuthStore } from "./store.ts";

const CLIENT = {
  client_id: "mcp-client-1",
  redirect_uris: ["http://127.0.0.1:9/cb"],
  token_endpoint_auth_method: "none",
};

async function issued(store: OAuthStore) {
  await store.addClient(CLIENT);
  return await store.issue({
    clientId: CLIENT.client_id,
    redirectUri: CLIENT.redirect_uris[0]!,
    redirectUriGiven: true,
    challenge: "x".repeat(43),
    scopes: ["plex:read"],
    resource: "http://127.0.0.1:8765/mcp",
    approvedBy: "viewer",
  });
}

Deno.test("OAuthStore: a state file keeps clients and grants across a restart, holds only hashes, mode 0600", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/sub/oauth.json`;
    const store = await OAuthStore.open({ file: new StateFile(path) });
    const t = await issued(store);
    const text = await Deno.readTextFile(path);
    assert.ok(!text.includes(t.accessToken), "no access token in the file");
    assert.ok(!text.includes(t.refreshToken), "no refresh token in the file");
    assert.ok(text.includes(await sha256(t.accessToken)), "its hash is");
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(`${dir}/sub`)).mode! & 0o777, 0o700);
    }
    const again = await OAuthStore.open({ file: new StateFile(path) });
    assert.ok(again.client(CLIENT.client_id));
    const grant = await again.verifyAccess(t.accessToken);
    assert.equal(grant?.clientId, CLIENT.client_id);
    const rotated = await again.refresh(t.refreshToken, CLIENT.client_id);
    assert.equal(typeof rotated, "object");
    // Reuse detection survives the restart too.
    const third = await OAuthStore.open({ file: new StateFile(path) });
    assert.equal(
      await third.refresh(t.refreshToken, CLIENT.client_id),
      "reused",
    );
    assert.equal(await third.verifyAccess(t.accessToken), undefined);
    // No temporary file is left behind.
    const names = [...Deno.readDirSync(`${dir}/sub`)].map((e) => e.name);
    assert.deepEqual(names, ["oauth.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("StateFile: a symbolic link is neither read nor written through; a file that is not ours is refused and left as it was", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/elsewhere.json`;
    await Deno.writeTextFile(target, "precious");
    await Deno.symlink(target, `${dir}/link.json`);
    await assert.rejects(
      () => OAuthStore.open({ file: new StateFile(`${dir}/link.json`) }),
      (e) => e instanceof StateFileError && /not a plain file/.test(e.message),
    );
    await assert.rejects(
      () => new StateFile(`${dir}/link.json`).save({ version: 1 }),
      StateFileError,
    );
    assert.equal(await Deno.readTextFile(target), "precious");
    for (
      const [name, text] of [["bad.json", "{not json"], [
        "other.json",
        '{"x":1}',
      ]]
    ) {
      await Deno.writeTextFile(`${dir}/${name}`, text!);
      await assert.rejects(
        () => OAuthStore.open({ file: new StateFile(`${dir}/${name}`) }),
        (e) => e instanceof StateFileError && /left as it is/.test(e.message),
      );
      assert.equal(await Deno.readTextFile(`${dir}/${name}`), text);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("OAuthStore: access tokens expire after an hour; refresh tokens after 30 unused days end the grant", async () => {
  let now = 1_000_000;
  const store = await OAuthStore.open({ now: () => now });
  const t = await issued(store);
  now += 3599_000;
  assert.ok(await store.verifyAccess(t.accessToken));
  now += 2_000;
  assert.equal(await store.verifyAccess(t.accessToken), undefined);
  now += 30 * 86_400_000;
  assert.equal(
    await store.refresh(t.refreshToken, CLIENT.client_id),
    "expired",
  );
  assert.equal(store.grantCount, 0);
});
