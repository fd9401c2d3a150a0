import assert from "node:assert/strict";
import { buildUrl } from "./request.ts";

Deno.test("buildUrl joins base, path and query", () => {
  assert.equal(
    buildUrl("http://10.0.0.5:32400", "/library/sections", {
      "X-Plex-Container-Start": 0,
      "X-Plex-Container-Size": 20,
    }),
    "http://10.0.0.5:32400/library/sections?X-Plex-Container-Start=0&X-Plex-Container-Size=20",
  );
  assert.equal(
    buildUrl("http://10.0.0.5:32400/", "library/sections"),
    "http://10.0.0.5:32400/library/sections",
  );
});

Deno.test("buildUrl keeps a reverse proxy's path prefix", () => {
  assert.equal(
    buildUrl("https://media.example.org/plex", "/identity"),
    "https://media.example.org/plex/identity",
  );
});

Deno.test("buildUrl encodes values, repeats arrays, drops undefined, sends booleans as 1/0", () => {
  const url = buildUrl("http://h:32400", "/hubs/search", {
    query: "Tom & Jerry = 100% #1",
    sectionId: undefined,
    includeCollections: true,
    smart: false,
    type: [1, 4],
  });
  const parsed = new URL(url);
  assert.equal(parsed.searchParams.get("query"), "Tom & Jerry = 100% #1");
  assert.equal(parsed.searchParams.has("sectionId"), false);
  assert.equal(parsed.searchParams.get("includeCollections"), "1");
  assert.equal(parsed.searchParams.get("smart"), "0");
  assert.deepEqual(parsed.searchParams.getAll("type"), ["1", "4"]);
  assert.equal(parsed.hash, "");
});

Deno.test("buildUrl appends to a query already in the path and encodes odd paths", () => {
  assert.equal(
    buildUrl("http://h:32400", "/playlists?playlistType=video", { smart: 0 }),
    "http://h:32400/playlists?playlistType=video&smart=0",
  );
  assert.equal(
    buildUrl("http://h:32400", "/library/sections/1/all/Crème brûlée"),
    "http://h:32400/library/sections/1/all/Cr%C3%A8me%20br%C3%BBl%C3%A9e",
  );
});
