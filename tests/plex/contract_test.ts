/**
 * Contract check: the client's schemas parse every recorded real Plex
 * response in ../shared/plex-api/recordings (third-party recordings, read in
 * place, never copied). Skipped with a printed reason when absent.
 */
import assert from "node:assert/strict";
import type { ResponseSchema } from "../../src/plex/client.ts";
import {
  butlerSchema,
  clientsSchema,
  genresSchema,
  historySchema,
  hubsSchema,
  identitySchema,
  type ItemsContainer,
  itemsContainerSchema,
  sectionsSchema,
  serverInfoSchema,
  sessionsSchema,
} from "../../src/plex/schemas.ts";

const DIR = new URL("../../../shared/plex-api/recordings/", import.meta.url);

function available(): boolean {
  try {
    return Deno.statSync(DIR).isDirectory;
  } catch {
    return false;
  }
}

const HAVE = available();
if (!HAVE) {
  // deno-lint-ignore no-console
  console.warn(
    `contract_test: skipped, ${DIR.pathname} is absent (the recordings live beside the repository in CI)`,
  );
}

/** Which schema each recorded endpoint is parsed with. */
const CONTRACTS: [RegExp, ResponseSchema<unknown>, string][] = [
  [/^GET__identity\.json$/, identitySchema, "identity"],
  [/^GET__media_providers\.json$/, serverInfoSchema, "server info"],
  [/^GET__library_sections\.json$/, sectionsSchema, "sections"],
  [
    /^GET__library_sections_\{sectionId\}_(all\..*|search|allLeaves|albums)\.json$/,
    itemsContainerSchema,
    "items",
  ],
  [
    /^GET__library_metadata_\{ratingKey\}.*\.json$/,
    itemsContainerSchema,
    "items",
  ],
  [/^GET__library_recentlyAdded\.json$/, itemsContainerSchema, "items"],
  [/^GET__hubs_home_recentlyAdded\.json$/, itemsContainerSchema, "items"],
  [/^(GET|POST)__playlists.*\.json$/, itemsContainerSchema, "items"],
  [/^GET__hubs(_search|_sections_\{sectionId\})?\.json$/, hubsSchema, "hubs"],
  [/^GET__status_sessions\.json$/, sessionsSchema, "sessions"],
  [/^GET__status_sessions_history_all\.json$/, historySchema, "history"],
  [/^GET__clients\.json$/, clientsSchema, "clients"],
  [/^GET__butler\.json$/, butlerSchema, "butler"],
  [/^GET__library_sections_\{sectionId\}_genre\.json$/, genresSchema, "tags"],
];

Deno.test({
  name:
    "every recording a client endpoint returns parses without schema errors",
  ignore: !HAVE,
  fn: async () => {
    let parsed = 0;
    for await (const entry of Deno.readDir(DIR)) {
      const contract = CONTRACTS.find(([re]) => re.test(entry.name));
      if (!contract) continue;
      const [, schema, kind] = contract;
      const json = JSON.parse(
        await Deno.readTextFile(new URL(entry.name, DIR)),
      );
      const result = schema.safeParse(json);
      assert.ok(
        result.success,
        `${entry.name} (${kind}): ${
          result.success ? "" : JSON.stringify(result.error.issues.slice(0, 3))
        }`,
      );
      if (kind === "items") {
        const items = (result.data as ItemsContainer).Metadata;
        for (const item of items) {
          assert.ok(item.ratingKey, `${entry.name}: item without ratingKey`);
          assert.ok(item.title, `${entry.name}: item without title`);
        }
      }
      parsed++;
    }
    assert.ok(parsed >= 30, `parsed ${parsed} recordings`);
  },
});

Deno.test({
  name: "recorded section and server info values come through typed",
  ignore: !HAVE,
  fn: async () => {
    const read = async (name: string) =>
      JSON.parse(await Deno.readTextFile(new URL(name, DIR)));
    const sections = sectionsSchema.parse(
      await read("GET__library_sections.json"),
    );
    assert.ok(sections.length > 0);
    for (const s of sections) {
      assert.match(s.key, /^\d+$/);
      assert.equal(typeof s.hidden, "boolean");
    }
    const info = serverInfoSchema.parse(
      await read("GET__media_providers.json"),
    );
    assert.equal(info.name, "desktop-titan");
    assert.equal(info.transcoderActiveVideoSessions, 2);
    const sessions = sessionsSchema.parse(
      await read("GET__status_sessions.json"),
    );
    assert.equal(sessions[0]?.player?.state, "playing");
    assert.equal(sessions[0]?.bandwidthKbps, 1050);
    assert.equal(
      sessions[0]?.transcode,
      undefined,
      "direct play has no TranscodeSession",
    );
  },
});
