/**
 * Fake plex.tv: the legacy shared_servers API (XML), per server.
 *
 * @module
 */
import { errors, type FakePlexTvState } from "../state.ts";

/**
 * `GET /api/servers/{machineIdentifier}/shared_servers` (python-plexapi
 * FRIENDINVITE, myplex.py:96, read by `MyPlexUser.get_token`,
 * myplex.py:1232): XML, `MediaContainer` of `SharedServer` elements with
 * `userID` and `accessToken`, each with the server's `Section`s and
 * `shared` (go-plex-client plex_test.go TestInviteFriendResponse, API.md
 * §24.3). The owner's account token only; a server the account does not
 * own is a 404 (what plex.tv answers there is unverified).
 */
export function sharedServers(
  tv: FakePlexTvState,
  machineIdentifier: string,
  token: string | null,
): Response {
  if (!tv.isOwner(token)) return tv.unauthorized();
  // plex.tv has been retiring its legacy sharing endpoints (the v2
  // shared_servers invite began answering 404 in 2025,
  // pushingkarmaorg/python-plexapi#1504): this one may follow.
  if (tv.legacySharesRetired) return errors(404, 1002, "Not Found");
  const server = tv.servers.find((s) =>
    s.owned && s.machineIdentifier === machineIdentifier
  );
  if (!server) return errors(404, 1002, "Not Found");
  const esc = (v: string | number) =>
    String(v).replaceAll("&", "&amp;").replaceAll('"', "&quot;")
      .replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const attrs = (o: Record<string, string | number>) =>
    Object.entries(o).map(([k, v]) => `${k}="${esc(v)}"`).join(" ");
  const shares = tv.shares.filter((s) =>
    s.machineIdentifier === machineIdentifier
  );
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<MediaContainer ${
      attrs({
        friendlyName: "myPlex",
        identifier: "com.plexapp.plugins.myplex",
        machineIdentifier,
        size: shares.length,
      })
    }>`,
    ...shares.map((s) =>
      [
        `  <SharedServer ${
          attrs({
            id: s.id,
            username: s.username,
            email: s.email,
            userID: s.userID,
            accessToken: s.accessToken,
            name: server.name,
            acceptedAt: 1_700_000_000,
            invitedAt: 1_699_900_000,
            allowSync: 0,
            allowCameraUpload: 0,
            allowChannels: 0,
            allowTuners: 0,
            allowSubtitleAdmin: 0,
            owned: 0,
            allLibraries: s.sections.every((x) => x.shared) ? 1 : 0,
            numLibraries: s.sections.filter((x) => x.shared).length,
          })
        }>`,
        ...s.sections.map((x) =>
          `    <Section ${
            attrs({
              id: x.id,
              key: x.key,
              title: x.title,
              type: x.type,
              shared: x.shared ? 1 : 0,
            })
          }/>`
        ),
        "  </SharedServer>",
      ].join("\n")
    ),
    "</MediaContainer>",
  ].join("\n");
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/xml; charset=utf-8" },
  });
}
