/**
 * copy_playlist_to_user needs plex.tv's legacy list of the server's shares
 * (`GET /api/servers/{id}/shared_servers`, python-plexapi myplex.py:1232),
 * the only place plex.tv gives another user's token for the server. When
 * plex.tv no longer answers it (it has been retiring its legacy sharing
 * endpoints, pushingkarmaorg/python-plexapi#1504), the tool says so
 * plainly and writes nothing.
 */
import assert from "node:assert/strict";
import { connectInMemory, textOf } from "../../support/helpers.ts";

Deno.test("copy_playlist_to_user says plainly when plex.tv's legacy list of shares is gone, and copies nothing", async () => {
  const { client, fake, close } = await connectInMemory();
  try {
    fake.plexTv.legacySharesRetired = true;
    const at = fake.requests.length;
    const r = await client.callTool({
      name: "copy_playlist_to_user",
      arguments: { playlist: "Halloween Night", user: "Riley", confirm: true },
    });
    assert.equal(r.isError, true);
    assert.match(
      textOf(r),
      /^plex\.tv did not list who this server is shared with \(404 for GET \/api\/servers\/[^/]+\/shared_servers\).* If it is the owner's, plex\.tv no longer answers this legacy list of shares \(it has been retiring its legacy sharing endpoints\); it is the only place plex\.tv gives another user's token for this server, so a playlist cannot be copied to them\. Nothing was copied$/,
    );
    assert.deepEqual(
      fake.requests.slice(at).filter((q) => q.method !== "GET"),
      [],
    );
  } finally {
    await close();
  }
});
