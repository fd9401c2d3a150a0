import assert from "node:assert/strict";
import { readSharedServers } from "./account.ts";

Deno.test("readSharedServers() reads plex.tv's SharedServer XML, sections and entities included", () => {
  // go-plex-client's test payload (plex_test.go TestInviteFriendResponse),
  // with a second share in the form other public clients' tests show: a
  // managed user without user name or email, and a self-closing element.
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<MediaContainer friendlyName="myPlex" identifier="com.plexapp.plugins.myplex" machineIdentifier="abc123" size="2">
<SharedServer id="1234" username="bob-guest" email="bob@gmail.com" userID="1234" accessToken="abc123" name="bob-server" acceptedAt="1465796576" invitedAt="1465691504" allowSync="0" allowCameraUpload="0" allowChannels="0" owned="0">
  <Section id="1234" key="1" title="TV Shows &amp; Specials" type="show" shared="1"/>
  <Section id="1235" key="2" title="Movies" type="movie" shared="0"/>
</SharedServer>
<SharedServer id="3" username="" email="" userID="333" accessToken="managed-tok"/>
<SharedServer id="4" username="no-id"/>
</MediaContainer>`;
  assert.deepEqual(readSharedServers(xml), [
    {
      id: "1234",
      userID: "1234",
      username: "bob-guest",
      email: "bob@gmail.com",
      accessToken: "abc123",
      sections: [
        { key: "1", title: "TV Shows & Specials", shared: true },
        { key: "2", title: "Movies", shared: false },
      ],
    },
    {
      id: "3",
      userID: "333",
      username: undefined,
      email: undefined,
      accessToken: "managed-tok",
      sections: [],
    },
  ]);
  assert.deepEqual(
    readSharedServers(`<MediaContainer size="0"></MediaContainer>`),
    [],
  );
  assert.equal(
    readSharedServers(
      `<MediaContainer><SharedServer userID='7' username="a&#39;b &#x263A;"/></MediaContainer>`,
    )[0]!.username,
    "a'b ☺",
  );
});
